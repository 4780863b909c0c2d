// China's working-day calendar as data. All dates are Asia/Shanghai calendar dates
// ('YYYY-MM-DD'). A day is a working day when it is a Monday–Friday that is not a holiday, or
// a 调休 make-up workday. Coverage is explicit: asking about a year the data does not cover
// throws CalendarOutOfRange rather than silently treating its holidays as working days.
import { chinaHolidays } from './calendars/china-holidays';
import { provisionalHolidays } from './calendars/provisional-holidays';
import { DomainError } from './errors';

/**
 * Plain-JSON form of a calendar, fit for workflow input and Mongo. `years` lists the years
 * whose State Council holiday notice is in the data; only those years may be asked about.
 */
export interface HolidayCalendarData {
  readonly version: string;
  readonly years: readonly number[];
  /** Days off work: statutory holidays and the weekend days joined to them. */
  readonly holidays: readonly string[];
  /** 调休: weekend days that are working days. */
  readonly makeUpWorkdays: readonly string[];
}

/** Indexed form of HolidayCalendarData for fast look-ups. Build it with `toHolidayCalendar`. */
export interface HolidayCalendar {
  readonly version: string;
  readonly years: ReadonlySet<number>;
  readonly holidays: ReadonlySet<string>;
  readonly makeUpWorkdays: ReadonlySet<string>;
}

export type CalendarInput = HolidayCalendarData | HolidayCalendar;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

// Memoised by identity so a workflow that passes the same data object on every call does not
// rebuild the sets each time. A WeakMap holds no global state that could leak across replays.
const indexed = new WeakMap<HolidayCalendarData, HolidayCalendar>();

// Checked by shape, not `instanceof Set`: the workflow sandbox runs in its own realm.
function isIndexed(calendar: CalendarInput): calendar is HolidayCalendar {
  return !Array.isArray(calendar.holidays);
}

export function toHolidayCalendar(calendar: CalendarInput): HolidayCalendar {
  if (isIndexed(calendar)) return calendar;
  const cached = indexed.get(calendar);
  if (cached) return cached;
  for (const date of [...calendar.holidays, ...calendar.makeUpWorkdays]) assertIsoDate(date);
  const built: HolidayCalendar = Object.freeze({
    version: calendar.version,
    years: new Set(calendar.years),
    holidays: new Set(calendar.holidays),
    makeUpWorkdays: new Set(calendar.makeUpWorkdays),
  });
  indexed.set(calendar, built);
  return built;
}

/** The inverse of `toHolidayCalendar`, for handing a calendar to a workflow or storing it. */
export function toHolidayCalendarData(calendar: CalendarInput): HolidayCalendarData {
  if (!isIndexed(calendar)) return calendar;
  return {
    version: calendar.version,
    years: [...calendar.years].sort((a, b) => a - b),
    holidays: [...calendar.holidays].sort(),
    makeUpWorkdays: [...calendar.makeUpWorkdays].sort(),
  };
}

/**
 * The shipped calendar: the generated snapshot plus the provisional years after it. Its
 * `version` names both, so a case records which data fixed its due dates.
 */
export const chinaCalendarData: HolidayCalendarData = Object.freeze({
  version: `${chinaHolidays.version}+provisional-${provisionalHolidays.years.join(',')}`,
  years: Object.freeze([...chinaHolidays.years, ...provisionalHolidays.years.filter((year) => !chinaHolidays.years.includes(year))]),
  holidays: Object.freeze([...chinaHolidays.holidays, ...provisionalHolidays.holidays]),
  makeUpWorkdays: Object.freeze([...chinaHolidays.makeUpWorkdays, ...provisionalHolidays.makeUpWorkdays]),
});
export const chinaCalendar: HolidayCalendar = toHolidayCalendar(chinaCalendarData);

export function isIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function assertIsoDate(value: string): void {
  if (!isIsoDate(value)) {
    throw new DomainError('InvalidInput', `not a calendar date (YYYY-MM-DD): ${value}`, { value });
  }
}

function dateToUtcMs(date: string): number {
  assertIsoDate(date);
  return Date.parse(`${date}T00:00:00Z`);
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Calendar arithmetic on dates; `days` may be negative. */
export function addDays(date: string, days: number): string {
  return utcMsToDate(dateToUtcMs(date) + days * dayMs);
}

/** 0 = Sunday … 6 = Saturday, as in Date#getUTCDay. */
export function dayOfWeek(date: string): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

export function isCoveredYear(date: string, calendar: CalendarInput): boolean {
  assertIsoDate(date);
  return toHolidayCalendar(calendar).years.has(Number(date.slice(0, 4)));
}

export function assertCovered(date: string, calendar: CalendarInput): void {
  if (isCoveredYear(date, calendar)) return;
  const cal = toHolidayCalendar(calendar);
  const years = [...cal.years].sort((a, b) => a - b);
  throw new DomainError(
    'CalendarOutOfRange',
    `holiday calendar ${cal.version} covers ${years.join(', ')}, not ${date.slice(0, 4)} (date ${date}); ` +
      'load the State Council notice for that year before computing working days',
    { date, calendarVersion: cal.version, coveredYears: years },
  );
}

/** A statutory day off (including weekend days joined to a holiday). */
export function isHoliday(date: string, calendar: CalendarInput): boolean {
  assertCovered(date, calendar);
  return toHolidayCalendar(calendar).holidays.has(date);
}

export function isMakeUpWorkday(date: string, calendar: CalendarInput): boolean {
  assertCovered(date, calendar);
  return toHolidayCalendar(calendar).makeUpWorkdays.has(date);
}

export function isWorkingDay(date: string, calendar: CalendarInput): boolean {
  assertCovered(date, calendar);
  const cal = toHolidayCalendar(calendar);
  if (cal.makeUpWorkdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  return !isWeekend(date);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, calendar: CalendarInput): string {
  let day = addDays(date, 1);
  while (!isWorkingDay(day, calendar)) day = addDays(day, 1);
  return day;
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(date: string, calendar: CalendarInput): string {
  let day = addDays(date, -1);
  while (!isWorkingDay(day, calendar)) day = addDays(day, -1);
  return day;
}
