import { DateTime } from 'luxon';
import { type CalendarDay, CalendarDayKind } from './calendar-rules.js';

/**
 * The default mainland-China list of one year (SPEC §4: 法定节假日 and 调休).
 *
 * Why a data file and not a library: `date-holidays` 3.37 has CN holidays without the make-up
 * working days (调休 补班) and still with the pre-2025 lengths (春节 3 days, 劳动节 1 day), so
 * it is wrong for deadlines. The official lists are short; they are kept here with their source.
 * Bump `version` when a year's list changes: merchants get the new default rows of that year
 * on their next calendar read, and keep the days they set themselves.
 */
export interface DefaultYear {
  year: number;
  version: number;
  /** true: the State Council's arrangement, 调休 included; false: statutory days only. */
  official: boolean;
  source: string;
  /** [first, last, name], inclusive local dates. */
  holidays: ReadonlyArray<readonly [string, string, string]>;
  /** [date, name]: make-up working days (补班). */
  workdays: ReadonlyArray<readonly [string, string]>;
}

export const CN_DEFAULT_YEARS: readonly DefaultYear[] = [
  {
    year: 2026,
    version: 1,
    official: true,
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, Xinhua); the same dates as chinese-days 1.5.7',
    holidays: [
      ['2026-01-01', '2026-01-03', '元旦'],
      ['2026-02-15', '2026-02-23', '春节'],
      ['2026-04-04', '2026-04-06', '清明节'],
      ['2026-05-01', '2026-05-05', '劳动节'],
      ['2026-06-19', '2026-06-21', '端午节'],
      ['2026-09-25', '2026-09-27', '中秋节'],
      ['2026-10-01', '2026-10-07', '国庆节'],
    ],
    workdays: [
      ['2026-01-04', '元旦 补班'],
      ['2026-02-14', '春节 补班'],
      ['2026-02-28', '春节 补班'],
      ['2026-05-09', '劳动节 补班'],
      ['2026-09-20', '国庆节 补班'],
      ['2026-10-10', '国庆节 补班'],
    ],
  },
  {
    // The State Council's 2027 arrangement (its 调休 and 补休 days) was not available when this
    // list was written; these are the statutory days of 《全国年节及纪念日放假办法》 (2024
    // revision: 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), lunar dates
    // checked with chinese-days and date-chinese. Replace with the official list (version 2)
    // once it is confirmed; merchants may import it as iCalendar meanwhile.
    year: 2027,
    version: 1,
    official: false,
    source: '《全国年节及纪念日放假办法》 (国务院令第795号) statutory days; no 调休 yet',
    holidays: [
      ['2027-01-01', '2027-01-01', '元旦'],
      ['2027-02-05', '2027-02-08', '春节'],
      ['2027-04-05', '2027-04-05', '清明节'],
      ['2027-05-01', '2027-05-02', '劳动节'],
      ['2027-06-09', '2027-06-09', '端午节'],
      ['2027-09-15', '2027-09-15', '中秋节'],
      ['2027-10-01', '2027-10-03', '国庆节'],
    ],
    workdays: [],
  },
];

/** The dated entries of one default year. */
export function defaultDaysOf(y: DefaultYear): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (const [first, last, name] of y.holidays) {
    const end = DateTime.fromISO(last, { zone: 'UTC' });
    for (let d = DateTime.fromISO(first, { zone: 'UTC' }); d <= end; d = d.plus({ days: 1 })) {
      out.push({ date: d.toISODate()!, kind: CalendarDayKind.Holiday, name, hours: null });
    }
  }
  for (const [date, name] of y.workdays) out.push({ date, kind: CalendarDayKind.Workday, name, hours: null });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Every default day of every shipped year (pure tests use this as the merchant's initial list). */
export function cnDefaultDays(): CalendarDay[] {
  return CN_DEFAULT_YEARS.flatMap(defaultDaysOf);
}
