// Legal period arithmetic (DOMAIN.md §0). Every rule of counting lives in `addPeriod`; the
// other exports are the small helpers the workflow and the API need around a due instant.
//
// Time zone: all calendar dates are Asia/Shanghai dates. China has kept UTC+8 without daylight
// saving since 1991, so a fixed +08:00 offset is exact for every date the system handles and
// no time-zone library is needed (none is allowed in the workflow sandbox anyway).
//
// Instants are ISO strings. Inputs may carry any explicit offset ('Z' or '±HH:MM'); outputs are
// always UTC 'Z' form with milliseconds, as Date#toISOString writes them.
import { addDays, assertIsoDate, isIsoDate, isWorkingDay, nextWorkingDay } from './calendar';
import type { CalendarInput } from './calendar';
import { DomainError } from './errors';

export const periodUnits = ['ND', 'WD', 'H'] as const;
/** ND natural days (自然日), WD working days (工作日), H wall-clock hours. */
export type PeriodUnit = (typeof periodUnits)[number];

export interface AddPeriodInput {
  /** The trigger: a Shanghai date 'YYYY-MM-DD', or an ISO instant with an offset. */
  start: string;
  amount: number;
  unit: PeriodUnit;
  /**
   * ND only: when the last day is not a working day, the period ends on the next working day
   * (两法衔接办法 第三十八条). Apply only where the source says so. WD periods always end on a
   * working day; H periods are wall-clock and never roll.
   */
  rollForwardOnHoliday?: boolean;
  calendar: CalendarInput;
}

const hourMs = 3_600_000;
const shanghaiOffsetMs = 8 * hourMs;
const instantPattern =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export function isInstant(value: string): boolean {
  const match = instantPattern.exec(value);
  return match !== null && isIsoDate(match[1] ?? '');
}

/** Milliseconds since the epoch of an ISO instant; rejects instants without an offset. */
export function instantToMs(instant: string): number {
  if (!isInstant(instant)) {
    throw new DomainError(
      'InvalidInput',
      `not an ISO instant with an offset (e.g. 2026-09-28T09:00:00+08:00): ${instant}`,
      { value: instant },
    );
  }
  return Date.parse(instant);
}

function msToInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** The Asia/Shanghai calendar date of an instant; a bare date is returned as it is. */
export function shanghaiDate(instantOrDate: string): string {
  if (isIsoDate(instantOrDate)) return instantOrDate;
  return new Date(instantToMs(instantOrDate) + shanghaiOffsetMs).toISOString().slice(0, 10);
}

/** The instant at `hour:minute` Asia/Shanghai time on `date`. */
export function shanghaiInstant(date: string, hour = 0, minute = 0): string {
  assertIsoDate(date);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new DomainError('InvalidInput', `not a time of day: ${hour}:${minute}`, { hour, minute });
  }
  return msToInstant(Date.parse(`${date}T00:00:00Z`) - shanghaiOffsetMs + hour * hourMs + minute * 60_000);
}

export function startOfShanghaiDay(date: string): string {
  return shanghaiInstant(date, 0, 0);
}

/** 23:59:59.999 +08:00 on `date`: a day-counted period is met by anything done that day. */
export function endOfShanghaiDay(date: string): string {
  assertIsoDate(date);
  return msToInstant(Date.parse(`${date}T00:00:00Z`) - shanghaiOffsetMs + 24 * hourMs - 1);
}

function assertAmount(amount: number, unit: PeriodUnit): void {
  if (!Number.isInteger(amount) || amount < 0) {
    throw new DomainError('InvalidInput', `period amount must be a whole number ≥ 0, got ${amount}`, { amount });
  }
  if (!(periodUnits as readonly string[]).includes(unit)) {
    throw new DomainError('InvalidInput', `unknown period unit: ${String(unit)}`, { unit });
  }
}

