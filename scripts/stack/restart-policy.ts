/**
 * When a supervised child (worker, API) crashes: restart it after a growing pause, unless it
 * crashed too often lately, which means something is wrong that a restart will not fix.
 */
export interface RestartPolicy {
  /** Crashes within `windowMs` after which we give up (the last one included). */
  maxCrashes: number;
  windowMs: number;
  /** Pause before the first restart; doubles with each recent crash, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { maxCrashes: 5, windowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 16_000 };

export type CrashDecision =
  | { action: 'restart'; delayMs: number; recentCrashes: number[] }
  | { action: 'give-up'; recentCrashes: number[] };

/** `earlierCrashes` are the times (ms) of previous crashes; `now` is this crash's. */
export function decideAfterCrash(earlierCrashes: readonly number[], now: number, policy: RestartPolicy = defaultRestartPolicy): CrashDecision {
  const recentCrashes = [...earlierCrashes.filter((at) => now - at < policy.windowMs), now];
  if (recentCrashes.length >= policy.maxCrashes) return { action: 'give-up', recentCrashes };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (recentCrashes.length - 1));
  return { action: 'restart', delayMs, recentCrashes };
}
