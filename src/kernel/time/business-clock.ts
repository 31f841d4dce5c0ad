import { DateTime, IANAZone } from 'luxon';

/** A daily wall-clock window in the shop's zone, 'HH:mm' 24h. */
export interface DailyWindow {
  start: string;
  end: string;
}

/** Business hours: a daily window (start < end) on ISO weekdays 1=Mon..7=Sun. */
export interface BusinessHours extends DailyWindow {
  days: number[];
}

export interface ShopClock {
  timezone: string;
  businessHours: BusinessHours;
  quietHours: DailyWindow;
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  start: '09:00',
  end: '18:00',
  days: [1, 2, 3, 4, 5, 6, 7],
};
export const DEFAULT_QUIET_HOURS: DailyWindow = { start: '21:00', end: '09:00' };

/** Due-time rule attached to state-machine transitions. */
export type DueRule =
  | { kind: 'cutoff'; at?: string } // default '16:00'
  | { kind: 'businessHours'; hours: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'days'; days: number; callable?: boolean } // callable: shift out of quiet hours
  | { kind: 'none' }; // clears the deadline

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHHmm(s: string): { hour: number; minute: number } {
  const m = typeof s === 'string' ? HHMM.exec(s) : null;
  if (!m) throw new Error(`Invalid time of day "${String(s)}", expected HH:mm (00:00-23:59)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

function inZone(d: Date, zone: string): DateTime {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new Error('Invalid Date');
  if (!isValidTimeZone(zone)) throw new Error(`Invalid IANA time zone "${String(zone)}"`);
  return DateTime.fromJSDate(d).setZone(zone);
}

/** Same local day at hh:mm (DST-safe via luxon set). */
function atTime(day: DateTime, t: { hour: number; minute: number }): DateTime {
  return day.set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 });
}

function minuteOfDay(dt: DateTime): number {
  return dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60000;
}

/** [002] 16:00 cut-off: same day, or next day when reported at/after the cut-off. */
export function cutoffDeadline(reportedAt: Date, zone: string, cutoff = '16:00'): Date {
  const t = parseHHmm(cutoff);
  const local = inZone(reportedAt, zone);
  const today = local.startOf('day');
  const sameDay = atTime(today, t);
  if (local < sameDay) return sameDay.toJSDate();
  return atTime(today.plus({ days: 1 }), t).toJSDate();
}

/**
 * Adds `hours` of business time (minutes precision). Time outside business hours or on
 * non-business days is not counted; counting starts at the next opening.
 */
export function addBusinessHours(start: Date, hours: number, zone: string, bh: BusinessHours): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`Invalid business hours amount ${hours}`);
  const open = parseHHmm(bh.start);
  const close = parseHHmm(bh.end);
  if (open.hour * 60 + open.minute >= close.hour * 60 + close.minute) {
    throw new Error(`Business hours start ${bh.start} must be before end ${bh.end}`);
  }
  const days = new Set(bh.days);
  if (![...days].some((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    throw new Error('Business hours need at least one ISO weekday (1..7)');
  }

  let remainingMs = Math.round(hours * 60) * 60_000;
  let cursor = inZone(start, zone);
  // Bounded: every iteration advances one local day.
  for (let guard = 0; guard < 1_000_000; guard++) {
    const day = cursor.startOf('day');
    if (days.has(day.weekday)) {
      const opening = atTime(day, open);
      const closing = atTime(day, close);
      if (cursor < opening) cursor = opening;
      if (cursor < closing) {
        const available = closing.toMillis() - cursor.toMillis();
        if (remainingMs <= available) return cursor.plus({ milliseconds: remainingMs }).toJSDate();
        remainingMs -= available;
      }
    }
    cursor = day.plus({ days: 1 });
  }
  throw new Error('addBusinessHours did not converge');
}

/** Same local wall time `days` later in the zone (not days*24h across DST). */
export function addCalendarDays(start: Date, days: number, zone: string): Date {
  if (!Number.isInteger(days)) throw new Error(`Invalid number of days ${days}`);
  return inZone(start, zone).plus({ days }).toJSDate();
}

/** Plain elapsed time. */
export function addHours(start: Date, hours: number): Date {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new Error('Invalid Date');
  if (!Number.isFinite(hours)) throw new Error(`Invalid hours ${hours}`);
  return new Date(start.getTime() + Math.round(hours * 3_600_000));
}

/** Quiet window is [start, end); it wraps midnight when start > end; start == end means none. */
export function isInQuietHours(t: Date, zone: string, quiet: DailyWindow): boolean {
  const s = parseHHmm(quiet.start);
  const e = parseHHmm(quiet.end);
  const sm = s.hour * 60 + s.minute;
  const em = e.hour * 60 + e.minute;
  const m = minuteOfDay(inZone(t, zone));
  if (sm === em) return false;
  return sm < em ? m >= sm && m < em : m >= sm || m < em;
}

/** t when callable, else the end of the current quiet window. */
export function nextCallableTime(t: Date, zone: string, quiet: DailyWindow): Date {
  if (!isInQuietHours(t, zone, quiet)) return t;
  const e = parseHHmm(quiet.end);
  const local = inZone(t, zone);
  const today = atTime(local.startOf('day'), e);
  if (today > local) return today.toJSDate();
  return atTime(local.startOf('day').plus({ days: 1 }), e).toJSDate();
}

export function computeDue(rule: DueRule, from: Date, clock: ShopClock): Date | null {
  switch (rule.kind) {
    case 'cutoff':
      return cutoffDeadline(from, clock.timezone, rule.at ?? '16:00');
    case 'businessHours':
      return addBusinessHours(from, rule.hours, clock.timezone, clock.businessHours);
    case 'hours':
      return addHours(from, rule.hours);
    case 'days': {
      const due = addCalendarDays(from, rule.days, clock.timezone);
      return rule.callable ? nextCallableTime(due, clock.timezone, clock.quietHours) : due;
    }
    case 'none':
      return null;
    default: {
      const never: never = rule;
      throw new Error(`Unknown due rule ${JSON.stringify(never)}`);
    }
  }
}
