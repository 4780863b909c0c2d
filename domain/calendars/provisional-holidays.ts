import type { HolidayCalendarData } from '../calendar';

/**
 * Years whose State Council holiday notice is not yet in the data, so that cases opened late in
 * a year can still count into the next. Only the statutory days of 全国年节及纪念日放假办法
 * (2024 revision) are listed — 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1,
 * 国庆 3 — on their 2027 dates; the notice's bridging days and 调休 make-up workdays are unknown
 * until it is published. Due dates computed on these years are therefore provisional: replace
 * this file by regenerating china-holidays.ts once chinese-days carries the year.
 */
export const provisionalHolidays: Pick<HolidayCalendarData, 'years' | 'holidays' | 'makeUpWorkdays'> = Object.freeze({
  years: Object.freeze([2027]),
  holidays: Object.freeze([
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ]),
  makeUpWorkdays: Object.freeze([]),
});
