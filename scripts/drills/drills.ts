import { AuditEntryModel } from '../../models/audit-entry.model';
import { CaseModel } from '../../models/case.model';
import { MergedIntakeModel } from '../../models/intake.model';
import { SequenceHeadModel } from '../../models/sequence-append';
import { auditSequence } from '../../read-model/audit-chain';
import { loginOverHttp as login } from '../stack/http-login';
import type { DrillStack } from './drill-stack';
import type { FuzzCase } from './fuzz-corpus';
import { runIntakeLoad, type IntakeLoadResult } from './intake-load';

export type Fault = 'worker' | 'database';

export interface DrillOptions {
  intakes: number;
  concurrency: number;
  /** In order; each is triggered when its share of the intakes has been acknowledged. */
  faults: Fault[];
  /** How long a killed process stays down before it is started again. */
  downMs: number;
  corpus: readonly FuzzCase[];
  attemptTimeoutMs: number;
  giveUpAfterMs: number;
  /** How long acknowledged cases may take to show in the read model at the end. */
  settleMs: number;
  /** Before the tail is deleted: time for an outside anchor of the chain's head to catch up. */
  tamperDelayMs: number;
  log?: (line: string) => void;
}

export interface FaultOutcome {
  fault: Fault;
  /** From the kill to the first acknowledgement of an intake sent after it; undefined if none came. */
  recoveredMs?: number;
  error?: string;
}

export interface FuzzOutcome {
  name: string;
  status?: number;
  ok: boolean;
  problem?: string;
}

export interface TamperOutcome {
  intactBefore: boolean;
  /** The fuzz corpus must not break the chain (no request may write an entry that fails its own hash). */
  intactAfterFuzz?: boolean;
  editDetected: boolean;
  tailDeletionDetected: boolean;
  detail: string[];
}

export interface DrillReport {
  sent: number;
  acknowledged: number;
  lost: string[];
  duplicated: string[];
  load: Omit<IntakeLoadResult, 'records'>;
  faults: FaultOutcome[];
  fuzz: FuzzOutcome[];
  tamper: TamperOutcome;
  elapsedMs: number;
}

/**
 * The drills against a running stack: a bounded intake load with the given processes killed
 * under it, then the fuzz corpus, then tampering with the audit chain. Reports what happened;
 * `drillVerdict` says whether it is acceptable.
 */
export async function runDrills(stack: DrillStack, options: DrillOptions): Promise<DrillReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const officer = await login(stack.baseUrl, 'officer');
  const supervisor = await login(stack.baseUrl, 'supervisor');
  const runId = Date.now().toString(36);

  log(`intake load: ${options.intakes} intakes at concurrency ${options.concurrency}; faults: ${options.faults.join(', ') || 'none'}`);
  let acknowledged = 0;
  let loadDone = false;
  const acknowledgements: { at: number; sentAt: number }[] = [];
  const loading = runIntakeLoad({
    baseUrl: stack.baseUrl,
    authorization: officer,
    count: options.intakes,
    concurrency: options.concurrency,
    runId,
    attemptTimeoutMs: options.attemptTimeoutMs,
    giveUpAfterMs: options.giveUpAfterMs,
    onAcknowledged: (record, count) => {
      acknowledged = count;
      acknowledgements.push({ at: record.acknowledgedAt!, sentAt: record.acknowledgedAttemptSentAt! });
    },
  }).finally(() => {
    loadDone = true;
  });

  const faults: FaultOutcome[] = [];
  const injecting = (async () => {
    for (const [index, fault] of options.faults.entries()) {
      const threshold = Math.floor(((index + 1) * options.intakes) / (options.faults.length + 1));
      while (acknowledged < threshold && !loadDone) await sleep(100);
      if (loadDone) {
        faults.push({ fault, error: 'the load ended before this fault was due' });
        continue;
      }
      faults.push(await injectFault(stack, fault, options.downMs, () => acknowledgements, () => loadDone, log));
    }
  })();
  const load = await loading;
  await injecting;
  const { records, ...loadFigures } = load;
  log(`intake load done in ${(load.elapsedMs / 1000).toFixed(1)} s; checking the cases…`);

  const acknowledgedRecords = records.filter((record) => record.caseIds.size > 0);
  const lost = await findLost(stack.baseUrl, officer, acknowledgedRecords, options.settleMs);
  const duplicated = await findDuplicated(records);

  // The fuzz first, then the tampering: the outside anchor remembers a deleted tail for good
  // (as it should), so after the tampering the chain can never read intact again.
  log(`fuzz: ${options.corpus.length} requests…`);
  const fuzz: FuzzOutcome[] = [];
  for (const fuzzCase of options.corpus) fuzz.push(await sendFuzzCase(stack.baseUrl, officer, fuzzCase));
  const afterFuzz = await verifyChain(stack.baseUrl, supervisor);

  log('tampering with the audit chain…');
  const tamper = await tamperWithAudit(stack.baseUrl, supervisor, options.tamperDelayMs);
  tamper.intactAfterFuzz = afterFuzz.ok;
  tamper.detail.unshift(`after the fuzz: ${describeVerification(afterFuzz)}`);

  return { sent: records.length, acknowledged: acknowledgedRecords.length, lost, duplicated, load: loadFigures, faults, fuzz, tamper, elapsedMs: Date.now() - started };
}

