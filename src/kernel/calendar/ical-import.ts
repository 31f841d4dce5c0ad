import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { type CalendarDay, CalendarDayKind, isCalendarDate } from './calendar-rules.js';

/** One import may set at most this many dates (10 years of every day). */
export const MAX_IMPORTED_DAYS = 3660;
/** A recurring event is expanded over this many years from its first occurrence. */
export const RECURRENCE_YEARS = 5;
const MAX_EVENT_DAYS = 366;
const NAME_MAX = 100;

export interface SkippedEvent {
  uid: string | null;
  summary: string | null;
  reason: string;
}

export interface ImportedCalendar {
  /** One entry per date, sorted; a workday wins over a holiday on the same date. */
  days: CalendarDay[];
  events: number;
  skipped: SkippedEvent[];
}

/** The file is not iCalendar at all (→ 400), or holds nothing to import (→ 422). */
export class ICalendarError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'empty' | 'too_large',
  ) {
    super(message);
  }
}

// Apple's China holiday calendars mark days with X-APPLE-SPECIAL-DAY; other publishers put
// 班/补班/上班 or "workday" in the summary or a category. "放假调休" means days off, a bare 调休 a working day.
const WORKDAY_WORDS = /补班|上班|[(（]班[)）]|调休|\bwork(ing)?[ -]?day\b|\bmake-?up\b/i;
const HOLIDAY_WORDS = /放假|[(（]休[)）]/;
const WORKDAY_CATEGORY = /^(workday|working[ -]?day|make-?up[ -]?day|补班|上班|调休|调休上班|班)$/i;

function classify(vevent: ICAL.Component, summary: string): CalendarDayKind {
  const apple = String(vevent.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase();
  if (apple === 'ALTERNATE-WORKDAY') return CalendarDayKind.Workday;
  if (apple === 'WORK-HOLIDAY') return CalendarDayKind.Holiday;
  const categories = vevent.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).trim()));
  if (categories.some((c) => WORKDAY_CATEGORY.test(c))) return CalendarDayKind.Workday;
  if (HOLIDAY_WORDS.test(summary)) return CalendarDayKind.Holiday;
  return WORKDAY_WORDS.test(summary) ? CalendarDayKind.Workday : CalendarDayKind.Holiday;
}

/** The dates an occurrence covers, as written in the file (its own wall clock): an all-day DTEND is exclusive. */
function datesOf(start: ICAL.Time, end: ICAL.Time | null): string[] {
  const first = DateTime.utc(start.year, start.month, start.day);
  let last = first;
  if (end) {
    const endDay = DateTime.utc(end.year, end.month, end.day);
    const endsAtMidnight = end.isDate || (end.hour === 0 && end.minute === 0 && end.second === 0);
    last = endsAtMidnight ? endDay.minus({ days: 1 }) : endDay;
    if (last < first) last = first;
  }
  if (last.diff(first, 'days').days >= MAX_EVENT_DAYS) throw new Error(`longer than ${MAX_EVENT_DAYS} days`);
  const out: string[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

function occurrences(event: ICAL.Event): Array<[ICAL.Time, ICAL.Time | null]> {
  const start = event.startDate;
  if (!start) throw new Error('no DTSTART');
  const end = event.endDate ?? null;
  if (!event.isRecurring()) return [[start, end]];
  const duration = end ? end.subtractDate(start) : null;
  const until = start.clone();
  until.year += RECURRENCE_YEARS;
  const out: Array<[ICAL.Time, ICAL.Time | null]> = [];
  const it = event.iterator();
  for (let next = it.next(); next && next.compare(until) < 0; next = it.next()) {
    if (out.length >= MAX_IMPORTED_DAYS) throw new ICalendarError(`A recurring event has more than ${MAX_IMPORTED_DAYS} occurrences`, 'too_large');
    const occEnd = duration ? next.clone() : null;
    if (occEnd && duration) occEnd.addDuration(duration);
    out.push([next, occEnd]);
  }
  return out;
}

function rootsOf(text: string): ICAL.Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (err) {
    throw new ICalendarError(`Malformed iCalendar: ${err instanceof Error ? err.message : String(err)}`, 'malformed');
  }
  const list = Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[]) : [parsed];
  const roots = list.filter((c): c is unknown[] => Array.isArray(c) && c[0] === 'vcalendar').map((c) => new ICAL.Component(c as never));
  if (!roots.length) throw new ICalendarError('Malformed iCalendar: no BEGIN:VCALENDAR … END:VCALENDAR', 'malformed');
  return roots;
}

/**
 * Holidays and make-up working days from an iCalendar file: every VEVENT becomes a holiday on
 * each date it covers, or a working day when marked so (see WORKDAY_WORDS). Cancelled events
 * and events that cannot be read are skipped and reported; nothing is stored here.
 */
export function parseICalendarDays(text: string): ImportedCalendar {
  const byDate = new Map<string, CalendarDay>();
  const skipped: SkippedEvent[] = [];
  let events = 0;
  for (const root of rootsOf(text)) {
    for (const vevent of root.getAllSubcomponents('vevent')) {
      events++;
      const uid = vevent.getFirstPropertyValue('uid');
      const summary = String(vevent.getFirstPropertyValue('summary') ?? '').trim();
      const ref = { uid: uid == null ? null : String(uid), summary: summary || null };
      if (String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
        skipped.push({ ...ref, reason: 'cancelled' });
        continue;
      }
      let dates: string[];
      try {
        dates = occurrences(new ICAL.Event(vevent)).flatMap(([s, e]) => datesOf(s, e));
      } catch (err) {
        if (err instanceof ICalendarError) throw err;
        skipped.push({ ...ref, reason: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const outside = dates.filter((d) => !isCalendarDate(d));
      if (outside.length) {
        skipped.push({ ...ref, reason: 'dates outside 1970–2100' });
        continue;
      }
      const kind = classify(vevent, summary);
      for (const date of dates) {
        const prior = byDate.get(date);
        if (prior?.kind === CalendarDayKind.Workday && kind === CalendarDayKind.Holiday) continue;
        byDate.set(date, { date, kind, name: summary ? summary.slice(0, NAME_MAX) : null, hours: null });
        if (byDate.size > MAX_IMPORTED_DAYS) throw new ICalendarError(`The file sets more than ${MAX_IMPORTED_DAYS} dates`, 'too_large');
      }
    }
  }
  if (!events) throw new ICalendarError('The iCalendar file has no VEVENT to import', 'empty');
  return { days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), events, skipped };
}
