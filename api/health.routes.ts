import { Router } from 'express';
import mongoose from 'mongoose';
import type { Client } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import { describeDatabaseFailure } from './database-unavailable';

type Check = { ok: boolean; detail?: string };

/**
 * /health: each dependency the API needs, and whether a worker polls the case task queue
 * (without one, cases are accepted but nothing moves). 200 only when all are green.
 */
export function healthRoutes(deps: { temporal: Client; namespace: string; taskQueue: string }): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [mongo, temporal, worker] = await Promise.all([
      check(async () => {
        // FerretDB's ping also asks its PostgreSQL backend, so this tells which of the two is down.
        await mongoose.connection.db?.admin().ping().catch((error: unknown) => {
          throw new Error(describeDatabaseFailure(error));
        });
        return mongoose.connection.readyState === 1 ? undefined : 'not connected';
      }),
      check(async () => {
        const info = await deps.temporal.workflowService.getSystemInfo({});
        return `server ${info.serverVersion ?? ''}`.trim();
      }),
      check(async () => {
        const response = await deps.temporal.workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: temporalProto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporalProto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        const pollers = response.pollers?.length ?? 0;
        if (pollers === 0) throw new Error(`no worker polls ${deps.taskQueue}`);
        return `${pollers} poller(s)`;
      }),
    ]);
    const ok = mongo.ok && temporal.ok && worker.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { mongo, temporal, worker } });
  });
  return router;
}

async function check(probe: () => Promise<string | undefined>): Promise<Check> {
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3_000)),
    ]);
    return detail ? { ok: true, detail } : { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
