import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { computeDue, DEFAULT_BUSINESS_HOURS, DEFAULT_QUIET_HOURS, type DueRule } from '../time/business-clock.js';
import { BusinessCalendar } from './business-calendar.js';
import { dueOnCalendar, shopClockOf } from './calendar-due.js';
import { DEFAULT_WEEKLY_HOURS, type WeeklyHours } from './calendar-rules.js';
import { cnDefaultDays } from './cn-default-days.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const local = (s: string, zone = SH) => DateTime.fromISO(s, { zone }).toJSDate();
const wall = (d: Date | null, zone = SH) => (d ? DateTime.fromJSDate(d).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : null);
const plain = (zone = SH) => new BusinessCalendar({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: DEFAULT_QUIET_HOURS, days: [] }, zone);
const china = (zone = SH, weeklyHours: WeeklyHours = DEFAULT_WEEKLY_HOURS) => new BusinessCalendar({ weeklyHours, quietHours: DEFAULT_QUIET_HOURS, days: cnDefaultDays() }, zone);

describe('dueOnCalendar — machine due rules on the business calendar (SPEC §4)', () => {
  const rules = fc.oneof(
    fc.record({ kind: fc.constant('cutoff' as const) }),
    fc.record({ kind: fc.constant('businessHours' as const), hours: fc.integer({ min: 0, max: 80 }) }),
    fc.record({ kind: fc.constant('hours' as const), hours: fc.integer({ min: 0, max: 200 }) }),
    fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 0, max: 30 }), callable: fc.boolean() }),
    fc.constant({ kind: 'none' as const }),
  );
  const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

  it('property: a calendar of plain 09:00–18:00 days with no dated entries gives the pure clock\'s deadlines (business-clock stays the reference)', () => {
    fc.assert(
      fc.property(rules, instants, fc.constantFrom(SH, NY, 'Europe/Berlin', 'UTC'), (rule: DueRule, from, zone) => {
        const clock = { timezone: zone, businessHours: DEFAULT_BUSINESS_HOURS, quietHours: DEFAULT_QUIET_HOURS };
        expect(dueOnCalendar(rule, from, plain(zone))?.toISOString()).toBe(computeDue(rule, from, clock)?.toISOString());
      }),
      { numRuns: 400 },
    );
  });

  it('businessHours skip 春节 2026 and count the 调休 Saturday', () => {
    // Friday 13 Feb 17:00: 1 h Friday + 9 h Saturday 14 Feb (补班) + nothing 15–23 Feb + 2 h on 24 Feb
    expect(wall(dueOnCalendar({ kind: 'businessHours', hours: 12 }, local('2026-02-13T17:00'), china()))).toBe('2026-02-24T11:00');
    // the plain clock would have ended on the first holiday
    expect(wall(dueOnCalendar({ kind: 'businessHours', hours: 12 }, local('2026-02-13T17:00'), plain()))).toBe('2026-02-15T11:00');
  });

  it('businessHours follow per-weekday windows: a split day and a closed Sunday', () => {
    const weekly: WeeklyHours = { ...DEFAULT_WEEKLY_HOURS, saturday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '15:00' }], sunday: [] };
    // Saturday 7 Mar 10:00 + 6 h: 2 h to 12:00, 2 h to 15:00, Sunday closed, 2 h Monday → 11:00
    expect(wall(dueOnCalendar({ kind: 'businessHours', hours: 6 }, local('2026-03-07T10:00'), china(SH, weekly)))).toBe('2026-03-09T11:00');
  });

  it('the 16:00 cut-off stays "the same or the next day" on a holiday (SPEC §8), in the shop zone', () => {
    expect(wall(dueOnCalendar({ kind: 'cutoff' }, local('2026-02-16T17:00'), china()))).toBe('2026-02-17T16:00');
    expect(wall(dueOnCalendar({ kind: 'cutoff' }, local('2026-03-08T15:00', NY), china(NY)), NY)).toBe('2026-03-08T16:00');
  });

  it('callable days leave the calendar\'s quiet hours, whatever the merchant set them to', () => {
    const late = new BusinessCalendar({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: { start: '22:00', end: '08:00' }, days: [] }, SH);
    expect(wall(dueOnCalendar({ kind: 'days', days: 1, callable: true }, local('2026-03-09T23:00'), late))).toBe('2026-03-11T08:00');
    expect(wall(dueOnCalendar({ kind: 'days', days: 1, callable: true }, local('2026-03-09T21:30'), late))).toBe('2026-03-10T21:30');
    expect(wall(dueOnCalendar({ kind: 'days', days: 1, callable: true }, local('2026-03-09T21:30'), plain()))).toBe('2026-03-11T09:00');
  });

  it('hours are elapsed time and none clears', () => {
    expect(dueOnCalendar({ kind: 'hours', hours: 24 }, local('2026-02-16T10:00'), china())?.toISOString()).toBe(local('2026-02-17T10:00').toISOString());
    expect(dueOnCalendar({ kind: 'none' }, local('2026-02-16T10:00'), china())).toBeNull();
  });
});

describe('shopClockOf — the calendar as the older single-window clock', () => {
  it('keeps the timezone and quiet hours, the widest window and the open weekdays', () => {
    const weekly: WeeklyHours = { ...DEFAULT_WEEKLY_HOURS, monday: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '24:00' }], sunday: [] };
    const cal = new BusinessCalendar({ weeklyHours: weekly, quietHours: { start: '22:00', end: '08:00' }, days: [] }, NY);
    expect(shopClockOf(cal)).toEqual({ timezone: NY, businessHours: { start: '08:30', end: '23:59', days: [1, 2, 3, 4, 5, 6] }, quietHours: { start: '22:00', end: '08:00' } });
  });
});
