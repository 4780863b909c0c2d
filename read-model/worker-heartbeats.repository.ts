// One row per worker process, rewritten by the worker while it runs (see models/worker-heartbeat.model.ts).
import { WorkerHeartbeatModel } from '../models/worker-heartbeat.model';

export async function saveWorkerHeartbeat(beat: { identity: string; taskQueue: string; at: Date; startedAt: Date }): Promise<void> {
  await WorkerHeartbeatModel.updateOne({ _id: beat.identity }, { $set: { taskQueue: beat.taskQueue, at: beat.at, startedAt: beat.startedAt } }, { upsert: true });
}

export async function deleteWorkerHeartbeat(identity: string): Promise<void> {
  await WorkerHeartbeatModel.deleteOne({ _id: identity });
}

/** When each worker on `taskQueue` last beat. */
export async function listHeartbeatTimes(taskQueue: string): Promise<Date[]> {
  const beats = await WorkerHeartbeatModel.find({ taskQueue }).select({ at: 1 }).lean();
  return beats.map((beat) => beat.at);
}
