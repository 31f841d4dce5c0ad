import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { type CalendarDay, CalendarDayKind, type CalendarRules, DEFAULT_WEEKLY_HOURS, type WeeklyHours, WEEKDAYS } from './calendar-rules.js';
import { CN_DEFAULT_YEARS, cnDefaultDays, defaultDaysOf } from './cn-default-days.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const BER = 'Europe/Berlin';
const HOUR = 3_600_000;
const QUIET = { start: '21:00', end: '09:00' };
/** Local wall time in a zone → Date (unambiguous inputs only). */
const local = (s: string, zone = SH) => DateTime.fromISO(s, { zone }).toJSDate();
const iso = (d: Date) => d.toISOString();
/** The instant as local wall time 'yyyy-MM-ddTHH:mm' in a zone. */
const wall = (d: Date, zone = SH) => DateTime.fromJSDate(d).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

const nineToSix = [{ start: '09:00', end: '18:00' }];
const MON_FRI: WeeklyHours = { ...DEFAULT_WEEKLY_HOURS, saturday: [], sunday: [] };
const rules = (over: Partial<CalendarRules> = {}): CalendarRules => ({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: QUIET, days: cnDefaultDays(), ...over });
const cal = (over: Partial<CalendarRules> = {}, zone = SH) => new BusinessCalendar(rules(over), zone);

describe('default mainland-China days', () => {
  it('2026 春节 is Feb 15–23 with make-up working Saturdays Feb 14 and Feb 28 (State Council list)', () => {
    const y2026 = defaultDaysOf(CN_DEFAULT_YEARS.find((y) => y.year === 2026)!);
    const spring = y2026.filter((d) => d.name === '春节').map((d) => d.date);
    expect(spring).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    const workdays = y2026.filter((d) => d.kind === CalendarDayKind.Workday);
    expect(workdays.map((d) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    // Every make-up working day falls on a weekend, every one of them
    for (const d of workdays) expect(DateTime.fromISO(d.date).weekday).toBeGreaterThanOrEqual(6);
  });
  it('2027 ships the 13 statutory days, marked not official', () => {
    const y = CN_DEFAULT_YEARS.find((x) => x.year === 2027)!;
    expect(y.official).toBe(false);
    expect(defaultDaysOf(y)).toHaveLength(13);
  });
});

describe('isBusinessTime', () => {
  const c = cal({ weeklyHours: MON_FRI });
  it.each([
    ['2026-03-09T08:59', false], // Monday before opening
    ['2026-03-09T09:00', true],
    ['2026-03-09T17:59', true],
    ['2026-03-09T18:00', false], // closing is outside
    ['2026-03-14T10:00', false], // Saturday
    ['2026-02-14T10:00', true], // Saturday, 春节 make-up working day
    ['2026-02-28T10:00', true], // Saturday, 春节 make-up working day
    ['2026-01-04T10:00', true], // Sunday, 元旦 make-up working day
    ['2026-02-16T10:00', false], // Monday in 春节
    ['2026-10-05T10:00', false], // Monday in 国庆
  ])('Mon–Fri 09:00–18:00, Shanghai: %s → %p', (t, expected) => {
    expect(c.isBusinessTime(local(t))).toBe(expected);
  });
  it('reads the local time of the zone, not UTC', () => {
    // 2026-03-09T01:30Z is 09:30 Monday in Shanghai, 02:30 in Berlin
    expect(cal({}, SH).isBusinessTime(new Date('2026-03-09T01:30:00Z'))).toBe(true);
    expect(cal({}, BER).isBusinessTime(new Date('2026-03-09T01:30:00Z'))).toBe(false);
  });
  it('supports split shifts and a window to midnight', () => {
    const c2 = cal({ weeklyHours: { ...DEFAULT_WEEKLY_HOURS, monday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }, { start: '20:00', end: '24:00' }] } });
    expect(c2.isBusinessTime(local('2026-03-09T12:30'))).toBe(false);
    expect(c2.isBusinessTime(local('2026-03-09T13:00'))).toBe(true);
    expect(c2.isBusinessTime(local('2026-03-09T23:59'))).toBe(true);
    expect(c2.isBusinessTime(local('2026-03-10T00:00'))).toBe(false); // Tuesday 00:00 is before Tuesday's 09:00
  });
});

