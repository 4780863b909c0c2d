import type { ManagedProcess } from './processes';
import { decideAfterCrash, defaultRestartPolicy, type RestartPolicy } from './restart-policy';

export interface SupervisedProcess {
  readonly name: string;
  /** The child running now (a new one after each restart). */
  current(): ManagedProcess;
  /** Stops the child and restarts no more. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  policy?: RestartPolicy;
  /** Progress for the operator: a crash, the pause before the restart, the restart. */
  report?: (message: string) => void;
  /** Called once when the child crashed too often; the supervisor has stopped restarting. */
  onGiveUp: (message: string) => void;
  now?: () => number;
}

/**
 * Keeps a child running: an exit we did not ask for is a crash, answered by a restart after the
 * policy's pause, or by `onGiveUp` when it keeps crashing.
 */
export function supervise(name: string, start: () => ManagedProcess, options: SuperviseOptions): SupervisedProcess {
  const policy = options.policy ?? defaultRestartPolicy;
  const report = options.report ?? ((message) => console.error(message));
  const now = options.now ?? Date.now;
  let crashes: number[] = [];
  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  let child = launch();

  function launch(): ManagedProcess {
    const started = start();
    started.child.once('exit', (code, signal) => {
      if (stopped) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const decision = decideAfterCrash(crashes, now(), policy);
      crashes = decision.recentCrashes;
      if (decision.action === 'give-up') {
        stopped = true;
        options.onGiveUp(`${name} exited with ${how}: ${crashes.length} crashes within ${policy.windowMs / 1000} s, not restarting`);
        return;
      }
      report(`${name} exited with ${how}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s (crash ${crashes.length} of ${policy.maxCrashes} allowed per ${policy.windowMs / 1000} s)`);
      pending = setTimeout(() => {
        pending = undefined;
        if (stopped) return;
        child = launch();
        report(`${name} restarted (pid ${child.child.pid})`);
      }, decision.delayMs);
    });
    return started;
  }

  return {
    name,
    current: () => child,
    async stop() {
      stopped = true;
      if (pending) clearTimeout(pending);
      await child.stop();
    },
  };
}
