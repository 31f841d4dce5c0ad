import { DateTime } from 'luxon';
import { cutoffDeadline, isInQuietHours, isValidTimeZone, nextCallableTime, parseHHmm } from '../time/business-clock.js';
import { type CalendarDay, CalendarDayKind, type CalendarRules, minuteOf, rulesProblems, type TimeWindow, WEEKDAYS } from './calendar-rules.js';

const HOUR_MS = 3_600_000;
/** A search for business time gives up after this many local days (a calendar closed for two years is broken). */
const MAX_SEARCH_DAYS = 2 * 366;
const MEMO_LIMIT = 4096;

export interface CutoffOptions {
  /** Local time of the cut-off; default '16:00' [002]. */
  at?: string;
  /**
   * Move a cut-off that lands on a non-working day (holiday, closed weekday) to the same time of
   * the next working day. Off by default: SPEC §8 says "16:00 the next day".
   */
  workingDaysOnly?: boolean;
}

/**
 * One merchant's business calendar seen from one timezone (the shop's). Pure: built from rules
 * the service loaded; every deadline rule of SPEC §4 is a method here.
 *
 * Business time = the day's windows: a holiday has none; a make-up working day (调休 补班) has its
 * own hours, else its weekday's, else — when that weekday is normally closed — the hours of the
 * first open weekday from Monday. Calling customers is limited by quiet hours only: holidays do
 * not block a call (customers are reachable on holidays; [000] only forbids disturbing them at rest).
 */
export class BusinessCalendar {
  private readonly days: ReadonlyMap<string, CalendarDay>;
  private readonly usualWorkdayHours: readonly TimeWindow[];
  private readonly memo = new Map<string, Array<[number, number]>>();

  constructor(
    readonly rules: CalendarRules,
    readonly timezone: string,
  ) {
    if (!isValidTimeZone(timezone)) throw new Error(`Invalid IANA time zone "${String(timezone)}"`);
    const problems = rulesProblems(rules);
    if (problems.length) throw new Error(`Invalid calendar: ${problems.join('; ')}`);
    this.days = new Map(rules.days.map((d) => [d.date, d]));
    this.usualWorkdayHours = WEEKDAYS.map((d) => rules.weeklyHours[d]).find((w) => w.length > 0) ?? [];
  }

  /** The local date (yyyy-MM-dd) of an instant in this calendar's timezone. */
  localDate(at: Date): string {
    return this.local(at).toISODate()!;
  }

  /** The business windows of a local date (yyyy-MM-dd); [] when closed. */
  hoursOn(date: string): readonly TimeWindow[] {
    const d = DateTime.fromISO(date, { zone: this.timezone });
    if (!d.isValid) throw new Error(`Invalid date "${date}"`);
    const entry = this.days.get(date);
    if (entry?.kind === CalendarDayKind.Holiday) return [];
    const weekly = this.rules.weeklyHours[WEEKDAYS[d.weekday - 1]];
    if (entry?.kind === CalendarDayKind.Workday) return entry.hours ?? (weekly.length ? weekly : this.usualWorkdayHours);
    return weekly;
  }

  /** Whether a local date has any business hours. */
  isWorkingDay(date: string): boolean {
    return this.hoursOn(date).length > 0;
  }

  /** The calendar entry (holiday / make-up workday) of a local date, if any. */
  dayEntry(date: string): CalendarDay | undefined {
    return this.days.get(date);
  }

  isBusinessTime(at: Date): boolean {
    const t = this.instant(at);
    return this.intervalsOf(this.local(at).startOf('day')).some(([s, e]) => s <= t && t < e);
  }

  /** `at` itself during business hours, else the next opening. */
  nextBusinessTime(at: Date): Date {
    return this.addBusinessHours(at, 0);
  }

  /**
   * `hours` of business time after `from` (ms precision), across nights, closed weekdays and
   * holidays; make-up working days count. Counting starts at the next opening when `from` is
   * outside business hours; a result exactly at a closing time stays there.
   */
  addBusinessHours(from: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw new Error(`Invalid business hours amount ${hours}`);
    return new Date(this.addBusinessMs(this.instant(from), Math.round(hours * HOUR_MS)));
  }