describe('addBusinessHours — Asia/Shanghai', () => {
  it('across a night: Monday 17:00 + 2 h → Tuesday 10:00', () => {
    expect(wall(cal().addBusinessHours(local('2026-03-09T17:00'), 2))).toBe('2026-03-10T10:00');
  });
  it('across a weekend when weekends are closed: Friday 17:00 + 2 h → Monday 10:00', () => {
    expect(wall(cal({ weeklyHours: MON_FRI }).addBusinessHours(local('2026-03-13T17:00'), 2))).toBe('2026-03-16T10:00');
  });
  it('12 business hours across a night, a weekend and a holiday (清明 Sat–Mon 2026-04-04..06)', () => {
    const c = cal({ weeklyHours: MON_FRI });
    // Thursday 15:00: 3 h Thu + 9 h Fri = 12 h, ends exactly at Friday's closing
    expect(wall(c.addBusinessHours(local('2026-04-02T15:00'), 12))).toBe('2026-04-03T18:00');
    // Thursday 16:00: 2 h Thu + 9 h Fri, then Sat/Sun closed and Mon 04-06 a holiday → Tue 10:00
    expect(wall(c.addBusinessHours(local('2026-04-02T16:00'), 12))).toBe('2026-04-07T10:00');
  });
  it('春节 2026: a make-up working Saturday counts, the nine holidays do not', () => {
    const c = cal({ weeklyHours: MON_FRI });
    // Fri 02-13 17:00: 1 h Fri + 9 h Sat 02-14 (补班) → 2 h left; 02-15..23 off → Tue 02-24 11:00
    expect(wall(c.addBusinessHours(local('2026-02-13T17:00'), 12))).toBe('2026-02-24T11:00');
    // Without the calendar days the same rule would end on Tue 02-17 — the difference is the holiday list
    const plain = cal({ weeklyHours: MON_FRI, days: [] });
    expect(wall(plain.addBusinessHours(local('2026-02-13T17:00'), 12))).toBe('2026-02-17T11:00');
    // Fri 02-27 17:00: 1 h Fri + 2 h on Sat 02-28 (补班)
    expect(wall(c.addBusinessHours(local('2026-02-27T17:00'), 3))).toBe('2026-02-28T11:00');
  });
  it('国庆 2026: Sep 30 16:00 + 12 h skips Oct 1–7 → Oct 9 10:00; the make-up Sunday Sep 20 counts', () => {
    const c = cal({ weeklyHours: MON_FRI });
    expect(wall(c.addBusinessHours(local('2026-09-30T16:00'), 12))).toBe('2026-10-09T10:00');
    expect(wall(c.addBusinessHours(local('2026-09-18T17:00'), 2))).toBe('2026-09-20T10:00');
    // Every-day hours: the holidays still close the whole week
    expect(wall(cal().addBusinessHours(local('2026-09-30T17:00'), 2))).toBe('2026-10-08T10:00');
  });
  it('a make-up working day on a closed weekday takes the first open weekday\'s hours; its own hours win', () => {
    const week: WeeklyHours = { ...MON_FRI, monday: [{ start: '10:00', end: '16:00' }], tuesday: nineToSix };
    const days: CalendarDay[] = [
      { date: '2026-02-14', kind: CalendarDayKind.Workday, name: null, hours: null },
      { date: '2026-02-28', kind: CalendarDayKind.Workday, name: null, hours: [{ start: '09:00', end: '12:00' }] },
    ];
    const c = cal({ weeklyHours: week, days });
    expect(c.hoursOn('2026-02-14')).toEqual([{ start: '10:00', end: '16:00' }]);
    expect(c.hoursOn('2026-02-28')).toEqual([{ start: '09:00', end: '12:00' }]);
    expect(c.isBusinessTime(local('2026-02-28T12:30'))).toBe(false);
  });
  it('counts from the next opening; 0 h gives the next business time; exact closing stays', () => {
    const c = cal({ weeklyHours: MON_FRI });
    expect(wall(c.addBusinessHours(local('2026-03-14T11:00'), 0))).toBe('2026-03-16T09:00');
    expect(wall(c.nextBusinessTime(local('2026-03-10T18:00')))).toBe('2026-03-11T09:00');
    const t = local('2026-03-10T10:17');
    expect(c.nextBusinessTime(t).getTime()).toBe(t.getTime());
    expect(wall(c.addBusinessHours(local('2026-03-10T17:00'), 1))).toBe('2026-03-10T18:00');
    expect(wall(c.addBusinessHours(local('2026-03-10T17:00'), 1.25))).toBe('2026-03-11T09:15');
  });
  it('refuses bad input', () => {
    const c = cal();
    expect(() => c.addBusinessHours(new Date(), -1)).toThrow(Error);
    expect(() => c.addBusinessHours(new Date(), Number.NaN)).toThrow(Error);
    expect(() => c.addBusinessHours(new Date('nope'), 1)).toThrow(Error);
  });
});