async function injectFault(
  stack: DrillStack,
  fault: Fault,
  downMs: number,
  acknowledgements: () => { at: number; sentAt: number }[],
  loadDone: () => boolean,
  log: (line: string) => void,
): Promise<FaultOutcome> {
  const killedAt = Date.now();
  try {
    if (fault === 'worker') stack.killWorker();
    else stack.killDatabase();
    log(`  killed the ${fault}; starting it again in ${downMs / 1000} s`);
    await sleep(downMs);
    if (fault === 'worker') stack.startWorker();
    else await stack.startDatabase();
  } catch (error) {
    return { fault, error: (error as Error).message };
  }
  for (;;) {
    const first = acknowledgements().filter((ack) => ack.sentAt >= killedAt).sort((a, b) => a.at - b.at)[0];
    if (first) {
      log(`  the ${fault} fault: acknowledging again ${((first.at - killedAt) / 1000).toFixed(1)} s after the kill`);
      return { fault, recoveredMs: first.at - killedAt };
    }
    if (loadDone()) return { fault, error: 'no intake sent after the kill was acknowledged' };
    await sleep(100);
  }
}

async function findLost(baseUrl: string, authorization: string, records: IntakeLoadResult['records'], settleMs: number): Promise<string[]> {
  const deadline = Date.now() + settleMs;
  let missing = records.flatMap((record) => [...record.caseIds].map((caseId) => ({ key: record.key, caseId })));
  for (;;) {
    const still: typeof missing = [];
    for (const entry of missing) {
      const response = await fetch(`${baseUrl}/api/cases/${entry.caseId}`, { headers: { authorization } }).catch(() => undefined);
      if (response?.status !== 200) still.push(entry);
      await response?.body?.cancel();
    }
    missing = still;
    if (missing.length === 0 || Date.now() > deadline) return missing.map((entry) => `${entry.key} → ${entry.caseId}`);
    await sleep(1_000);
  }
}

/** A key with two cases: named by two acknowledgements, or two rows (case or merged intake) carry it. */
async function findDuplicated(records: IntakeLoadResult['records']): Promise<string[]> {
  const keys = records.map((record) => record.key);
  const byKey = new Map<string, Set<string>>(records.map((record) => [record.key, new Set(record.caseIds)]));
  const [cases, merged] = await Promise.all([
    CaseModel.find({ idempotencyKey: { $in: keys } }).select({ idempotencyKey: 1 }).lean(),
    MergedIntakeModel.find({ idempotencyKey: { $in: keys } }).select({ idempotencyKey: 1, mergedIntoCaseId: 1 }).lean(),
  ]);
  const rows = new Map<string, number>();
  for (const row of [...cases, ...merged]) rows.set(row.idempotencyKey, (rows.get(row.idempotencyKey) ?? 0) + 1);
  return keys.filter((key) => (byKey.get(key)?.size ?? 0) > 1 || (rows.get(key) ?? 0) > 1).map((key) => `${key}: ${[...(byKey.get(key) ?? [])].join(', ')} (${rows.get(key) ?? 0} rows)`);
}

