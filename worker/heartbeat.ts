import { deleteWorkerHeartbeat, saveWorkerHeartbeat } from '../read-model/worker-heartbeats.repository';

/** How often a worker writes its heartbeat, and how old the newest may be before /health says down. */
export const workerHeartbeatIntervalMs = 5_000;
export const workerHeartbeatMaxAgeMs = 15_000;

export interface WorkerHeartbeat {
  /** Stops writing and deletes this worker's row, so a clean stop shows at once. */
  stop(): Promise<void>;
}

/**
 * Writes `{_id: identity, taskQueue, at}` to `worker_heartbeats` every few seconds while the
 * worker says it is running. The server's list of pollers is no judge of a dead worker: it
 * remembers a poller for minutes after the process is gone. A heartbeat the process must keep
 * writing itself goes stale within seconds of its death.
 */
export function startWorkerHeartbeat(options: {
  identity: string;
  taskQueue: string;
  isRunning: () => boolean;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): WorkerHeartbeat {
  const startedAt = new Date();
  let writing: Promise<void> = Promise.resolve();
  const beat = () => {
    if (!options.isRunning()) return;
    writing = saveWorkerHeartbeat({ identity: options.identity, taskQueue: options.taskQueue, at: new Date(), startedAt }).then(
      () => undefined,
      // A missed beat is not fatal: the next one may land, and if none does the worker is
      // reported down, which is then the truth as far as anyone can tell.
      (error: unknown) => options.onError?.(error),
    );
  };
  beat();
  // The worker may not report itself running yet at the first beat; the second follows soon.
  setTimeout(beat, 1_000).unref();
  const timer = setInterval(beat, options.intervalMs ?? workerHeartbeatIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await writing;
      await deleteWorkerHeartbeat(options.identity).catch((error: unknown) => options.onError?.(error));
    },
  };
}
