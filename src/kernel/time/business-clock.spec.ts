import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessHours,
  addCalendarDays,
  addHours,
  BusinessHours,
  computeDue,
  cutoffDeadline,
  DEFAULT_BUSINESS_HOURS,
  DEFAULT_QUIET_HOURS,
  DEFAULT_TIMEZONE,
  isInQuietHours,
  isValidTimeZone,
  nextCallableTime,
  parseHHmm,
  ShopClock,
} from './business-clock.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const iso = (d: Date | null) => d?.toISOString();
/** Local wall time in a zone → Date (unambiguous inputs only). */
const local = (s: string, zone: string) => DateTime.fromISO(s, { zone }).toJSDate();
const utc = (s: string) => new Date(s);
const HOUR = 3_600_000;
const WEEKDAYS: BusinessHours = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

describe('parseHHmm / isValidTimeZone', () => {
  it('parses valid HH:mm', () => {
    expect(parseHHmm('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseHHmm('16:00')).toEqual({ hour: 16, minute: 0 });
    expect(parseHHmm('23:59')).toEqual({ hour: 23, minute: 59 });
  });
  it.each(['24:00', '9:00', '09:60', '0900', '', ' 09:00', '09:00:00', 'ab:cd'])('rejects %p', (s) => {
    expect(() => parseHHmm(s)).toThrow(Error);
  });
  it('validates IANA zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(() => cutoffDeadline(new Date(), 'Mars/Olympus')).toThrow(Error);
  });
});

describe('cutoffDeadline — [002] 16:00 cut-off, Asia/Shanghai', () => {
  it('15:59 → same day 16:00', () => {
    expect(iso(cutoffDeadline(utc('2026-03-10T07:59:00Z'), SH))).toBe('2026-03-10T08:00:00.000Z');
  });
  it('exactly 16:00 → next day 16:00', () => {
    expect(iso(cutoffDeadline(utc('2026-03-10T08:00:00Z'), SH))).toBe('2026-03-11T08:00:00.000Z');
  });
  it('20:00 → next day 16:00', () => {
    expect(iso(cutoffDeadline(utc('2026-03-10T12:00:00Z'), SH))).toBe('2026-03-11T08:00:00.000Z');
  });
  it('23:30 Shanghai → next Shanghai day 16:00', () => {
    expect(iso(cutoffDeadline(utc('2026-03-10T15:30:00Z'), SH))).toBe('2026-03-11T08:00:00.000Z');
  });
  it('uses the Shanghai date, not the UTC date, when they differ', () => {
    // 2026-03-10T23:30Z is 07:30 on 03-11 in Shanghai → 16:00 on 03-11 (UTC date would say 03-10)
    expect(iso(cutoffDeadline(utc('2026-03-10T23:30:00Z'), SH))).toBe('2026-03-11T08:00:00.000Z');
    // 00:30 Shanghai is 16:30Z of the previous UTC day — still before the local cut-off
    expect(iso(cutoffDeadline(utc('2026-03-10T16:30:00Z'), SH))).toBe('2026-03-11T08:00:00.000Z');
  });
  it('supports a custom cut-off', () => {
    expect(iso(cutoffDeadline(local('2026-03-10T11:00', SH), SH, '12:00'))).toBe('2026-03-10T04:00:00.000Z');
    expect(iso(cutoffDeadline(local('2026-03-10T12:00', SH), SH, '12:00'))).toBe('2026-03-11T04:00:00.000Z');
  });
});

describe('addBusinessHours — Asia/Shanghai 09:00–18:00', () => {
  const bh = DEFAULT_BUSINESS_HOURS;
  it('12 business hours from Monday 10:00 → Tuesday 13:00', () => {
    expect(iso(addBusinessHours(local('2026-03-09T10:00', SH), 12, SH, bh))).toBe('2026-03-10T05:00:00.000Z');
  });
  it('starts counting at opening when started before opening', () => {
    // Mon 07:00 → 9h Mon + 3h Tue → Tue 12:00
    expect(iso(addBusinessHours(local('2026-03-09T07:00', SH), 12, SH, bh))).toBe('2026-03-10T04:00:00.000Z');
  });
  it('starts counting next opening when started after closing', () => {
    // Mon 19:00 → 9h Tue + 3h Wed → Wed 12:00
    expect(iso(addBusinessHours(local('2026-03-09T19:00', SH), 12, SH, bh))).toBe('2026-03-11T04:00:00.000Z');
  });
  it('started exactly at closing counts from next opening', () => {
    expect(iso(addBusinessHours(local('2026-03-09T18:00', SH), 1, SH, bh))).toBe('2026-03-10T02:00:00.000Z');
  });
  it('skips non-business weekdays', () => {
    // Fri 15:00, Mon–Fri: 3h Fri + 9h Mon → Mon 18:00 (exactly at closing)
    expect(iso(addBusinessHours(local('2026-03-13T15:00', SH), 12, SH, WEEKDAYS))).toBe('2026-03-16T10:00:00.000Z');
    // 13h → Tue 10:00
    expect(iso(addBusinessHours(local('2026-03-13T15:00', SH), 13, SH, WEEKDAYS))).toBe('2026-03-17T02:00:00.000Z');
    // Saturday start → Monday opening
    expect(iso(addBusinessHours(local('2026-03-14T11:00', SH), 2, SH, WEEKDAYS))).toBe('2026-03-16T03:00:00.000Z');
  });
  it('supports fractional hours', () => {
    // Mon 17:00 + 1.5h → 1h Mon + 30m Tue → Tue 09:30
    expect(iso(addBusinessHours(local('2026-03-09T17:00', SH), 1.5, SH, bh))).toBe('2026-03-10T01:30:00.000Z');
    expect(iso(addBusinessHours(local('2026-03-09T10:00', SH), 0.25, SH, bh))).toBe('2026-03-09T02:15:00.000Z');
  });
  it('rejects bad input', () => {
    expect(() => addBusinessHours(new Date(), -1, SH, bh)).toThrow(Error);
    expect(() => addBusinessHours(new Date(), 1, SH, { start: '18:00', end: '09:00', days: [1] })).toThrow(Error);
    expect(() => addBusinessHours(new Date(), 1, SH, { ...bh, days: [] })).toThrow(Error);
  });
});

describe('quiet hours', () => {
  const wrap = DEFAULT_QUIET_HOURS; // 21:00–09:00
  const lunch = { start: '13:00', end: '14:00' };
  it.each([
    ['2026-03-09T20:59', false],
    ['2026-03-09T21:00', true],
    ['2026-03-09T23:30', true],
    ['2026-03-10T02:00', true],
    ['2026-03-10T08:59', true],
    ['2026-03-10T09:00', false],
    ['2026-03-10T12:00', false],
  ])('wrapping window: %s → %p', (t, expected) => {
    expect(isInQuietHours(local(t, SH), SH, wrap)).toBe(expected);
  });
  it.each([
    ['2026-03-09T12:59', false],
    ['2026-03-09T13:00', true],
    ['2026-03-09T13:59', true],
    ['2026-03-09T14:00', false],
    ['2026-03-09T23:00', false],
  ])('non-wrapping window: %s → %p', (t, expected) => {
    expect(isInQuietHours(local(t, SH), SH, lunch)).toBe(expected);
  });
  it('uses local time of the zone, not UTC', () => {
    // 13:00Z = 21:00 Shanghai (quiet); 01:00Z = 09:00 Shanghai (not quiet)
    expect(isInQuietHours(utc('2026-03-09T13:00:00Z'), SH, wrap)).toBe(true);
    expect(isInQuietHours(utc('2026-03-10T01:00:00Z'), SH, wrap)).toBe(false);
  });

  it('nextCallableTime: 23:30 → next day 09:00', () => {
    expect(iso(nextCallableTime(local('2026-03-09T23:30', SH), SH, wrap))).toBe('2026-03-10T01:00:00.000Z');
  });
  it('nextCallableTime: 02:00 → same day 09:00', () => {
    expect(iso(nextCallableTime(local('2026-03-10T02:00', SH), SH, wrap))).toBe('2026-03-10T01:00:00.000Z');
  });
  it('nextCallableTime: outside quiet hours returns t itself', () => {
    const t = local('2026-03-10T10:17', SH);
    expect(nextCallableTime(t, SH, wrap)).toBe(t);
    expect(iso(nextCallableTime(local('2026-03-10T09:00', SH), SH, wrap))).toBe('2026-03-10T01:00:00.000Z');
  });
  it('nextCallableTime: non-wrapping window → its end the same day', () => {
    expect(iso(nextCallableTime(local('2026-03-09T13:30', SH), SH, lunch))).toBe('2026-03-09T06:00:00.000Z');
  });
});

describe('addCalendarDays / addHours', () => {
  it('keeps the local wall time (Shanghai)', () => {
    expect(iso(addCalendarDays(utc('2026-03-09T02:00:00Z'), 3, SH))).toBe('2026-03-12T02:00:00.000Z');
    expect(iso(addCalendarDays(utc('2026-03-31T02:00:00Z'), 1, SH))).toBe('2026-04-01T02:00:00.000Z');
  });
  it('addHours is plain elapsed time', () => {
    expect(iso(addHours(utc('2026-03-09T02:00:00Z'), 48))).toBe('2026-03-11T02:00:00.000Z');
    expect(iso(addHours(utc('2026-03-09T02:00:00Z'), 0.5))).toBe('2026-03-09T02:30:00.000Z');
  });
});

describe('daylight saving — America/New_York (2026-03-08 spring forward, 2026-11-01 fall back)', () => {
  it('cut-off on the spring-forward day', () => {
    // 01:00 EST (before the jump) → 16:00 EDT same day
    expect(iso(cutoffDeadline(utc('2026-03-08T06:00:00Z'), NY))).toBe('2026-03-08T20:00:00.000Z');
    // Sat 17:00 EST → Sun 16:00 EDT (22h later)
    const sat = utc('2026-03-07T22:00:00Z');
    const due = cutoffDeadline(sat, NY);
    expect(iso(due)).toBe('2026-03-08T20:00:00.000Z');
    expect(due.getTime() - sat.getTime()).toBe(22 * HOUR);
    // 16:30 EDT on the DST day → next day 16:00 EDT
    expect(iso(cutoffDeadline(utc('2026-03-08T20:30:00Z'), NY))).toBe('2026-03-09T20:00:00.000Z');
  });
  it('cut-off on the fall-back day', () => {
    // 01:30 EDT (first occurrence) → 16:00 EST
    expect(iso(cutoffDeadline(utc('2026-11-01T05:30:00Z'), NY))).toBe('2026-11-01T21:00:00.000Z');
    // 01:30 EST (second occurrence) → 16:00 EST
    expect(iso(cutoffDeadline(utc('2026-11-01T06:30:00Z'), NY))).toBe('2026-11-01T21:00:00.000Z');
    // Sat 16:00 EDT → Sun 16:00 EST, 25h later
    const sat = utc('2026-10-31T20:00:00Z');
    const due = cutoffDeadline(sat, NY);
    expect(iso(due)).toBe('2026-11-01T21:00:00.000Z');
    expect(due.getTime() - sat.getTime()).toBe(25 * HOUR);
  });
  it('addCalendarDays keeps wall time: 23h across spring forward, 25h across fall back', () => {
    const spring = utc('2026-03-07T15:00:00Z'); // 10:00 EST
    const s1 = addCalendarDays(spring, 1, NY);
    expect(iso(s1)).toBe('2026-03-08T14:00:00.000Z'); // 10:00 EDT
    expect(s1.getTime() - spring.getTime()).toBe(23 * HOUR);

    const fall = utc('2026-10-31T14:00:00Z'); // 10:00 EDT
    const f1 = addCalendarDays(fall, 1, NY);
    expect(iso(f1)).toBe('2026-11-01T15:00:00.000Z'); // 10:00 EST
    expect(f1.getTime() - fall.getTime()).toBe(25 * HOUR);

    expect(iso(addCalendarDays(spring, 7, NY))).toBe('2026-03-14T14:00:00.000Z');
    expect(iso(addCalendarDays(s1, -1, NY))).toBe(iso(spring));
  });
  it('addCalendarDays onto a non-existent wall time moves forward past the gap', () => {
    // Sat 02:30 EST + 1 day → 02:30 does not exist on 03-08 → 03:30 EDT
    expect(iso(addCalendarDays(utc('2026-03-07T07:30:00Z'), 1, NY))).toBe('2026-03-08T07:30:00.000Z');
  });
  it('addHours is elapsed time across DST', () => {
    expect(iso(addHours(utc('2026-03-08T06:00:00Z'), 2))).toBe('2026-03-08T08:00:00.000Z'); // 01:00 EST → 04:00 EDT
  });
  it('business hours across spring forward and fall back', () => {
    // Sat 14:00 EST: 4h Sat + 8h Sun → Sun 17:00 EDT
    expect(iso(addBusinessHours(utc('2026-03-07T19:00:00Z'), 12, NY, DEFAULT_BUSINESS_HOURS))).toBe(
      '2026-03-08T21:00:00.000Z',
    );
    // Sat 14:00 EDT: 4h Sat + 8h Sun → Sun 17:00 EST
    expect(iso(addBusinessHours(utc('2026-10-31T18:00:00Z'), 12, NY, DEFAULT_BUSINESS_HOURS))).toBe(
      '2026-11-01T22:00:00.000Z',
    );
    // Before opening on the DST day: Sun 01:00 EST → opening 09:00 EDT + 2h → 11:00 EDT
    expect(iso(addBusinessHours(utc('2026-03-08T06:00:00Z'), 2, NY, DEFAULT_BUSINESS_HOURS))).toBe(
      '2026-03-08T15:00:00.000Z',
    );
  });
  it('quiet hours across the DST change', () => {
    const quiet = DEFAULT_QUIET_HOURS;
    // Sat 23:30 EST → Sun 09:00 EDT
    expect(iso(nextCallableTime(utc('2026-03-08T04:30:00Z'), NY, quiet))).toBe('2026-03-08T13:00:00.000Z');
    // Sat 23:30 EDT → Sun 09:00 EST
    expect(iso(nextCallableTime(utc('2026-11-01T03:30:00Z'), NY, quiet))).toBe('2026-11-01T14:00:00.000Z');
    expect(isInQuietHours(utc('2026-11-01T06:30:00Z'), NY, quiet)).toBe(true); // 01:30 EST
  });
});

describe('computeDue', () => {
  const clock: ShopClock = {
    timezone: DEFAULT_TIMEZONE,
    businessHours: DEFAULT_BUSINESS_HOURS,
    quietHours: DEFAULT_QUIET_HOURS,
  };
  const from = local('2026-03-09T22:00', SH); // Mon 22:00 Shanghai
  it('evaluates each rule kind', () => {
    expect(iso(computeDue({ kind: 'cutoff' }, from, clock))).toBe('2026-03-10T08:00:00.000Z');
    expect(iso(computeDue({ kind: 'cutoff', at: '23:00' }, from, clock))).toBe('2026-03-09T15:00:00.000Z');
    expect(iso(computeDue({ kind: 'businessHours', hours: 12 }, from, clock))).toBe('2026-03-11T04:00:00.000Z');
    expect(iso(computeDue({ kind: 'hours', hours: 24 }, from, clock))).toBe('2026-03-10T14:00:00.000Z');
    expect(iso(computeDue({ kind: 'days', days: 1 }, from, clock))).toBe('2026-03-10T14:00:00.000Z');
    expect(computeDue({ kind: 'none' }, from, clock)).toBeNull();
  });
  it('days + callable shifts out of quiet hours', () => {
    // Tue 22:00 is quiet → Wed 09:00
    expect(iso(computeDue({ kind: 'days', days: 1, callable: true }, from, clock))).toBe('2026-03-11T01:00:00.000Z');
    const noon = local('2026-03-09T12:00', SH);
    expect(iso(computeDue({ kind: 'days', days: 2, callable: true }, noon, clock))).toBe('2026-03-11T04:00:00.000Z');
  });
});

describe('addBusinessHours properties', () => {
  const zones = fc.constantFrom(SH, NY, 'Europe/London', 'Australia/Sydney', 'UTC');
  const startArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });
  const daysArb = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
  // Windows open at/after 04:00 so they never touch these zones' DST transition hours.
  const hoursArb = fc.record({ s: fc.integer({ min: 4 * 60, max: 12 * 60 }), len: fc.integer({ min: 30, max: 11 * 60 }) });

  const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const toBh = (w: { s: number; len: number }, days: number[]): BusinessHours => ({
    start: fmt(w.s),
    end: fmt(w.s + w.len),
    days,
  });

  it('result is >= start and within business hours (or exactly at closing)', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 100 * 60 }), zones, hoursArb, daysArb, (start, minutes, zone, w, days) => {
        const bh = toBh(w, days);
        const out = addBusinessHours(start, minutes / 60, zone, bh);
        expect(out.getTime()).toBeGreaterThanOrEqual(start.getTime());
        const lt = DateTime.fromJSDate(out).setZone(zone);
        const mod = lt.hour * 60 + lt.minute + lt.second / 60 + lt.millisecond / 60000;
        expect(days).toContain(lt.weekday);
        expect(mod).toBeGreaterThanOrEqual(w.s);
        expect(mod).toBeLessThanOrEqual(w.s + w.len);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive: (a + b) == a then b, for b > 0', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.integer({ min: 0, max: 50 * 60 }),
        fc.integer({ min: 1, max: 50 * 60 }),
        zones,
        hoursArb,
        daysArb,
        (start, a, b, zone, w, days) => {
          const bh = toBh(w, days);
          const whole = addBusinessHours(start, (a + b) / 60, zone, bh);
          const chained = addBusinessHours(addBusinessHours(start, a / 60, zone, bh), b / 60, zone, bh);
          expect(iso(chained)).toBe(iso(whole));
        },
      ),
      { numRuns: 300 },
    );
  });
});