async function sendFuzzCase(baseUrl: string, officer: string, fuzzCase: FuzzCase): Promise<FuzzOutcome> {
  const headers: Record<string, string> = { authorization: officer, ...fuzzCase.headers };
  if (!headers.authorization) delete headers.authorization;
  try {
    const response = await fetch(`${baseUrl}${fuzzCase.path}`, {
      method: fuzzCase.method,
      headers,
      body: fuzzCase.body === undefined ? undefined : typeof fuzzCase.body === 'string' ? fuzzCase.body : new Uint8Array(fuzzCase.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!fuzzCase.expect.includes(response.status)) return { name: fuzzCase.name, status: response.status, ok: false, problem: `expected ${fuzzCase.expect.join('/')}: ${text.slice(0, 160)}` };
    if (response.status >= 400 && fuzzCase.path.startsWith('/api/')) {
      const body = safeJson(text) as { error?: unknown; code?: unknown } | undefined;
      if (typeof body?.error !== 'string' || typeof body.code !== 'string') return { name: fuzzCase.name, status: response.status, ok: false, problem: `not an {error, code} body: ${text.slice(0, 160)}` };
    }
    return { name: fuzzCase.name, status: response.status, ok: true };
  } catch (error) {
    return { name: fuzzCase.name, ok: false, problem: `no answer: ${(error as Error).message}` };
  }
}

interface Verification {
  ok: boolean;
  firstBreak?: { serial?: number; reason?: string };
}

/**
 * What an insider with database access would do: edit one entry of the audit chain, then delete
 * the newest entries and move the chain's head back to the last one left. Each must make
 * GET /api/audit/verify fail. The chain is put back after each step.
 */
async function tamperWithAudit(baseUrl: string, supervisor: string, tamperDelayMs: number): Promise<TamperOutcome> {
  const verify = () => verifyChain(baseUrl, supervisor);
  const describe = describeVerification;
  const detail: string[] = [];
  const before = await verify();
  detail.push(`before tampering: ${describe(before)}`);

  const entries = await AuditEntryModel.find().sort({ serial: 1 }).select({ _id: 1, serial: 1, result: 1 }).lean();
  const victim = entries[Math.floor(entries.length / 2)];
  if (!victim) return { intactBefore: before.ok, editDetected: false, tailDeletionDetected: false, detail: [...detail, 'the chain is empty'] };
  const original = victim.result;
  await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: original === 'refused' ? 'accepted' : 'refused' } });
  const afterEdit = await verify();
  detail.push(`entry ${victim.serial} edited: ${describe(afterEdit)}`);
  await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: original } });

  if (tamperDelayMs > 0) await sleep(tamperDelayMs);
  const tail = await AuditEntryModel.collection.find({}).sort({ serial: -1 }).limit(4).toArray();
  const [kept, ...removed] = [tail[3], tail[0], tail[1], tail[2]];
  let afterTail: Verification = { ok: true };
  if (kept && removed.every(Boolean)) {
    const head = await SequenceHeadModel.collection.findOne({ _id: auditSequence as never });
    await AuditEntryModel.collection.deleteMany({ _id: { $in: removed.map((entry) => entry!._id) } });
    await SequenceHeadModel.collection.updateOne({ _id: auditSequence as never }, { $set: { serial: kept.serial, hash: kept.hash } });
    afterTail = await verify();
    detail.push(`entries ${kept.serial + 1}–${kept.serial + removed.length} deleted and the head moved back to ${kept.serial}: ${describe(afterTail)}`);
    await AuditEntryModel.collection.insertMany(removed.filter((entry) => entry !== undefined));
    if (head) await SequenceHeadModel.collection.updateOne({ _id: auditSequence as never }, { $set: { serial: head.serial, hash: head.hash } });
  } else {
    detail.push('fewer than four entries: tail deletion not tried');
  }
    // On a chain already broken, a failed verification says nothing about the tampering.
  return { intactBefore: before.ok, editDetected: before.ok && !afterEdit.ok, tailDeletionDetected: before.ok && !afterTail.ok, detail };
}

async function verifyChain(baseUrl: string, supervisor: string): Promise<Verification> {
  const response = await fetch(`${baseUrl}/api/audit/verify`, { headers: { authorization: supervisor } });
  if (response.status !== 200) throw new Error(`GET /api/audit/verify: ${response.status} ${await response.text()}`);
  return (await response.json()) as Verification;
}

function describeVerification(result: Verification): string {
  return result.ok ? 'reported intact' : `reported broken at ${result.firstBreak?.serial ?? '?'} (${result.firstBreak?.reason ?? ''})`;
}


function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Verdict {
  passed: boolean;
  rows: { check: string; figure: string; required: string; ok: boolean }[];
}

