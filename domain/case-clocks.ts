import type { CaseState, Clock, ClockId, TaskKind } from './case-state';
import type { HolidayCalendarData } from './calendar';
import { ruleFor, type DeadlineKind, type DeadlineRuleOverrides } from './deadlines';
import { addPeriod, shiftInstant, subtractWorkingDays } from './periods';

/** Policy periods an administrator may change per region or category (DESIGN.md §5). */
export interface CasePolicy {
  reminderWorkingDays: number;
  /** Used instead of reminderWorkingDays when the period is this many working days or less. */
  shortPeriodReminderWorkingDays: number;
  shortPeriodWorkingDays: number;
  /** Working days after the due date at which levels 2, 3 and 4 fire. */
  escalationWorkingDays: [number, number, number];
  verificationWorkingDays: number;
  closureApprovalWorkingDays: number;
  /** Continue-as-new once the history has this many events (the server also suggests it). */
  continueAsNewAfterEvents?: number;
  /** The deadline a 督办通知书 sets the handling unit. */
  supervisionWorkingDays?: number;
  /** Failed verifications after which the case escalates one level. */
  failuresBeforeEscalation: number;
  /** Changes to the policy periods of the deadline catalogue (legal periods cannot change). */
  ruleOverrides?: DeadlineRuleOverrides;
}

export const defaultCasePolicy: CasePolicy = {
  reminderWorkingDays: 2,
  shortPeriodReminderWorkingDays: 1,
  shortPeriodWorkingDays: 3,
  escalationWorkingDays: [3, 10, 20],
  verificationWorkingDays: 5,
  closureApprovalWorkingDays: 3,
  supervisionWorkingDays: 5,
  failuresBeforeEscalation: 2,
};

export interface CaseContext {
  calendar: HolidayCalendarData;
  policy: CasePolicy;
  /**
   * Whether a behaviour change is in force for this execution. The workflow answers with
   * Temporal's patched(), so histories recorded before a change replay as they ran; pure
   * callers (tests, the API) leave it out and get the current behaviour.
   */
  isChangeInForce?: (changeId: string) => boolean;
}

export function isChangeInForce(context: CaseContext, changeId: string): boolean {
  return context.isChangeInForce?.(changeId) ?? true;
}

export const policyBasis = '政策默认 (可配置)';

export interface ClockSpec {
  label: string;
  basis: string;
  source: 'law' | 'policy';
  step: TaskKind;
  /** Either a period counted from `startedAt`… */
  period?: { amount: number; unit: 'ND' | 'WD' | 'H'; rollForwardOnHoliday?: boolean };
  /** …or a due instant set by a decision (e.g. the date in an order to correct). */
  dueAt?: string;
}

/** A clock spec straight from the deadline catalogue: its period, legal basis and label. */
export function fromCatalogue(kind: DeadlineKind, step: TaskKind, context: CaseContext): ClockSpec {
  const rule = ruleFor(kind, context.policy.ruleOverrides);
  return {
    label: rule.label,
    basis: rule.basis,
    source: rule.source,
    step,
    period: { amount: rule.amount, unit: rule.unit, rollForwardOnHoliday: rule.rollForwardOnHoliday },
  };
}

/** Opens (or reopens) a clock: fixes its due instant, reminder and overdue ladder. */
export function openClock(state: CaseState, id: ClockId, spec: ClockSpec, startedAt: string, context: CaseContext): Clock {
  const clock: Clock = { id, ...runningClockFields(spec, startedAt, context), step: spec.step };
  schedule(clock, startedAt, context, spec.period);
  state.clocks[id] = clock;
  return clock;
}

/** What every new clock starts with, a case's or a referral's: running from `startedAt`, not yet scheduled. */
export function runningClockFields(spec: Omit<ClockSpec, 'step'>, startedAt: string, context: CaseContext): Omit<Clock, 'id' | 'step'> {
  return {
    label: spec.label,
    basis: spec.basis,
    source: spec.source,
    startedAt,
    dueAt: initialDueAt(spec, startedAt, context),
    status: 'running',
    reminded: false,
    ladder: [],
    escalationLevel: 0,
    extensions: 0,
    history: [],
  };
}

/** A new clock's due instant: the date a decision set, or its period counted from `startedAt`. */
function initialDueAt(spec: Pick<ClockSpec, 'dueAt' | 'period'>, startedAt: string, context: CaseContext): string {
  return (
    spec.dueAt ??
    addPeriod({
      start: startedAt,
      amount: spec.period?.amount ?? 0,
      unit: spec.period?.unit ?? 'ND',
      rollForwardOnHoliday: spec.period?.rollForwardOnHoliday ?? false,
      calendar: context.calendar,
    })
  );
}

