import fs from 'node:fs';
import os from 'node:os';
import mongoose from 'mongoose';
import { caseIdFor } from '../api/case-commands';
import { chinaCalendarData } from '../domain/calendar';
import { intakeAt } from './lib/bench-intake';
import { defaultCasePolicy } from '../domain/case-clocks';
import { registerCase } from '../domain/case-machine';
import type { caseProcessingWorkflow } from '../workflows/case-processing.workflow';
import { caseWorkflowId } from '../workflows/case-messages';
import { envNumber, runPool, serversStopped, startBenchStack, type BenchStack } from './lib/bench-stack';

/**
 * Many open cases at once: starts BENCH_WORKFLOWS case workflows (default 20 000) against the
 * embedded stack with a Temporal SQLite file, waits until the worker has run each one to its
 * first durable timer, then prints the worker process's memory, the size of Temporal's SQLite
 * file, the PostgreSQL database under FerretDB and the read-model collections.
 *
 * Each workflow starts with a registered case carried in (as continue-as-new hands it over),
 * its registration events already projected, so it runs one workflow task and waits on its
 * acceptance clock; registering 20 000 cases through prepareIntake and projectCase would take
 * far longer than the 15 minutes this bench may run on the 2-core box (see "Intake").
 *
 *   BENCH_WORKFLOWS=20000 BENCH_CONCURRENCY=32 npm run bench:workflows
 */
const n = envNumber('BENCH_WORKFLOWS', 20_000);
const concurrency = envNumber('BENCH_CONCURRENCY', 32);
const batchSize = 1_000;
const limitMs = envNumber('BENCH_LIMIT_MS', 14 * 60_000);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const jurisdiction = { countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗', agencyName: '漳州市芗城生态环境局' };

async function main(): Promise<void> {
  console.log(`workflows bench: N=${n}, concurrency=${concurrency}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  const stack = await startBenchStack({ temporalDbFile: true });
  process.once('exit', () => stack.kill());
  const runId = Date.now().toString(36);
  const context = { calendar: chinaCalendarData, policy: defaultCasePolicy, isChangeInForce: () => true };
  console.log(`before: ${await describeSizes(stack)}`);

  const started = performance.now();
  let startedCount = 0;
  for (let batch = 0; batch * batchSize < n && performance.now() - started < limitMs; batch += 1) {
    const count = Math.min(batchSize, n - batch * batchSize);
    const { elapsedMs } = await runPool(count, concurrency, async (offset) => {
      const i = batch * batchSize + offset;
      const now = new Date().toISOString();
      const intake = intakeAt(i, `bench-${runId}-open-${i}`, now);
      const caseId = caseIdFor(intake.channel, intake.idempotencyKey);
      const registered = registerCase({ caseId, caseNo: `350602-2026-B${String(i).padStart(5, '0')}`, intake, ...jurisdiction }, now, context);
      registered.unprojectedEvents = [];
      await stack.client.workflow.start<typeof caseProcessingWorkflow>('caseProcessingWorkflow', {
        workflowId: caseWorkflowId(caseId),
        taskQueue: stack.taskQueue,
        args: [{ caseId, intake, calendar: chinaCalendarData, policy: defaultCasePolicy, carriedState: registered }],
      });
    });
    startedCount += count;
    console.log(`  started ${startedCount} (${((count / elapsedMs) * 1000).toFixed(0)} /s this batch); ${await waitingOnTimer(stack)} waiting on their timer; rss ${mb(process.memoryUsage().rss)}`);
  }
  const startSeconds = (performance.now() - started) / 1000;
  console.log(`started ${startedCount} workflows in ${startSeconds.toFixed(0)} s (${(startedCount / startSeconds).toFixed(1)} /s)`);

  let waiting = await waitingOnTimer(stack);
  while (waiting < startedCount && performance.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    waiting = await waitingOnTimer(stack);
  }
  const totalSeconds = (performance.now() - started) / 1000;
  console.log(`${waiting} of ${startedCount} workflows open and waiting on their timer after ${totalSeconds.toFixed(0)} s`);
  global.gc?.();
  console.log(`after: ${await describeSizes(stack)}`);
  await stack.stop();
}

/** Open case workflows that have run their first task: the timer is started in the same task that upserts CaseStatus. */
async function waitingOnTimer(stack: BenchStack): Promise<number> {
  const { count } = await stack.client.workflow.count(`WorkflowType = 'caseProcessingWorkflow' AND ExecutionStatus = 'Running' AND CaseStatus = 'received'`);
  return count;
}

async function describeSizes(stack: BenchStack): Promise<string> {
  const memory = process.memoryUsage();
  const status = stack.worker?.getStatus();
  const temporalBytes = stack.temporalDbFile
    ? ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.existsSync(stack.temporalDbFile + suffix) ? fs.statSync(stack.temporalDbFile + suffix).size : 0), 0)
    : Number.NaN;
  const postgresBytes = Number((await stack.postgres.psql(`SELECT pg_database_size(current_database())`)).trim());
  const db = mongoose.connection.db!;
  const collections = await db.listCollections().toArray();
  const counts = await Promise.all(collections.map(async ({ name }) => `${name} ${await db.collection(name).countDocuments()}`));
  return [
    `worker process rss ${mb(memory.rss)} (heap used ${mb(memory.heapUsed)}, external ${mb(memory.external)}; the process also holds the API and Mongoose)`,
    `cached workflows ${status?.numCachedWorkflows ?? '?'}`,
    `Temporal SQLite ${mb(temporalBytes)}`,
    `PostgreSQL (FerretDB database) ${mb(postgresBytes)}`,
    `collections: ${counts.sort().join(', ')}`,
  ].join('\n  ');
}

main().catch(async (error) => {
  console.error(error);
  await serversStopped();
  process.exit(1);
});
