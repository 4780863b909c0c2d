import { envNumber } from '../../bench/lib/bench-stack';
import { drillAnchorIntervalSeconds, startDrillStack, type DrillStack } from './drill-stack';
import { formatReport, drillVerdict, runDrills, type Fault } from './drills';
import { fuzzCorpus } from './fuzz-corpus';

/**
 * `npm run drills`: starts the system on free loopback ports, kills the worker twice and the
 * database once under a bounded intake load, sends the fuzz corpus, tampers with the audit
 * chain, prints the table and exits 0 only if every row holds. Stops its servers on exit,
 * Ctrl-C and SIGTERM.
 *
 *   DRILL_INTAKES=200 DRILL_CONCURRENCY=8 DRILL_LIMIT_MS=1200000 npm run drills
 */
async function main(): Promise<void> {
  const limitMs = envNumber('DRILL_LIMIT_MS', 20 * 60_000);
  const workerKills = envNumber('DRILL_WORKER_KILLS', 2);
  const databaseKills = envNumber('DRILL_DATABASE_KILLS', 1);
  // Worker, database, worker: the database fault lands between the two worker faults.
  const faults: Fault[] = [];
  for (let i = 0; i < Math.max(workerKills, databaseKills); i++) {
    if (i < workerKills) faults.push('worker');
    if (i < databaseKills) faults.push('database');
  }

  let stack: DrillStack | undefined;
  const starting = startDrillStack({ log: console.log }).then((started) => (stack = started));
  let stopping = false;
  const stop = async (code: number, why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) console.error(why);
    // Interrupted while starting: the servers come up (or fail) within their own timeouts; then stop them.
    const running = stack ?? (await starting.catch(() => undefined));
    await running?.stop().catch((error) => console.error(`stopping the servers: ${(error as Error).message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130, 'interrupted; stopping the servers…'));
  process.on('SIGTERM', () => void stop(143, 'terminated; stopping the servers…'));
  process.once('exit', () => stack?.killAll());
  const timer = setTimeout(() => void stop(2, `the drills did not finish within ${limitMs / 1000} s; stopping the servers…`), limitMs);

  try {
    const report = await runDrills(await starting, {
      intakes: envNumber('DRILL_INTAKES', 200),
      concurrency: envNumber('DRILL_CONCURRENCY', 8),
      faults,
      downMs: envNumber('DRILL_DOWN_MS', 3_000),
      corpus: fuzzCorpus,
      attemptTimeoutMs: envNumber('DRILL_ATTEMPT_TIMEOUT_MS', 30_000),
      giveUpAfterMs: envNumber('DRILL_GIVE_UP_MS', 300_000),
      settleMs: envNumber('DRILL_SETTLE_MS', 120_000),
      tamperDelayMs: envNumber('DRILL_TAMPER_DELAY_MS', drillAnchorIntervalSeconds * 2_500),
      log: console.log,
    });
    clearTimeout(timer);
    console.log('');
    console.log(formatReport(report));
    await stop(drillVerdict(report).passed ? 0 : 1);
  } catch (error) {
    clearTimeout(timer);
    await stop(1, `drills failed: ${(error as Error).stack ?? String(error)}`);
  }
}

void main();
