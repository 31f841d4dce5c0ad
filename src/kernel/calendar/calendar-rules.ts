import { DateTime } from 'luxon';
import { DEFAULT_QUIET_HOURS, type DailyWindow, parseHHmm } from '../time/business-clock.js';

/** Weekday keys of `WeeklyHours`, Monday first (ISO weekday = index + 1). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A business window on one local day, 'HH:mm'; `end` may be '24:00'; start < end. */
export interface TimeWindow {
  start: string;
  end: string;
}

/** Business windows per weekday; an empty list closes that weekday. */
export type WeeklyHours = Record<Weekday, TimeWindow[]>;

export enum CalendarDayKind {
  /** 法定节假日 / a day the team is off: no business hours whatever the weekday. */
  Holiday = 'holiday',
  /** 调休 make-up working day (补班): open even on a weekday that is normally closed. */
  Workday = 'workday',
}

/** A dated exception to the weekly hours, in the calendar's local dates (timezone-free). */
export interface CalendarDay {
  /** yyyy-MM-dd */
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  /** Only for a workday: its own windows; null = the usual hours (see `BusinessCalendar.hoursOn`). */
  hours: TimeWindow[] | null;
}

/** Everything a merchant decides about time; a shop adds its timezone. */
export interface CalendarRules {
  weeklyHours: WeeklyHours;
  /** Never call a customer in this window [000]; start == end means no quiet hours. */
  quietHours: DailyWindow;
  days: readonly CalendarDay[];
}

const NINE_TO_SIX: TimeWindow[] = [{ start: '09:00', end: '18:00' }];

/** [002 shifts] 09:00–18:00 every day. */
export const DEFAULT_WEEKLY_HOURS: WeeklyHours = Object.freeze(
  Object.fromEntries(WEEKDAYS.map((d) => [d, NINE_TO_SIX])) as WeeklyHours,
);

export const DEFAULT_CALENDAR_RULES: CalendarRules = { weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: DEFAULT_QUIET_HOURS, days: [] };

/** At most this many windows on one day (two shifts and a split shift are plenty). */
export const MAX_WINDOWS_PER_DAY = 4;

/** Minutes after local midnight; '24:00' is allowed as a window end only. */
export function minuteOf(s: string, allowMidnightEnd = false): number {
  if (allowMidnightEnd && s === '24:00') return 24 * 60;
  const t = parseHHmm(s);
  return t.hour * 60 + t.minute;
}

/** Problems with one day's windows ([] when fine): format, start < end, sorted and not overlapping. */
export function windowProblems(windows: readonly TimeWindow[], label: string): string[] {
  if (!Array.isArray(windows)) return [`${label} must be a list of {start, end}`];
  if (windows.length > MAX_WINDOWS_PER_DAY) return [`${label} has more than ${MAX_WINDOWS_PER_DAY} windows`];
  const problems: string[] = [];
  let previousEnd = -1;
  for (const w of windows) {
    let s: number;
    let e: number;
    try {
      s = minuteOf(w?.start);
      e = minuteOf(w?.end, true);
    } catch {
      problems.push(`${label}: times must be HH:mm (end may be 24:00)`);
      continue;
    }
    if (s >= e) problems.push(`${label}: ${w.start}–${w.end} must start before it ends (a window cannot cross midnight)`);
    else if (s < previousEnd) problems.push(`${label}: windows must be in order and must not overlap`);
    previousEnd = Math.max(previousEnd, e);
  }
  return problems;
}

/** yyyy-MM-dd that is a real calendar date between 1970 and 2100. */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = DateTime.fromISO(s, { zone: 'UTC' });
  return d.isValid && d.year >= 1970 && d.year <= 2100;
}

/** Every problem with a set of rules ([] when usable); the service turns them into a 400/422. */
export function rulesProblems(rules: CalendarRules): string[] {
  const problems: string[] = [];
  for (const day of WEEKDAYS) problems.push(...windowProblems(rules.weeklyHours?.[day] ?? [], `weeklyHours.${day}`));
  if (!WEEKDAYS.some((d) => (rules.weeklyHours?.[d] ?? []).length > 0)) problems.push('weeklyHours must open at least one weekday');
  try {
    parseHHmm(rules.quietHours?.start);
    parseHHmm(rules.quietHours?.end);
  } catch {
    problems.push('quietHours start and end must be HH:mm');
  }
  for (const d of rules.days ?? []) {
    if (!isCalendarDate(d.date)) problems.push(`days: ${String(d.date)} is not a date yyyy-MM-dd`);
    if (d.hours && d.kind !== CalendarDayKind.Workday) problems.push(`days.${d.date}: only a workday may have hours`);
    if (d.hours) problems.push(...windowProblems(d.hours, `days.${d.date}.hours`));
  }
  return problems;
}
