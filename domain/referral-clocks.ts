// Clocks of a referral. The same mechanics as a case clock (reminder, 4-level overdue ladder,
// moved dues, suspension) through case-clocks' helpers; only the ids and the owing party
// differ, so the periods, legal bases and ladders read alike on both screens.
import { fromCatalogue, markSuspended, nextWakeAt, resumeSuspended, runningClockFields, schedule, type CaseContext, type ClockSpec } from './case-clocks';
import type { DeadlineKind } from './deadlines';
import type { ClockParty, ReferralClock, ReferralClockId, ReferralState } from './referral';

export interface ReferralClockSpec extends Omit<ClockSpec, 'step'> {
  kind?: DeadlineKind;
}

/** A clock straight from the deadline catalogue. */
export function catalogueSpec(kind: DeadlineKind, context: CaseContext): ReferralClockSpec {
  const { step: _step, ...spec } = fromCatalogue(kind, 'police_decide', context);
  return { ...spec, kind };
}

export function openReferralClock(
  state: ReferralState,
  id: ReferralClockId,
  spec: ReferralClockSpec,
  party: ClockParty,
  startedAt: string,
  context: CaseContext,
): ReferralClock {
  const clock: ReferralClock = { id, party, kind: spec.kind, ...runningClockFields(spec, startedAt, context) };
  schedule(clock, startedAt, context, spec.period);
  // A window (e.g. the time to ask for reconsideration) is nobody's duty: it has no ladder,
  // it simply closes at its due instant.
  if (party === 'window') {
    clock.ladder = [clock.dueAt];
    clock.reminderAt = undefined;
    clock.reminded = true;
  }
  state.clocks[id] = clock;
  return clock;
}

export function isRunning(clock: ReferralClock | undefined): clock is ReferralClock {
  return clock !== undefined && clock.status === 'running';
}

export function isOpen(clock: ReferralClock | undefined): clock is ReferralClock {
  return clock !== undefined && (clock.status === 'running' || clock.status === 'suspended');
}

export function meetReferralClock(state: ReferralState, id: ReferralClockId): void {
  const clock = state.clocks[id];
  if (isOpen(clock)) clock.status = 'met';
}

export function cancelReferralClock(state: ReferralState, id: ReferralClockId): void {
  const clock = state.clocks[id];
  if (isOpen(clock)) clock.status = 'cancelled';
}

export function cancelAllReferralClocks(state: ReferralState): void {
  for (const clock of Object.values(state.clocks)) {
    if (isOpen(clock)) clock.status = 'cancelled';
  }
}

export function suspendReferralClock(clock: ReferralClock, reason: string, now: string): void {
  if (clock.status !== 'running') return;
  markSuspended(clock, reason, now);
}

/** Resumes a stopped clock: its due instant moves by exactly the time it stood still. */
export function resumeReferralClock(clock: ReferralClock, now: string, context: CaseContext, by?: string): void {
  if (clock.status !== 'suspended') return;
  resumeSuspended(clock, now, context, by);
}

/** The instant the referral workflow must wake next, across all running clocks. */
export function nextReferralEventAt(state: ReferralState): string | undefined {
  return nextWakeAt(Object.values(state.clocks));
}