describe('daylight saving', () => {
  it('America/New_York spring forward (2026-03-08): counts real hours, windows follow the wall clock', () => {
    const c = cal({ days: [] }, NY);
    // Sat 17:00 EST + 2 h → 1 h Sat + 1 h Sun from 09:00 EDT → 10:00 EDT = 14:00Z
    expect(iso(c.addBusinessHours(local('2026-03-07T17:00', NY), 2))).toBe('2026-03-08T14:00:00.000Z');
    // Sat 12:00 EST → Sun 12:00 EDT is 23 h of wall time and 6 h + 3 h of business time
    expect(c.businessMsBetween(local('2026-03-07T12:00', NY), local('2026-03-08T12:00', NY))).toBe(9 * HOUR);
    // A night shift over the jump is one hour shorter that night
    const night = cal({ days: [], weeklyHours: { ...DEFAULT_WEEKLY_HOURS, sunday: [{ start: '00:00', end: '04:00' }] } }, NY);
    expect(night.businessMsBetween(local('2026-03-08T00:00', NY), local('2026-03-08T05:00', NY))).toBe(3 * HOUR);
    expect(night.isBusinessTime(new Date('2026-03-08T07:30:00Z'))).toBe(true); // 03:30 EDT
  });
  it('America/New_York fall back (2026-11-01): the repeated hour counts twice', () => {
    const night = cal({ days: [], weeklyHours: { ...DEFAULT_WEEKLY_HOURS, sunday: [{ start: '00:00', end: '04:00' }] } }, NY);
    expect(night.businessMsBetween(local('2026-11-01T00:00', NY), local('2026-11-01T05:00', NY))).toBe(5 * HOUR);
    // Sat 17:00 EDT + 2 h → Sun 10:00 EST = 15:00Z
    expect(iso(cal({ days: [] }, NY).addBusinessHours(local('2026-10-31T17:00', NY), 2))).toBe('2026-11-01T15:00:00.000Z');
  });
  it('Europe/Berlin (2026-03-29 and 2026-10-25): Mon–Fri hours and the 16:00 cut-off', () => {
    const c = cal({ days: [], weeklyHours: MON_FRI }, BER);
    // Fri 17:00 CET (16:00Z) + 2 h → 1 h Fri + Mon 09:00 CEST (07:00Z) + 1 h
    expect(iso(c.addBusinessHours(new Date('2026-03-27T16:00:00Z'), 2))).toBe('2026-03-30T08:00:00.000Z');
    // Sat 17:00 CEST → 16:00 CET on the fall-back Sunday = 15:00Z, 24 h + 1 h later
    const sat = new Date('2026-10-24T15:00:00Z');
    const due = c.cutoff1600(sat);
    expect(iso(due)).toBe('2026-10-25T15:00:00.000Z');
    expect(due.getTime() - sat.getTime()).toBe(24 * HOUR);
    // …and to the next working day (Monday) when asked
    expect(iso(c.cutoff1600(sat, { workingDaysOnly: true }))).toBe('2026-10-26T15:00:00.000Z');
  });
});

