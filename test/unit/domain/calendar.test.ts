import {
  addDays,
  chinaCalendar,
  chinaCalendarData,
  isHoliday,
  isMakeUpWorkday,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  toHolidayCalendar,
  toHolidayCalendarData,
} from '../../../domain/calendar';
import type { HolidayCalendarData } from '../../../domain/calendar';
import { isDomainError } from '../../../domain/errors';

function expandRange(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) dates.push(day);
  return dates;
}

describe('shipped China calendar', () => {
  it('when generated from chinese-days, then it names its version and covers 2024–2026, with 2027 provisional', () => {
    expect(chinaCalendarData.version).toBe('chinese-days@1.5.7+provisional-2027');
    expect(chinaCalendarData.years).toEqual(expect.arrayContaining([2024, 2025, 2026, 2027]));
  });

  it('when 2027 is provisional, then its statutory days are off and its weekdays otherwise count', () => {
    expect(isWorkingDay('2027-01-01', chinaCalendar)).toBe(false);
    expect(isWorkingDay('2027-02-08', chinaCalendar)).toBe(false);
    expect(isWorkingDay('2027-01-04', chinaCalendar)).toBe(true);
  });

  // DOMAIN.md §7, from the State Council notice of 2025-11.
  const holidays2026: [string, string][] = [
    ['2026-01-01', '2026-01-03'],
    ['2026-02-15', '2026-02-23'],
    ['2026-04-04', '2026-04-06'],
    ['2026-05-01', '2026-05-05'],
    ['2026-06-19', '2026-06-21'],
    ['2026-09-25', '2026-09-27'],
    ['2026-10-01', '2026-10-07'],
  ];

  it('when read for 2026, then its holidays are exactly those of the State Council notice', () => {
    const expected = holidays2026.flatMap(([from, to]) => expandRange(from, to));
    expect(chinaCalendarData.holidays.filter((date) => date.startsWith('2026-'))).toEqual(expected);
  });

  it('when read for 2026, then its make-up working days are exactly those of the notice', () => {
    expect(chinaCalendarData.makeUpWorkdays.filter((date) => date.startsWith('2026-'))).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-09-28', 'an ordinary Monday', true],
    ['2026-10-03', 'a National Day holiday on a Saturday', false],
    ['2026-10-05', 'a National Day holiday on a Monday', false],
    ['2026-10-10', 'a make-up Saturday', true],
    ['2026-10-11', 'an ordinary Sunday', false],
    ['2026-02-14', 'the make-up Saturday before Spring Festival', true],
    ['2026-02-16', 'Spring Festival eve (除夕)', false],
    ['2025-02-08', 'a 2025 make-up Saturday', true],
    ['2024-12-31', 'an ordinary Tuesday in 2024', true],
  ])('when the day is %s (%s), then working = %s', (date, _description, expected) => {
    expect(isWorkingDay(date, chinaCalendar)).toBe(expected);
  });

  it('when given the plain-JSON calendar data, then it answers as the indexed one does', () => {
    expect(isWorkingDay('2026-10-10', chinaCalendarData)).toBe(true);
    expect(isWorkingDay('2026-10-05', chinaCalendarData)).toBe(false);
  });

  it('when the calendar round-trips through JSON, then it still answers the same', () => {
    const data = JSON.parse(JSON.stringify(toHolidayCalendarData(chinaCalendar))) as HolidayCalendarData;
    expect(toHolidayCalendarData(toHolidayCalendar(data))).toEqual(toHolidayCalendarData(chinaCalendar));
    expect(isWorkingDay('2026-02-28', data)).toBe(true);
  });
});

describe('isHoliday and isMakeUpWorkday', () => {
  it.each([
    ['2026-10-01', true, false],
    ['2026-10-10', false, true],
    ['2026-10-11', false, false],
  ])('when the day is %s, then holiday = %s and make-up = %s', (date, holiday, makeUp) => {
    expect(isHoliday(date, chinaCalendar)).toBe(holiday);
    expect(isMakeUpWorkday(date, chinaCalendar)).toBe(makeUp);
  });
});

describe('nextWorkingDay and previousWorkingDay', () => {
  it.each([
    ['2026-09-30', '2026-10-08'],
    ['2026-10-09', '2026-10-10'],
    ['2026-02-13', '2026-02-14'],
    ['2026-02-14', '2026-02-24'],
  ])('when the day is %s, then the next working day is %s', (date, expected) => {
    expect(nextWorkingDay(date, chinaCalendar)).toBe(expected);
  });

  it('when the day follows the National Day week, then the previous working day is 09-30', () => {
    expect(previousWorkingDay('2026-10-08', chinaCalendar)).toBe('2026-09-30');
  });
});

describe('coverage guard', () => {
  it.each([
    ['2028-01-04', 'a year after the data'],
    ['2023-06-01', 'a year before the data'],
  ])('when asked about %s (%s), then it throws CalendarOutOfRange', (date) => {
    expect(() => isWorkingDay(date, chinaCalendar)).toThrow(expect.objectContaining({ code: 'CalendarOutOfRange' }));
  });

  it('when the next working day lies beyond the data, then it throws instead of guessing', () => {
    let caught: unknown;
    try {
      nextWorkingDay('2027-12-31', chinaCalendar);
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught, 'CalendarOutOfRange')).toBe(true);
  });

  it('when a date is malformed, then it throws InvalidInput', () => {
    expect(() => isWorkingDay('2026-02-30', chinaCalendar)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
    expect(() => isWorkingDay('2026/10/01', chinaCalendar)).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });
});