/** The table the drills print, and whether every row holds. */
export function drillVerdict(report: DrillReport): Verdict {
  const fuzzServerErrors = report.fuzz.filter((outcome) => (outcome.status ?? 0) >= 500).length;
  const fuzzHandled = report.fuzz.filter((outcome) => outcome.ok).length;
  const rows: Verdict['rows'] = [
    { check: 'intakes sent', figure: String(report.sent), required: '', ok: true },
    { check: 'acknowledged', figure: String(report.acknowledged), required: `= ${report.sent}`, ok: report.acknowledged === report.sent },
    { check: 'lost (acknowledged, no case)', figure: String(report.lost.length), required: '0', ok: report.lost.length === 0 },
    { check: 'duplicated (one key, two cases)', figure: String(report.duplicated.length), required: '0', ok: report.duplicated.length === 0 },
    { check: '5xx to intakes (503 aside)', figure: String(report.load.serverErrors), required: '0', ok: report.load.serverErrors === 0 },
    { check: '503 to intakes (retried)', figure: String(report.load.unavailable), required: '', ok: true },
    { check: 'timeouts / dropped connections (retried)', figure: `${report.load.timeouts} / ${report.load.connectionFailures}`, required: '', ok: true },
    { check: 'intakes refused (4xx)', figure: String(report.load.refused.length), required: '0', ok: report.load.refused.length === 0 },
    ...report.faults.map((fault, index) => ({
      check: `time to recover, ${fault.fault} kill ${index + 1}`,
      figure: fault.recoveredMs === undefined ? `not recovered (${fault.error ?? ''})` : `${(fault.recoveredMs / 1000).toFixed(1)} s`,
      required: 'recovers',
      ok: fault.recoveredMs !== undefined,
    })),
    { check: 'fuzz requests handled (expected 4xx)', figure: `${fuzzHandled} of ${report.fuzz.length}`, required: `${report.fuzz.length}`, ok: fuzzHandled === report.fuzz.length },
    { check: '5xx to fuzz requests', figure: String(fuzzServerErrors), required: '0', ok: fuzzServerErrors === 0 },
    { check: 'audit chain intact before tampering', figure: report.tamper.intactBefore ? 'yes' : 'no', required: 'yes', ok: report.tamper.intactBefore },
    { check: 'tampering detected: entry edited', figure: report.tamper.editDetected ? 'yes' : 'no', required: 'yes', ok: report.tamper.editDetected },
    { check: 'tampering detected: tail deleted, head moved back', figure: report.tamper.tailDeletionDetected ? 'yes' : 'no', required: 'yes', ok: report.tamper.tailDeletionDetected },
    {
      check: 'audit chain intact after the fuzz',
      figure: report.tamper.intactAfterFuzz === undefined ? 'not checked' : report.tamper.intactAfterFuzz ? 'yes' : 'no',
      required: 'yes',
      ok: report.tamper.intactAfterFuzz === true,
    },
  ];
  return { passed: rows.every((row) => row.ok), rows };
}

export function formatReport(report: DrillReport): string {
  const verdict = drillVerdict(report);
  const width = Math.max(...verdict.rows.map((row) => row.check.length));
  const figureWidth = Math.max(...verdict.rows.map((row) => row.figure.length), 6);
  const lines = [
    `${'check'.padEnd(width)}  ${'figure'.padEnd(figureWidth)}  required`,
    ...verdict.rows.map((row) => `${row.check.padEnd(width)}  ${row.figure.padEnd(figureWidth)}  ${row.required.padEnd(9)}${row.ok ? '' : ' FAILED'}`),
  ];
  const details = [
    ...report.lost.map((line) => `lost: ${line}`),
    ...report.duplicated.map((line) => `duplicated: ${line}`),
    ...report.load.refused.slice(0, 5).map((refusal) => `refused intake: ${refusal.status} ${refusal.body}`),
    ...report.fuzz.filter((outcome) => !outcome.ok).map((outcome) => `fuzz "${outcome.name}": ${outcome.status ?? 'no answer'} — ${outcome.problem ?? ''}`),
    ...report.tamper.detail.map((line) => `audit: ${line}`),
  ];
  return [...lines, '', ...details, '', `${verdict.passed ? 'PASSED' : 'FAILED'} in ${(report.elapsedMs / 1000).toFixed(0)} s`].join('\n');
}
