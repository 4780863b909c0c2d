import { WithStartWorkflowOperation } from '@temporalio/client';
import { caseIdFor, registerIntake } from '../api/case-commands';
import { chinaCalendarData } from '../domain/calendar';
import type { IntakeInput } from '../domain/case';
import { defaultCasePolicy } from '../domain/case-clocks';
import { CaseModel } from '../models/case.model';
import type { caseProcessingWorkflow } from '../workflows/case-processing.workflow';
import { caseWorkflowId, intakeOutcomeUpdate } from '../workflows/case-messages';
import { intakeAt } from './lib/bench-intake';
import { describeLatencies, envNumber, runPool, serversStopped, startBenchStack, type BenchStack } from './lib/bench-stack';
import { formatRoundTrips, readModelCallsOf, roundTripsOf } from './lib/round-trips';

/**
 * Intake throughput, end to end: N complaints posted to the API at a fixed concurrency, each
 * counted done when its triage task shows in the officer's GET /api/tasks. Against the same
 * Temporal server and worker it then measures the same workflow type started bare by the
 * client (update-with-start, as the API does it, and plain start), and prints the ratio.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/intake.bench.js
 *   BENCH_INTAKES=200 BENCH_CONCURRENCY=8 npm run bench:intake
 */
const n = envNumber('BENCH_INTAKES', 200);
const concurrency = envNumber('BENCH_CONCURRENCY', 8);
const warmup = 8;
const dayMs = 86_400_000;

