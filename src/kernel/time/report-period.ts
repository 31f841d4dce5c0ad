import { DateTime } from 'luxon';
import { InvalidInput } from '../errors/domain-errors.js';
import { isValidTimeZone } from './business-clock.js';

/**
 * A report period resolved to instants (SPEC §4 "Report periods"): `from` inclusive, `to`
 * exclusive, with the timezone the dates were read in and the local dates it covers.
 */
export interface ReportPeriod {
  from: Date;
  to: Date;
  timezone: string;
  /** Local date of `from` (yyyy-MM-dd). */
  firstDay: string;
  /** Local date of the last instant before `to`: the period's last day, e.g. for file names. */
  lastDay: string;
}

/** The period as the answer echoes it: the instants in the period's zone offset, and the zone. */
export interface PeriodEcho {
  from: string;
  to: string;
  timezone: string;
}

export const PERIOD_BOUND_HINT = 'a date (2026-11-01), a local date-time (2026-11-01T08:00) or a date-time with an offset (2026-11-01T08:00:00+08:00)';

const DATE = '\\d{4}-\\d{2}-\\d{2}';
const TIME = '\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?';
const BOUND = new RegExp(`^${DATE}(?:[T ]${TIME}(Z|[+-]\\d{2}(?::?\\d{2})?)?)?$`);
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * A local wall-clock time in a zone. In the hour a DST change repeats it is its first occurrence
 * (as java.time and Python's fold=0 read it); in the hour it skips, luxon moves it forward by the
 * gap, so a period never starts or ends at an instant that does not exist.
 */
function localInstant(text: string, zone: string): DateTime {
  const d = DateTime.fromISO(text.replace(' ', 'T'), { zone });
  if (!d.isValid) return d;
  const wall = DateTime.fromISO(text.replace(' ', 'T'), { zone: 'UTC' }).toMillis();
  let earliest: DateTime = d;
  for (const probe of [wall - 86_400_000, wall + 86_400_000]) {
    const offset = DateTime.fromMillis(probe, { zone }).offset;
    const at = DateTime.fromMillis(wall - offset * 60_000, { zone });
    if (at.offset === offset && at < earliest) earliest = at;
  }
  return earliest;
}

/**
 * One bound of a period: a date means the zone's midnight at its start, a date-time without an
 * offset the zone's wall-clock time, a date-time with an offset (or Z) that instant as given.
 * Null when the text is none of these or names no real date.
 */
export function parsePeriodBound(value: unknown, zone: string): Date | null {
  if (typeof value !== 'string') return null;
  // An unencoded "+08:00" in a query string arrives as " 08:00" (form encoding reads + as a space).
  const text = value.replace(new RegExp(`(${TIME}) (\\d{2}(?::?\\d{2})?)$`), '$1+$2');
  const m = BOUND.exec(text);
  if (!m) return null;
  const d = m[1] ? DateTime.fromISO(text.replace(' ', 'T'), { setZone: true }) : localInstant(text, zone);
  return d.isValid ? d.toJSDate() : null;
}

/** Whether the text is a period bound at all (the zone only moves it, never invalidates it). */
export function isPeriodBound(value: unknown): boolean {
  return parsePeriodBound(value, 'UTC') !== null;
}

function period(from: Date, to: Date, zone: string): ReportPeriod {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toISODate() as string;
  return { from, to, timezone: zone, firstDay: day(from), lastDay: day(new Date(to.getTime() - 1)) };
}

/**
 * Resolves `from`/`to` in a zone (the shop's; the merchant's default for all shops). Both must be
 * period bounds (the DTO has checked); an empty or reversed period is refused naming both instants.
 */
export function resolvePeriod(fromText: string, toText: string, zone: string): ReportPeriod {
  if (!isValidTimeZone(zone)) throw new Error(`Invalid IANA time zone "${String(zone)}"`);
  const from = parsePeriodBound(fromText, zone);
  const to = parsePeriodBound(toText, zone);
  const bad = [
    ...(from ? [] : [{ field: 'from', errors: [`from must be ${PERIOD_BOUND_HINT}`] }]),
    ...(to ? [] : [{ field: 'to', errors: [`to must be ${PERIOD_BOUND_HINT}`] }]),
  ];
  if (bad.length || !from || !to) throw new InvalidInput('Validation failed', bad);
  if (from >= to) {
    const echo = echoPeriod(period(from, to, zone));
    throw new InvalidInput(`The period is empty: to (${echo.to}) must be after from (${echo.from}), read in ${zone}`, [
      { field: 'to', errors: ['to must be after from'] },
    ]);
  }
  return period(from, to, zone);
}

/** `YYYY-MM`: the calendar month in the zone, from its first midnight to the next month's (e.g. agent KPIs `month=`). */
export function resolveMonth(month: string, zone: string): ReportPeriod {
  if (!isValidTimeZone(zone)) throw new Error(`Invalid IANA time zone "${String(zone)}"`);
  if (typeof month !== 'string' || !MONTH.test(month)) throw new InvalidInput('Validation failed', [{ field: 'month', errors: ['month must be YYYY-MM, e.g. 2026-11'] }]);
  const start = DateTime.fromISO(`${month}-01`, { zone });
  return period(start.toJSDate(), start.plus({ months: 1 }).toJSDate(), zone);
}

export function isMonth(value: unknown): boolean {
  return typeof value === 'string' && MONTH.test(value);
}

export function echoPeriod(p: ReportPeriod): PeriodEcho {
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: p.timezone }).toISO({ suppressMilliseconds: true }) as string;
  return { from: at(p.from), to: at(p.to), timezone: p.timezone };
}
