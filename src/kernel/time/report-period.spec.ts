import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InvalidInput } from '../errors/domain-errors.js';
import { echoPeriod, isPeriodBound, parsePeriodBound, resolveMonth, resolvePeriod } from './report-period.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('report periods (SPEC §4): dates and offset-less times are local to the shop', () => {
  it('a date is the local midnight; a local date-time the local time; an offset is taken as given', () => {
    expect(iso(parsePeriodBound('2026-11-01', SH))).toBe('2026-10-31T16:00:00.000Z');
    expect(iso(parsePeriodBound('2026-11-01T07:00', SH))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(parsePeriodBound('2026-11-01 07:00:30.5', SH))).toBe('2026-10-31T23:00:30.500Z');
    expect(iso(parsePeriodBound('2026-11-01', NY))).toBe('2026-11-01T04:00:00.000Z');
    for (const zone of [SH, NY, 'UTC']) {
      expect(iso(parsePeriodBound('2026-11-01T07:00:00+08:00', zone))).toBe('2026-10-31T23:00:00.000Z');
      expect(iso(parsePeriodBound('2026-11-01T07:00:00Z', zone))).toBe('2026-11-01T07:00:00.000Z');
      expect(iso(parsePeriodBound('2026-11-01T07:00-0500', zone))).toBe('2026-11-01T12:00:00.000Z');
    }
  });

  it('an unencoded + in a query string (read as a space) still means the offset', () => {
    expect(iso(parsePeriodBound('2026-11-01T07:00:00 08:00', NY))).toBe('2026-10-31T23:00:00.000Z');
  });

  it('refuses what is not a date or names no real day', () => {
    for (const bad of ['', 'yesterday', '2026-11', '2026-02-30', '2026-13-01', '2026-W44', '2026-305', '20261101', '2026-11-01T7:00', 1_700_000_000, null, undefined, ['2026-11-01']]) {
      expect(isPeriodBound(bad)).toBe(false);
      expect(parsePeriodBound(bad, SH)).toBeNull();
    }
  });

  it('the Shanghai November report: 2026-11-01T07:00+08:00 is in November, not October', () => {
    const nov = resolvePeriod('2026-11-01', '2026-12-01', SH);
    const at = new Date('2026-11-01T07:00:00+08:00');
    expect(nov.from <= at && at < nov.to).toBe(true);
    const oct = resolvePeriod('2026-10-01', '2026-11-01', SH);
    expect(oct.from <= at && at < oct.to).toBe(false);
    expect(echoPeriod(nov)).toEqual({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00', timezone: SH });
    expect([nov.firstDay, nov.lastDay]).toEqual(['2026-11-01', '2026-11-30']);
  });

  it('New York across the DST ends: 1 November 2026 is 25 hours long, 8 March 2026 is 23', () => {
    const fallBack = resolvePeriod('2026-11-01', '2026-11-02', NY);
    expect(echoPeriod(fallBack)).toEqual({ from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', timezone: NY });
    expect(fallBack.to.getTime() - fallBack.from.getTime()).toBe(25 * 3600_000);
    // 23:30 local on the long day is still that day (a fixed -04:00 would end the day at 23:00).
    const late = new Date('2026-11-01T23:30:00-05:00');
    expect(fallBack.from <= late && late < fallBack.to).toBe(true);
    expect([fallBack.firstDay, fallBack.lastDay]).toEqual(['2026-11-01', '2026-11-01']);

    const springForward = resolvePeriod('2026-03-08', '2026-03-09', NY);
    expect(echoPeriod(springForward)).toEqual({ from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00', timezone: NY });
    expect(springForward.to.getTime() - springForward.from.getTime()).toBe(23 * 3600_000);
  });

  it('local times DST repeats are their first occurrence; skipped ones move forward by the gap', () => {
    // 01:30 happens twice on 1 November in New York: first at -04:00.
    expect(iso(parsePeriodBound('2026-11-01T01:30', NY))).toBe('2026-11-01T05:30:00.000Z');
    // 02:30 does not exist on 8 March: 03:30 EDT.
    expect(iso(parsePeriodBound('2026-03-08T02:30', NY))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('property: a local date-time names the instant whose wall clock it is, in any zone with DST', () => {
    const zones = [SH, NY, 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (zone, ms) => {
        const wall = DateTime.fromMillis(ms - (ms % 60_000), { zone });
        const text = wall.toFormat("yyyy-MM-dd'T'HH:mm");
        const got = DateTime.fromJSDate(parsePeriodBound(text, zone)!, { zone });
        // Same wall clock (never an instant that does not exist), and no earlier instant shows it.
        expect(got.toFormat("yyyy-MM-dd'T'HH:mm")).toBe(text);
        expect(got.toMillis()).toBeLessThanOrEqual(wall.toMillis());
      }),
      { numRuns: 500 },
    );
  });

  it('an empty or reversed period is refused, naming both instants', () => {
    const err = (() => {
      try {
        resolvePeriod('2026-12-01', '2026-11-01', SH);
      } catch (e) {
        return e;
      }
    })() as InvalidInput;
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.message).toBe('The period is empty: to (2026-11-01T00:00:00+08:00) must be after from (2026-12-01T00:00:00+08:00), read in Asia/Shanghai');
    expect(() => resolvePeriod('2026-11-01', '2026-11-01', SH)).toThrow(InvalidInput);
    // The same local midnight as an instant: equal, so empty.
    expect(() => resolvePeriod('2026-11-01', '2026-10-31T16:00:00Z', SH)).toThrow(InvalidInput);
  });

  it('months (YYYY-MM, e.g. agent KPIs) run from local midnight to the next month\'s', () => {
    expect(echoPeriod(resolveMonth('2026-11', NY))).toEqual({ from: '2026-11-01T00:00:00-04:00', to: '2026-12-01T00:00:00-05:00', timezone: NY });
    expect(resolveMonth('2026-12', SH)).toMatchObject({ firstDay: '2026-12-01', lastDay: '2026-12-31', to: new Date('2026-12-31T16:00:00Z') });
    for (const bad of ['2026-13', '2026-1', '2026-11-01', '']) expect(() => resolveMonth(bad, SH)).toThrow(InvalidInput);
  });
});