async function main(): Promise<void> {
  console.log(`intake bench: N=${n}, concurrency=${concurrency} (2-core box: ${require('node:os').cpus().length} CPUs)`);
  const stack = await startBenchStack();
  process.once('exit', () => stack.kill());
  const officer = await stack.login('officer');
  const runId = Date.now().toString(36);

  async function postAndSeeTask(spot: number, key: string, receivedAt: string): Promise<void> {
    const posted = await fetch(`${stack.baseUrl}/api/intakes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: officer },
      body: JSON.stringify(intakeAt(spot, key, receivedAt)),
    });
    const body = (await posted.json()) as { caseId: string; mergedInto?: unknown };
    if (posted.status !== 201 || body.mergedInto) throw new Error(`intake ${key}: ${posted.status} ${JSON.stringify(body)}`);
    for (const deadline = Date.now() + 30_000; ; ) {
      const listed = await fetch(`${stack.baseUrl}/api/tasks?view=unit&pageSize=100`, { headers: { authorization: officer } });
      const { items } = (await listed.json()) as { items: { caseId: string; kind: string }[] };
      if (items.some((task) => task.caseId === body.caseId && task.kind === 'triage')) return;
      if (Date.now() > deadline) throw new Error(`triage task of ${body.caseId} not listed within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // Later intakes are received earlier, so each new triage task sorts at or near the top of the
  // officer's list (least time left first) and its visibility is a question of time, not paging.
  // Within the 7-day late-entry window (older receipts need a supervisor and a reason).
  const receivedAtFor = (index: number, count: number) => new Date(Date.now() - Math.floor((index * 7) / count) * dayMs).toISOString();

  await runPool(warmup, 4, (i) => postAndSeeTask(10_000 + i, `bench-${runId}-warm-${i}`, new Date().toISOString()));
  await printRoundTripsOfOneIntake(stack, intakeAt(20_000, `bench-${runId}-counted`, new Date().toISOString()));

  const api = await runPool(n, concurrency, (i) => postAndSeeTask(i, `bench-${runId}-api-${i}`, receivedAtFor(i, n)));
  const apiRate = (n / api.elapsedMs) * 1000;
  console.log(`API end to end (POST /api/intakes → workflow registers → triage task in GET /api/tasks):`);
  console.log(`  ${apiRate.toFixed(1)} intakes/s; ${describeLatencies(api.latencies)}`);
  await settle(warmup + 1 + n);

  const intakeInput = (spot: number, key: string): IntakeInput => intakeAt(spot, key, new Date().toISOString());
  const workflowArgs = (spot: number, key: string) => {
    const intake = intakeInput(spot, key);
    const caseId = caseIdFor(intake.channel, intake.idempotencyKey);
    return { caseId, options: { workflowId: caseWorkflowId(caseId), taskQueue: stack.taskQueue, args: [{ caseId, intake, calendar: chinaCalendarData, policy: defaultCasePolicy }] as Parameters<typeof caseProcessingWorkflow> } };
  };

  const updateWithStart = await runPool(n, concurrency, async (i) => {
    const { options } = workflowArgs(2_000 + i, `bench-${runId}-uws-${i}`);
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof caseProcessingWorkflow>('caseProcessingWorkflow', {
      ...options,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await stack.client.workflow.executeUpdateWithStart(intakeOutcomeUpdate, { startWorkflowOperation });
  });
  const updateWithStartRate = (n / updateWithStart.elapsedMs) * 1000;
  console.log(`client.workflow.executeUpdateWithStart (what the API calls; waits for registration):`);
  console.log(`  ${updateWithStartRate.toFixed(1)} /s; ${describeLatencies(updateWithStart.latencies)}`);
  await settle(warmup + 1 + 2 * n);

  const bareStart = await runPool(n, concurrency, async (i) => {
    const { options } = workflowArgs(4_000 + i, `bench-${runId}-start-${i}`);
    await stack.client.workflow.start<typeof caseProcessingWorkflow>('caseProcessingWorkflow', options);
  });
  const bareStartRate = (n / bareStart.elapsedMs) * 1000;
  console.log(`client.workflow.start (bare start, returns before the workflow has run):`);
  console.log(`  ${bareStartRate.toFixed(1)} /s; ${describeLatencies(bareStart.latencies)}`);
  console.log('');
  console.log(`ratio API / bare start:            ${((apiRate / bareStartRate) * 100).toFixed(0)} % (goal ≥ 80 %)`);
  console.log(`ratio API / bare update-with-start: ${((apiRate / updateWithStartRate) * 100).toFixed(0)} %`);
  // The bare starts still run on the worker; waiting for them shows how long the backlog takes.
  const drainStarted = performance.now();
  if (await settle(warmup + 1 + 3 * n)) {
    console.log(`backlog of ${n} bare-started workflows registered ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the last start`);
  }
  await stack.stop();
}

/**
 * One intake as the API registers it (registerIntake, in process, so that its own read-model
 * calls can be told from the worker's), then its workflow history once the intake's workflow
 * tasks are done: the case then waits on its first timer.
 */
async function printRoundTripsOfOneIntake(stack: BenchStack, intake: IntakeInput): Promise<void> {
  const officer = { userId: 'bench-officer', name: '基准测试', role: 'officer' as const, regionCode: '350602' };
  const { result, calls } = await readModelCallsOf(() => registerIntake({ temporal: stack.client, taskQueue: stack.taskQueue }, intake, officer));
  const handle = stack.client.workflow.getHandle(caseWorkflowId(caseIdFor(intake.channel, intake.idempotencyKey)));
  let counts = await roundTripsOf(handle);
  for (const deadline = Date.now() + 10_000; counts.timers === 0 && Date.now() < deadline; counts = await roundTripsOf(handle)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`round trips of one intake (case ${result.caseNo}):`);
  console.log(formatRoundTrips(counts, calls));
}

/**
 * Waits until every started case is registered, so one phase's tail does not load the next.
 * Returns false (and says so) when the backlog has not drained within the limit.
 */
async function settle(expectedCases: number, limitMs = envNumber('BENCH_SETTLE_MS', 600_000)): Promise<boolean> {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; ) {
    if ((await CaseModel.countDocuments({})) >= expectedCases) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`  (only ${await CaseModel.countDocuments({})} of ${expectedCases} cases registered after ${limitMs / 1000} s; going on)`);
  return false;
}

main().catch(async (error) => {
  console.error(error);
  await serversStopped();
  process.exit(1);
});
