import { drillAnchorIntervalSeconds, startDrillStack, type DrillStack } from '../../../scripts/drills/drill-stack';
import { drillVerdict, formatReport, runDrills, type DrillReport } from '../../../scripts/drills/drills';
import { fuzzCorpusSlice } from '../../../scripts/drills/fuzz-corpus';

jest.setTimeout(420_000);

/**
 * The short drill of `npm run drills`: the worker and the API as child processes on the suite's
 * Temporal server and database, 16 intakes at concurrency 4 with one worker kill, a slice of the
 * fuzz corpus and the audit tampering. One run; each test reads its rows of the report.
 */
describe('drills (short): a worker kill under intake load, fuzzed requests and audit tampering', () => {
  let stack: DrillStack | undefined;
  let report: DrillReport;

  beforeAll(async () => {
    stack = await startDrillStack({
      external: { temporalAddress: requireEnv('TEMPORAL_ADDRESS'), mongoUri: requireEnv('MONGODB_URI'), workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH },
    });
    report = await runDrills(stack, {
      intakes: 16,
      concurrency: 4,
      faults: ['worker'],
      downMs: 2_000,
      corpus: fuzzCorpusSlice,
      attemptTimeoutMs: 20_000,
      giveUpAfterMs: 150_000,
      settleMs: 60_000,
      tamperDelayMs: drillAnchorIntervalSeconds * 2_500,
    });
    console.log(formatReport(report));
  });
  afterAll(() => stack?.stop());

  const failingRows = (...checks: RegExp[]) =>
    drillVerdict(report)
      .rows.filter((row) => checks.some((check) => check.test(row.check)) && !row.ok)
      .map((row) => `${row.check}: ${row.figure} (required ${row.required})`);

  test('when the worker is killed under load, then every intake is acknowledged, none is lost or duplicated, none got a 5xx, and intakes are acknowledged again', () => {
    expect(report.faults).toHaveLength(1);
    expect(failingRows(/^acknowledged/, /^lost/, /^duplicated/, /^5xx to intakes/, /^intakes refused/, /^time to recover/)).toEqual([]);
  });

  test('when an audit entry is edited in the database, then verification reports the chain broken', () => {
    expect(failingRows(/intact before tampering/, /entry edited/)).toEqual([]);
  });

  test('when the fuzz slice is sent, then each gets its 4xx and the chain survives; when the tail is deleted and the head moved back, verification reports it', () => {
    expect(failingRows(/^fuzz requests handled/, /^5xx to fuzz/, /intact after the fuzz/, /tail deleted/)).toEqual([]);
  });
});

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest so that test/support/global-setup.ts starts the servers`);
  return value;
}
