import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One row per worker process, rewritten every few seconds by the worker itself while it
 * runs: `/health` judges the workers by how fresh these are. A worker that stops cleanly
 * deletes its row; one that dies leaves it to go stale.
 */
const workerHeartbeatSchema = new Schema(
  {
    /** The worker's Temporal identity (pid@host). */
    _id: { type: String, required: true },
    taskQueue: { type: String, required: true },
    at: { type: Date, required: true },
    startedAt: { type: Date, required: true },
  },
  { collection: 'worker_heartbeats', versionKey: false },
);
workerHeartbeatSchema.index({ taskQueue: 1 });

export type WorkerHeartbeatRecord = InferSchemaType<typeof workerHeartbeatSchema>;
export const WorkerHeartbeatModel = mongoose.model('WorkerHeartbeat', workerHeartbeatSchema);
