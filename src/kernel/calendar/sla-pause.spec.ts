import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { DEFAULT_WEEKLY_HOURS } from './calendar-rules.js';
import { cnDefaultDays } from './cn-default-days.js';
import { resumedDue, slaPauseFromJson, slaPauseToJson } from './sla-pause.js';

const SH = 'Asia/Shanghai';
const local = (s: string) => DateTime.fromISO(s, { zone: SH }).toJSDate();
const wall = (d: Date | undefined) => (d ? DateTime.fromJSDate(d).setZone(SH).toFormat("yyyy-MM-dd'T'HH:mm") : undefined);
const cal = new BusinessCalendar({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: { start: '21:00', end: '09:00' }, days: cnDefaultDays() }, SH);

describe('resumedDue — the budget a step had left when the case started waiting on the customer (SPEC §4)', () => {
  // An open step due Monday 18:00; the case waits on the customer from Monday 14:00 (4 business hours left)
  const pause = { dueAt: local('2026-03-09T18:00'), pausedAt: local('2026-03-09T14:00') };

  it('business hours: the 4 hours left count again from the resume, across the night', () => {
    expect(wall(resumedDue({ kind: 'businessHours', hours: 8 }, pause, local('2026-03-11T16:00'), cal))).toBe('2026-03-12T11:00');
  });

  it('business hours: a resume on a holiday counts from the first working hour after it (春节 2026)', () => {
    const p = { dueAt: local('2026-02-13T18:00'), pausedAt: local('2026-02-13T16:00') };
    expect(wall(resumedDue({ kind: 'businessHours', hours: 8 }, p, local('2026-02-17T10:00'), cal))).toBe('2026-02-24T11:00');
  });

  it('elapsed hours and days: the wall time left, the callable deadline moved out of quiet hours', () => {
    expect(wall(resumedDue({ kind: 'hours', hours: 24 }, pause, local('2026-03-11T16:00'), cal))).toBe('2026-03-11T20:00');
    expect(wall(resumedDue({ kind: 'days', days: 1 }, pause, local('2026-03-11T18:00'), cal))).toBe('2026-03-11T22:00');
    expect(wall(resumedDue({ kind: 'days', days: 1, callable: true }, pause, local('2026-03-11T18:00'), cal))).toBe('2026-03-12T09:00');
  });

  it('a deadline missed before the wait began stays missed', () => {
    const late = { dueAt: local('2026-03-09T12:00'), pausedAt: local('2026-03-09T14:00') };
    expect(wall(resumedDue({ kind: 'businessHours', hours: 8 }, late, local('2026-03-11T16:00'), cal))).toBe('2026-03-09T12:00');
  });

  it('a cut-off restarts at the resume (the claim\'s 16:00, SPEC §8) and none clears: undefined', () => {
    expect(resumedDue({ kind: 'cutoff' }, pause, local('2026-03-11T16:00'), cal)).toBeUndefined();
    expect(resumedDue({ kind: 'none' }, pause, local('2026-03-11T16:00'), cal)).toBeUndefined();
  });

  it('the stored form round-trips and refuses junk', () => {
    const p = { state: 'open', ...pause };
    expect(slaPauseFromJson(JSON.parse(JSON.stringify(slaPauseToJson(p))))).toEqual(p);
    expect(slaPauseFromJson(null)).toBeNull();
    expect(slaPauseFromJson({ state: 'open', dueAt: 'x', pausedAt: pause.pausedAt.toISOString() })).toBeNull();
  });
});