/** The last day of a day-counted period, start day excluded (day 1 = the day after). */
function lastDayOf(trigger: string, amount: number, unit: 'ND' | 'WD', rollForward: boolean, calendar: CalendarInput): string {
  if (unit === 'WD') {
    let day = trigger;
    for (let counted = 0; counted < amount; ) {
      day = addDays(day, 1);
      if (isWorkingDay(day, calendar)) counted += 1;
    }
    return day;
  }
  const last = addDays(trigger, amount);
  // A plain ND period needs no holiday knowledge, so it is not limited to the covered years.
  if (!rollForward) return last;
  return isWorkingDay(last, calendar) ? last : nextWorkingDay(last, calendar);
}

/**
 * The due instant of a legal period (DOMAIN.md §0).
 *
 * - The start day is excluded: day 1 is the Shanghai day after the trigger. A trigger given as
 *   an instant counts from its Shanghai date (22:30 +08:00 on the 28th is the 28th, even
 *   though it is the 28th 14:30 in UTC).
 * - ND counts natural days; with `rollForwardOnHoliday`, a last day that is not a working day
 *   (weekend or holiday, unless a make-up workday) moves to the next working day.
 * - WD counts only working days: weekends and statutory holidays are skipped, 调休 make-up
 *   workdays count.
 * - ND and WD periods end at the end of the last day, 23:59:59.999 Asia/Shanghai.
 * - H adds exact wall-clock hours to the start instant; it needs an instant, not a date.
 * - An amount of 0 days ends at the end of the trigger day.
 *
 * @returns the due instant in UTC 'Z' form.
 * @throws DomainError InvalidInput for malformed input; CalendarOutOfRange when a day the
 *   count depends on lies in a year the calendar does not cover.
 */
export function addPeriod(input: AddPeriodInput): string {
  const { start, amount, unit, calendar } = input;
  assertAmount(amount, unit);
  if (unit === 'H') {
    if (!isInstant(start)) {
      throw new DomainError('InvalidInput', `an hour period needs a start instant, not ${start}`, { start });
    }
    return msToInstant(instantToMs(start) + amount * hourMs);
  }
  const trigger = shanghaiDate(start);
  return endOfShanghaiDay(lastDayOf(trigger, amount, unit, input.rollForwardOnHoliday === true, calendar));
}

/**
 * The instant `workingDays` working days before the due date, at `atHour` o'clock Shanghai
 * time (default 09:00, the start of office hours, so a reminder arrives when people are at
 * work rather than at midnight). Counting excludes the due date itself: 2 WD before a period
 * due on Friday is Wednesday 09:00.
 */
export function subtractWorkingDays(dueInstant: string, workingDays: number, calendar: CalendarInput, atHour = 9): string {
  assertAmount(workingDays, 'WD');
  let day = shanghaiDate(dueInstant);
  for (let counted = 0; counted < workingDays; ) {
    day = addDays(day, -1);
    if (isWorkingDay(day, calendar)) counted += 1;
  }
  return shanghaiInstant(day, atHour);
}

/**
 * The due instant after an extension: the extra period runs from the current due date (that
 * day excluded, as for any trigger), or for H from the due instant. We count from the current
 * due date even when it was itself rolled forward off a holiday; the sources do not say
 * otherwise and this never shortens what the approval granted.
 */
export function extendDue(
  dueInstant: string,
  amount: number,
  unit: PeriodUnit,
  calendar: CalendarInput,
  rollForwardOnHoliday = false,
): string {
  return addPeriod({ start: dueInstant, amount, unit, rollForwardOnHoliday, calendar });
}

/**
 * Moves an instant by `ms` (negative moves it back). A clock stop (中止, monitoring, a criminal
 * referral) is applied by the caller as `shiftInstant(due, resumedAt - suspendedAt)`: the
 * stopped time does not count, so the due instant moves by exactly that long.
 */
export function shiftInstant(instant: string, ms: number): string {
  if (!Number.isFinite(ms)) throw new DomainError('InvalidInput', `not a duration: ${ms}`, { ms });
  return msToInstant(instantToMs(instant) + ms);
}

/** Time left until the due instant; negative once overdue. `now` is a parameter, never read. */
export function remainingMs(dueInstant: string, nowInstant: string): number {
  return instantToMs(dueInstant) - instantToMs(nowInstant);
}
