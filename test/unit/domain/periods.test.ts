import { chinaCalendar, chinaCalendarData } from '../../../domain/calendar';
import {
  addPeriod,
  endOfShanghaiDay,
  extendDue,
  remainingMs,
  shanghaiDate,
  shanghaiInstant,
  shiftInstant,
  subtractWorkingDays,
} from '../../../domain/periods';
import type { AddPeriodInput } from '../../../domain/periods';

const calendar = chinaCalendar;
const hourMs = 3_600_000;

describe('addPeriod with working days', () => {
  it('when 15 WD start on Monday 2026-09-28, then the period skips National Day, counts make-up Saturday 10-10 and ends Friday 2026-10-23', () => {
    // Day 1 is the day after the trigger:
    //   09-29 Tue 1, 09-30 Wed 2, 10-01..10-07 National Day (off),
    //   10-08 Thu 3, 10-09 Fri 4, 10-10 Sat 5 (调休 make-up day), 10-11 Sun off,
    //   10-12 Mon 6, 10-13 7, 10-14 8, 10-15 9, 10-16 Fri 10, 10-17/18 weekend,
    //   10-19 Mon 11, 10-20 12, 10-21 13, 10-22 14, 10-23 Fri 15.
    // Due at the end of 10-23 in Shanghai: 23:59:59.999+08:00 = 15:59:59.999Z.
    expect(addPeriod({ start: '2026-09-28', amount: 15, unit: 'WD', calendar })).toBe('2026-10-23T15:59:59.999Z');
  });

  it.each<[string, number, string, string]>([
    // 02-13 Fri 1, 02-14 Sat make-up 2, 02-15..02-23 Spring Festival, 02-24 Tue 3, 02-25 4, 02-26 5.
    ['2026-02-12', 5, '2026-02-26', 'counts make-up Saturday 02-14 and skips the festival'],
    // … 02-27 Fri 6, 02-28 Sat make-up 7, 03-01 Sun off, 03-02 8, 03-03 9, 03-04 10.
    ['2026-02-12', 10, '2026-03-04', 'also counts make-up Saturday 02-28'],
    // 10-10 is the make-up Saturday: the first working day after Friday 10-09.
    ['2026-10-09', 1, '2026-10-10', 'lands on the make-up Saturday'],
    // 2025-12-31 Wed 1, 2026-01-01..03 off, 01-04 Sun make-up 2, 01-05 Mon 3.
    ['2025-12-30', 3, '2026-01-05', 'crosses the year boundary into a covered year'],
  ])('when %s WD periods of %i days run, then the last day is %s (%s)', (start, amount, lastDay) => {
    expect(addPeriod({ start, amount, unit: 'WD', calendar })).toBe(endOfShanghaiDay(lastDay));
  });

  it('when the trigger is itself a holiday, then counting still starts the next day', () => {
    // Trigger 10-03 (holiday): 10-08 is WD 1, 10-09 WD 2.
    expect(addPeriod({ start: '2026-10-03', amount: 2, unit: 'WD', calendar })).toBe(endOfShanghaiDay('2026-10-09'));
  });
});

describe('addPeriod with natural days', () => {
  it.each<[string, string, number, boolean, string]>([
    ['3 ND lands on National Day without roll-forward, then it ends on 10-01', '2026-09-28', 3, false, '2026-10-01'],
    ['3 ND lands on National Day with roll-forward, then it moves to Thursday 10-08', '2026-09-28', 3, true, '2026-10-08'],
    ['3 ND lands on Sunday 10-11 with roll-forward, then it moves to Monday 10-12', '2026-10-08', 3, true, '2026-10-12'],
    ['3 ND lands on make-up Saturday 10-10 with roll-forward, then it stays (a working day)', '2026-10-07', 3, true, '2026-10-10'],
    ['15 ND spans a month end, then natural days are counted', '2026-01-20', 15, false, '2026-02-04'],
    ['0 ND long, then it ends with the trigger day', '2026-10-01', 0, false, '2026-10-01'],
  ])('when %s', (_name, start, amount, rollForwardOnHoliday, lastDay) => {
    expect(addPeriod({ start, amount, unit: 'ND', rollForwardOnHoliday, calendar })).toBe(endOfShanghaiDay(lastDay));
  });

  it('when no roll-forward applies, then a period ending in an uncovered year still computes (no holiday knowledge used)', () => {
    expect(addPeriod({ start: '2026-11-15', amount: 90, unit: 'ND', calendar })).toBe('2027-02-13T15:59:59.999Z');
  });
});

describe('addPeriod with hours', () => {
  it.each<[string, string, number, string]>([
    ['across midnight', '2026-10-09T20:00:00+08:00', 24, '2026-10-10T12:00:00.000Z'],
    ['onto a holiday (no roll-forward for hours)', '2026-09-30T18:30:00+08:00', 24, '2026-10-01T10:30:00.000Z'],
    ['from a UTC instant', '2026-03-05T02:15:30.250Z', 24, '2026-03-06T02:15:30.250Z'],
  ])('when 24 H run %s, then the due instant is exactly 24 h later', (_name, start, amount, due) => {
    expect(addPeriod({ start, amount, unit: 'H', calendar })).toBe(due);
  });
});