  /** Business time between two instants, in ms (0 when `to` is not after `from`). */
  businessMsBetween(from: Date, to: Date): number {
    const a = this.instant(from);
    const b = this.instant(to);
    if (b <= a) return 0;
    let total = 0;
    let day = this.local(from).startOf('day');
    const last = this.local(to).startOf('day');
    for (; day <= last; day = day.plus({ days: 1 })) {
      for (const [s, e] of this.intervalsOf(day)) {
        const lo = Math.max(s, a);
        const hi = Math.min(e, b);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  }

  /** Inside the quiet window of the calling rules [000]. */
  isQuietTime(at: Date): boolean {
    return isInQuietHours(at, this.timezone, this.rules.quietHours);
  }

  /** The next time we may call a customer: `at` itself outside quiet hours, else the end of the quiet window. */
  nextCallableTime(at: Date): Date {
    return nextCallableTime(at, this.timezone, this.rules.quietHours);
  }

  /**
   * The last moment to call "within `days` days" of `from` [000 三天之内回访]: the same local wall
   * time `days` later, or — when that falls in quiet hours — the start of that quiet window, so
   * the deadline never passes the limit. Never before the first callable time from `from`.
   */
  withinDaysCallable(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new Error(`Invalid number of days ${days}`);
    const target = this.local(from).plus({ days });
    if (!this.isQuietTime(target.toJSDate())) return target.toJSDate();
    const q = parseHHmm(this.rules.quietHours.start);
    const startToday = target.set({ hour: q.hour, minute: q.minute, second: 0, millisecond: 0 });
    const windowStart = startToday <= target ? startToday : startToday.minus({ days: 1 });
    const earliest = this.nextCallableTime(from);
    return windowStart.toMillis() < earliest.getTime() ? earliest : windowStart.toJSDate();
  }

  /**
   * [002] 16:00 cut-off (SPEC §8): 16:00 the same local day, or 16:00 the next day when reported
   * at or after 16:00 — the semantics of `cutoffDeadline`, optionally moved to a working day.
   */
  cutoff1600(reportedAt: Date, opts: CutoffOptions = {}): Date {
    let due = DateTime.fromJSDate(cutoffDeadline(reportedAt, this.timezone, opts.at ?? '16:00')).setZone(this.timezone);
    if (opts.workingDaysOnly) {
      for (let i = 0; !this.isWorkingDay(due.toISODate()!); i++) {
        if (i >= MAX_SEARCH_DAYS) throw new Error('No working day found within two years');
        due = due.plus({ days: 1 });
      }
    }
    return due.toJSDate();
  }

  /** Adds business ms to an epoch-ms instant. */
  addBusinessMs(fromMs: number, ms: number): number {
    let remaining = ms;
    let day = DateTime.fromMillis(fromMs, { zone: this.timezone }).startOf('day');
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
      for (const [s, e] of this.intervalsOf(day)) {
        const start = Math.max(s, fromMs);
        if (start >= e) continue;
        if (remaining <= e - start) return start + remaining;
        remaining -= e - start;
      }
    }
    throw new Error('No business hours found within two years: check the weekly hours and holidays');
  }

  /** [start, end) epoch-ms intervals of a local day, DST-safe (wall times resolved by luxon). */
  private intervalsOf(day: DateTime): Array<[number, number]> {
    const key = day.toISODate()!;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const out: Array<[number, number]> = [];
    for (const w of this.hoursOn(key)) {
      const s = this.wallTime(day, minuteOf(w.start));
      const e = this.wallTime(day, minuteOf(w.end, true));
      if (e > s) out.push([s, e]);
    }
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, out);
    return out;
  }

  private wallTime(day: DateTime, minute: number): number {
    if (minute === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
    return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
  }

  private local(at: Date): DateTime {
    return DateTime.fromMillis(this.instant(at), { zone: this.timezone });
  }

  private instant(at: Date): number {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new Error('Invalid Date');
    return at.getTime();
  }
}