/** Recomputes the reminder and ladder after the due instant moved. */
export function schedule(
  clock: Pick<Clock, 'dueAt' | 'reminderAt' | 'reminded' | 'ladder'>,
  now: string,
  context: CaseContext,
  period?: { amount: number; unit: 'ND' | 'WD' | 'H' },
): void {
  const policy = context.policy;
  const short = period?.unit === 'WD' && period.amount <= policy.shortPeriodWorkingDays;
  const reminderDays = short ? policy.shortPeriodReminderWorkingDays : policy.reminderWorkingDays;
  const reminderAt = period?.unit === 'H' ? undefined : subtractWorkingDays(clock.dueAt, reminderDays, context.calendar);
  clock.reminderAt = reminderAt && reminderAt > now ? reminderAt : undefined;
  clock.reminded = clock.reminderAt === undefined;
  clock.ladder = [
    clock.dueAt,
    ...policy.escalationWorkingDays.map((days) =>
      addPeriod({ start: clock.dueAt, amount: days, unit: 'WD', calendar: context.calendar }),
    ),
  ];
}

export function moveDue(clock: Pick<Clock, 'dueAt' | 'reminderAt' | 'reminded' | 'ladder' | 'history' | 'escalationLevel'>, to: string, reason: string, at: string, context: CaseContext, by?: string): void {
  clock.history.push({ at, from: clock.dueAt, to, reason, by });
  clock.dueAt = to;
  schedule(clock, at, context);
  // A moved deadline starts its ladder afresh from the levels that still lie ahead.
  clock.escalationLevel = clock.ladder.filter((instant) => instant <= at).length;
}

export function meetClock(state: CaseState, id: ClockId): void {
  const clock = state.clocks[id];
  if (clock && (clock.status === 'running' || clock.status === 'suspended')) clock.status = 'met';
}

export function cancelClock(state: CaseState, id: ClockId): void {
  const clock = state.clocks[id];
  if (clock && (clock.status === 'running' || clock.status === 'suspended')) clock.status = 'cancelled';
}

/** A terminal state ends every clock still counting (and with them the workflow's timer). */
export function cancelOpenClocks(clocks: Iterable<Pick<Clock, 'status'> | undefined>): void {
  for (const clock of clocks) {
    if (clock && (clock.status === 'running' || clock.status === 'suspended')) clock.status = 'cancelled';
  }
}

/** A timer fires on time give or take seconds; a level reached later than this was reached late. */
const onTimeGraceMs = 60 * 60_000;

/**
 * Climbs one overdue level whose instant has come; returns whether it did. One level per wake-up:
 * a level reached late (the worker was down, or the due date already lay behind) moves the levels
 * after it by the same delay, so each still waits its full notice period instead of all of them
 * firing at once.
 */
export function climbOneLevel(clock: Pick<Clock, 'ladder' | 'escalationLevel'>, now: string): boolean {
  const reached = clock.ladder[clock.escalationLevel];
  if (reached === undefined || reached > now) return false;
  clock.escalationLevel += 1;
  const lateMs = Date.parse(now) - Date.parse(reached);
  if (lateMs > onTimeGraceMs) {
    clock.ladder = clock.ladder.map((instant, index) => (index < clock.escalationLevel ? instant : shiftInstant(instant, lateMs)));
  }
  return true;
}

export function isOpenClock(clock: Clock | undefined): clock is Clock {
  return clock !== undefined && (clock.status === 'running' || clock.status === 'suspended');
}

/** Stops a clock; whoever calls has checked that it runs. */
export function markSuspended(clock: Pick<Clock, 'status' | 'suspendedAt' | 'suspensionReason'>, reason: string, now: string): void {
  clock.status = 'suspended';
  clock.suspendedAt = now;
  clock.suspensionReason = reason;
}

/**
 * Runs a stopped clock again: its due instant moves by exactly the time it stood still
 * (中止期间不计入). Whoever calls has checked that it is suspended.
 */
export function resumeSuspended(
  clock: Pick<Clock, 'status' | 'suspendedAt' | 'suspensionReason' | 'dueAt' | 'reminderAt' | 'reminded' | 'ladder' | 'history' | 'escalationLevel'>,
  now: string,
  context: CaseContext,
  by?: string,
  note?: string,
): void {
  const stopped = durationMs(clock.suspendedAt ?? now, now);
  const reason = `中止期间不计入（${clock.suspensionReason ?? ''}）${note ? `；${note}` : ''}`;
  clock.status = 'running';
  clock.suspendedAt = undefined;
  clock.suspensionReason = undefined;
  moveDue(clock, shiftInstant(clock.dueAt, stopped), reason, now, context, by);
}

/** The instant the workflow must wake next for a reminder or an overdue level, if any. */
export function nextClockEventAt(state: CaseState): string | undefined {
  return nextWakeAt(Object.values(state.clocks));
}

/** The earliest pending reminder or overdue level across running clocks (a case's or a referral's). */
export function nextWakeAt(clocks: Iterable<Pick<Clock, 'status' | 'reminded' | 'reminderAt' | 'ladder' | 'escalationLevel'> | undefined>): string | undefined {
  let next: string | undefined;
  for (const clock of clocks) {
    if (!clock || clock.status !== 'running') continue;
    for (const candidate of [clock.reminded ? undefined : clock.reminderAt, clock.ladder[clock.escalationLevel]]) {
      if (candidate && (next === undefined || candidate < next)) next = candidate;
    }
  }
  return next;
}

export function durationMs(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}
