import { DateTime } from 'luxon';
import { resolvePeriod } from '../kernel/time/report-period.js';

/** The worklist's day: a shop-local date and the instants it covers, [from, to). */
export interface WorklistDay {
  date: string;
  timezone: string;
  from: Date;
  to: Date;
}

/**
 * `date` (yyyy-MM-dd, already validated) read in `zone` — the shop's, or the merchant's when no
 * shop is given (SPEC §4 "Report periods"); absent, the zone's today at `now`. Resolved like a
 * report period from its midnight to the next, so a 23- or 25-hour DST day is one day too.
 */
export function resolveWorklistDay(date: string | undefined, zone: string, now: Date): WorklistDay {
  const day = date ?? (DateTime.fromJSDate(now, { zone }).toISODate() as string);
  const next = DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;
  const period = resolvePeriod(day, next, zone);
  return { date: day, timezone: zone, from: period.from, to: period.to };
}