describe('quiet hours and calling customers', () => {
  const c = cal();
  it.each([
    ['2026-03-09T20:59', false],
    ['2026-03-09T21:00', true],
    ['2026-03-09T23:59', true],
    ['2026-03-10T00:00', true],
    ['2026-03-10T08:59', true],
    ['2026-03-10T09:00', false],
  ])('21:00–09:00 across midnight: %s quiet → %p', (t, expected) => {
    expect(c.isQuietTime(local(t))).toBe(expected);
  });
  it('nextCallableTime waits for the end of the quiet window, across midnight', () => {
    expect(wall(c.nextCallableTime(local('2026-03-09T23:30')))).toBe('2026-03-10T09:00');
    expect(wall(c.nextCallableTime(local('2026-03-10T02:00')))).toBe('2026-03-10T09:00');
    const t = local('2026-03-10T14:00');
    expect(c.nextCallableTime(t).getTime()).toBe(t.getTime());
  });
  it('holidays do not block a call, only quiet hours do', () => {
    const t = local('2026-02-17T11:00'); // 春节
    expect(c.isBusinessTime(t)).toBe(false);
    expect(c.nextCallableTime(t).getTime()).toBe(t.getTime());
  });
  it('withinDaysCallable: never later than N days, never inside quiet hours [000 三天之内回访]', () => {
    expect(wall(c.withinDaysCallable(local('2026-03-09T10:00'), 3))).toBe('2026-03-12T10:00');
    // Mon 22:00 + 3 days = Thu 22:00 (quiet) → the quiet window starts Thu 21:00
    expect(wall(c.withinDaysCallable(local('2026-03-09T22:00'), 3))).toBe('2026-03-12T21:00');
    // Mon 03:00 + 3 days = Thu 03:00 (quiet since Wed 21:00) → Wed 21:00
    expect(wall(c.withinDaysCallable(local('2026-03-09T03:00'), 3))).toBe('2026-03-11T21:00');
    // 0 days from the middle of the night → the first callable time
    expect(wall(c.withinDaysCallable(local('2026-03-09T03:00'), 0))).toBe('2026-03-09T09:00');
    // A holiday does not move it
    expect(wall(c.withinDaysCallable(local('2026-02-12T10:00'), 3))).toBe('2026-02-15T10:00');
  });
  it('a non-wrapping quiet window and no quiet hours at all', () => {
    const lunch = cal({ quietHours: { start: '12:00', end: '14:00' } });
    expect(wall(lunch.withinDaysCallable(local('2026-03-09T13:00'), 1))).toBe('2026-03-10T12:00');
    expect(wall(lunch.nextCallableTime(local('2026-03-09T13:00')))).toBe('2026-03-09T14:00');
    const none = cal({ quietHours: { start: '00:00', end: '00:00' } });
    expect(none.isQuietTime(local('2026-03-09T03:00'))).toBe(false);
  });
});

