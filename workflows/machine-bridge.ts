// What both workflows do around their pure domain machine: read workflow time, turn the
// machine's refusals into failures the caller can read, and hand unprojected timeline events
// to the read model. Deterministic helpers only; the activity each workflow calls stays with it,
// so the commands a workflow emits are its own.
import { ApplicationFailure } from '@temporalio/workflow';
import type { CaseEvent } from '../domain/case-state';
import { isDomainError } from '../domain/errors';

/** Workflow time (deterministic inside a workflow) as the ISO string the machines take. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Domain refusals become non-retryable failures: the caller sees the reason, history stays clean. */
export function asFailure<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isDomainError(error)) throw ApplicationFailure.nonRetryable(error.message, error.code, error.details);
    throw error;
  }
}

/** The state as queries and the read model see it: without the not-yet-projected events. */
export function withoutUnprojected<S extends { unprojectedEvents: CaseEvent[] }>(state: S): Omit<S, 'unprojectedEvents'> {
  const { unprojectedEvents: _events, ...rest } = state;
  return rest;
}

/**
 * Sends the pending events through `write`, then drops exactly those: events a signal adds
 * while the write is in flight stay for the next projection. Without `keepLateEvents` (histories
 * recorded before the fix) the list is taken by reference, so such events were dropped unseen.
 */
export async function projectPending<S extends { unprojectedEvents: CaseEvent[] }>(
  state: S,
  write: (events: CaseEvent[]) => Promise<unknown>,
  options: { keepLateEvents?: boolean } = {},
): Promise<void> {
  const events = options.keepLateEvents ? [...state.unprojectedEvents] : state.unprojectedEvents;
  await write(events);
  state.unprojectedEvents = state.unprojectedEvents.filter((event) => !events.includes(event));
}