describe('trigger given as an instant', () => {
  it.each<[string, string, string, string]>([
    ['late on 09-28 Shanghai time', '2026-09-28T23:30:00+08:00', '2026-09-28', '2026-09-29'],
    ['at 00:30 on 09-29 Shanghai time, still 09-28 in UTC', '2026-09-28T16:30:00Z', '2026-09-29', '2026-09-30'],
    ['at 07:59 on 09-29 Shanghai time, written in UTC', '2026-09-28T23:59:00Z', '2026-09-29', '2026-09-30'],
  ])('when the trigger is %s, then its Shanghai date is the trigger day', (_name, instant, date, lastDay) => {
    expect(shanghaiDate(instant)).toBe(date);
    expect(addPeriod({ start: instant, amount: 1, unit: 'ND', calendar })).toBe(endOfShanghaiDay(lastDay));
  });

  it('when 15 WD start at 22:30 on 2026-09-28 Shanghai time, then the due date is the same as for the date', () => {
    expect(addPeriod({ start: '2026-09-28T22:30:00+08:00', amount: 15, unit: 'WD', calendar })).toBe(
      '2026-10-23T15:59:59.999Z',
    );
  });
});

describe('out-of-range and invalid input', () => {
  it.each<[string, AddPeriodInput]>([
    ['a WD period runs into 2028', { start: '2027-12-20', amount: 15, unit: 'WD', calendar }],
    ['an ND roll-forward must judge a 2028 day', { start: '2027-12-25', amount: 8, unit: 'ND', rollForwardOnHoliday: true, calendar }],
    ['a WD period starts in 2023', { start: '2023-06-01', amount: 1, unit: 'WD', calendar: chinaCalendarData }],
  ])('when %s, then it throws CalendarOutOfRange', (_name, input) => {
    expect(() => addPeriod(input)).toThrow(expect.objectContaining({ code: 'CalendarOutOfRange' }));
  });

  it.each<[string, AddPeriodInput]>([
    ['the amount is negative', { start: '2026-09-28', amount: -1, unit: 'ND', calendar }],
    ['the amount is fractional', { start: '2026-09-28', amount: 1.5, unit: 'WD', calendar }],
    ['an hour period starts from a bare date', { start: '2026-09-28', amount: 24, unit: 'H', calendar }],
    ['an instant has no offset', { start: '2026-09-28T10:00:00', amount: 24, unit: 'H', calendar }],
    ['the date does not exist', { start: '2026-02-29', amount: 1, unit: 'ND', calendar }],
    ['the unit is unknown', { start: '2026-09-28', amount: 1, unit: 'MONTH' as never, calendar }],
  ])('when %s, then it throws InvalidInput', (_name, input) => {
    expect(() => addPeriod(input)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });
});

describe('subtractWorkingDays (reminders)', () => {
  it.each<[string, string, number, string]>([
    ['an ordinary week', '2026-10-23T15:59:59.999Z', 2, '2026-10-21'],
    ['back over National Day', '2026-10-09T15:59:59.999Z', 2, '2026-09-30'],
    ['onto the make-up Saturday', '2026-10-12T15:59:59.999Z', 1, '2026-10-10'],
  ])('when reminding before a due date across %s, then the reminder is 09:00 Shanghai on the right working day', (_name, due, days, day) => {
    expect(subtractWorkingDays(due, days, calendar)).toBe(shanghaiInstant(day, 9));
  });

  it('when another hour is asked for, then the reminder uses it', () => {
    expect(subtractWorkingDays('2026-10-23T15:59:59.999Z', 2, calendar, 0)).toBe('2026-10-20T16:00:00.000Z');
  });
});

describe('extendDue, shiftInstant and remainingMs', () => {
  it('when a day-counted due date is extended, then the extension counts from the day after the current due date', () => {
    // 10-23 + 15 ND = 11-07.
    expect(extendDue('2026-10-23T15:59:59.999Z', 15, 'ND', calendar)).toBe('2026-11-07T15:59:59.999Z');
    // 10-23 (Fri) + 3 WD = 10-28 (Wed).
    expect(extendDue('2026-10-23T15:59:59.999Z', 3, 'WD', calendar)).toBe('2026-10-28T15:59:59.999Z');
  });

  it('when an hour-counted due instant is extended, then exact hours are added', () => {
    expect(extendDue('2026-10-10T12:00:00.000Z', 24, 'H', calendar)).toBe('2026-10-11T12:00:00.000Z');
  });

  it('when a clock was stopped for 2.5 days, then shifting moves the due instant by exactly that long', () => {
    expect(shiftInstant('2026-10-23T15:59:59.999Z', 60 * hourMs)).toBe('2026-10-26T03:59:59.999Z');
  });

  it('when asked for time left, then it is positive before the due instant and negative after', () => {
    expect(remainingMs('2026-10-23T15:59:59.999Z', '2026-10-23T23:59:59.999+08:00')).toBe(0);
    expect(remainingMs('2026-10-23T15:59:59.999Z', '2026-10-22T15:59:59.999Z')).toBe(24 * hourMs);
    expect(remainingMs('2026-10-23T15:59:59.999Z', '2026-10-24T00:00:00.000+08:00')).toBe(-1);
  });
});