describe('cutoff1600 — [002] 时效为当天下午4点以前', () => {
  const c = cal();
  it('keeps the business-clock semantics: same day before 16:00, next day from 16:00 on', () => {
    expect(wall(c.cutoff1600(local('2026-03-10T15:59')))).toBe('2026-03-10T16:00');
    expect(wall(c.cutoff1600(local('2026-03-10T16:00')))).toBe('2026-03-11T16:00');
    expect(wall(c.cutoff1600(local('2026-03-10T23:30')))).toBe('2026-03-11T16:00');
    // "the next day" is a calendar day, holidays included, unless asked otherwise
    expect(wall(c.cutoff1600(local('2026-02-14T17:00')))).toBe('2026-02-15T16:00');
    expect(wall(c.cutoff1600(local('2026-02-14T17:00'), { workingDaysOnly: true }))).toBe('2026-02-24T16:00');
    expect(wall(c.cutoff1600(local('2026-03-10T11:00'), { at: '12:00' }))).toBe('2026-03-10T12:00');
  });
});

describe('rules are checked when the calendar is built', () => {
  it.each<[string, Partial<CalendarRules>]>([
    ['overlapping windows', { weeklyHours: { ...DEFAULT_WEEKLY_HOURS, monday: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] } }],
    ['a window that ends before it starts', { weeklyHours: { ...DEFAULT_WEEKLY_HOURS, monday: [{ start: '18:00', end: '09:00' }] } }],
    ['a bad time', { weeklyHours: { ...DEFAULT_WEEKLY_HOURS, monday: [{ start: '9:00', end: '18:00' }] } }],
    ['every weekday closed', { weeklyHours: Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as WeeklyHours }],
    ['bad quiet hours', { quietHours: { start: '25:00', end: '09:00' } }],
    ['a holiday with hours', { days: [{ date: '2026-05-01', kind: CalendarDayKind.Holiday, name: null, hours: nineToSix }] }],
    ['an impossible date', { days: [{ date: '2026-02-30', kind: CalendarDayKind.Holiday, name: null, hours: null }] }],
  ])('refuses %s', (_name, over) => {
    expect(() => cal(over)).toThrow(/Invalid calendar/);
  });
  it('refuses an unknown timezone', () => {
    expect(() => cal({}, 'Mars/Olympus')).toThrow(/time zone/);
  });
  it('gives up when there is no business time at all within two years', () => {
    const holidays: CalendarDay[] = [];
    for (let d = DateTime.fromISO('2026-01-01'); d.year < 2029; d = d.plus({ days: 1 })) holidays.push({ date: d.toISODate()!, kind: CalendarDayKind.Holiday, name: null, hours: null });
    expect(() => cal({ days: holidays }).addBusinessHours(local('2026-01-01T10:00'), 1)).toThrow(/No business hours/);
  });
});

describe('properties', () => {
  const zones = fc.constantFrom(SH, NY, BER, 'Australia/Sydney', 'UTC');
  const starts = fc.date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
  const weekArb = fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }).filter((open) => open.some(Boolean));
  const toWeek = (open: boolean[]): WeeklyHours => Object.fromEntries(WEEKDAYS.map((d, i) => [d, open[i] ? [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '24:00' }] : []])) as unknown as WeeklyHours;

  it('addBusinessHours is the inverse of businessMsBetween, and lands in business time or on a closing', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 0, max: 80 * 60 }), zones, weekArb, (from, minutes, zone, open) => {
        const c = new BusinessCalendar(rules({ weeklyHours: toWeek(open) }), zone);
        const due = c.addBusinessHours(from, minutes / 60);
        expect(due.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(c.businessMsBetween(from, due)).toBe(minutes * 60_000);
        if (minutes > 0) {
          const justBefore = new Date(due.getTime() - 1);
          expect(c.isBusinessTime(justBefore)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('nextCallableTime is never quiet and never earlier; withinDaysCallable is never later than N days', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 0, max: 10 }), zones, (from, days, zone) => {
        const c = new BusinessCalendar(rules(), zone);
        const next = c.nextCallableTime(from);
        expect(next.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(c.isQuietTime(next)).toBe(false);
        const due = c.withinDaysCallable(from, days);
        expect(due.getTime()).toBeLessThanOrEqual(Math.max(DateTime.fromJSDate(from).setZone(zone).plus({ days }).toMillis(), next.getTime()));
      }),
      { numRuns: 300 },
    );
  });
});
