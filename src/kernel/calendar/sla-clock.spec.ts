import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.js';
import { DEFAULT_WEEKLY_HOURS } from './calendar-rules.js';
import { cnDefaultDays } from './cn-default-days.js';
import { slaClock, type StateEntry } from './sla-clock.js';

const SH = 'Asia/Shanghai';
const HOUR = 3_600_000;
const local = (s: string) => DateTime.fromISO(s, { zone: SH }).toJSDate();
const wall = (d: Date | null) => (d ? DateTime.fromJSDate(d).setZone(SH).toFormat("yyyy-MM-dd'T'HH:mm") : null);
const cal = new BusinessCalendar({ weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: { start: '21:00', end: '09:00' }, days: cnDefaultDays() }, SH);
const WAITING = ['awaiting_evidence'];
const entry = (state: string, at: string): StateEntry => ({ state, enteredAt: local(at) });

describe('SLA clock — pauses while the case waits on the customer (SPEC §4)', () => {
  // A complaint reported Monday 10:00 with a 12-business-hour first response [002]
  const history = [entry('received', '2026-03-09T10:00'), entry('awaiting_evidence', '2026-03-09T15:00'), entry('investigating', '2026-03-10T11:00')];

  it('without a pause the budget ends Tuesday 13:00', () => {
    const c = slaClock(cal, { history: history.slice(0, 1), pausedStates: WAITING, budgetHours: 12, now: local('2026-03-09T12:00') });
    expect(c).toMatchObject({ running: true, elapsedMs: 2 * HOUR, pausedMs: 0, resumedAt: null, remainingMs: 10 * HOUR, overdue: false });
    expect(wall(c.dueAt)).toBe('2026-03-10T13:00');
  });

  it('while waiting it stands still: no due time, the elapsed time frozen', () => {
    const c = slaClock(cal, { history: history.slice(0, 2), pausedStates: WAITING, budgetHours: 12, now: local('2026-03-10T10:00') });
    expect(c.running).toBe(false);
    expect(c.dueAt).toBeNull();
    expect(c.elapsedMs).toBe(5 * HOUR);
    expect(c.pausedMs).toBe(19 * HOUR);
    expect(c.remainingMs).toBe(7 * HOUR);
  });

  it('resumes when the customer acts: 5 h before the pause + 7 h after → Tuesday 18:00', () => {
    const c = slaClock(cal, { history, pausedStates: WAITING, budgetHours: 12, now: local('2026-03-10T12:00') });
    expect(c.running).toBe(true);
    expect(c.elapsedMs).toBe(6 * HOUR);
    expect(wall(c.resumedAt)).toBe('2026-03-10T11:00');
    expect(wall(c.dueAt)).toBe('2026-03-10T18:00');
    // The due time does not drift as time passes
    const later = slaClock(cal, { history, pausedStates: WAITING, budgetHours: 12, now: local('2026-03-10T17:30') });
    expect(later.dueAt?.getTime()).toBe(c.dueAt?.getTime());
  });

  it('once the budget ran out, the due time is the instant it did and the case is overdue', () => {
    const c = slaClock(cal, { history, pausedStates: WAITING, budgetHours: 12, now: local('2026-03-11T10:00') });
    expect(c.overdue).toBe(true);
    expect(wall(c.dueAt)).toBe('2026-03-10T18:00');
    expect(c.remainingMs).toBe(0);
    expect(c.elapsedMs).toBe(13 * HOUR); // 5 h Mon + 7 h Tue + 1 h Wed
  });

  it('a pause over 春节 costs nothing; business time resumes after the holidays', () => {
    const h = [entry('received', '2026-02-13T16:00'), entry('awaiting_evidence', '2026-02-13T17:00'), entry('investigating', '2026-02-25T09:00')];
    const c = slaClock(cal, { history: h, pausedStates: WAITING, budgetHours: 12, now: local('2026-02-25T09:00') });
    expect(c.elapsedMs).toBe(HOUR);
    expect(wall(c.dueAt)).toBe('2026-02-26T11:00'); // 11 h left: 9 h on 02-25, 2 h on 02-26
  });

  it('the claim\'s 16:00 clock restarts at the upload (SPEC §8), from resumedAt', () => {
    const h = [entry('reported', '2026-03-09T10:00'), entry('awaiting_evidence', '2026-03-09T11:00'), entry('evidence_received', '2026-03-10T17:20')];
    const c = slaClock(cal, { history: h, pausedStates: WAITING, now: local('2026-03-10T17:30') });
    expect(c.dueAt).toBeNull(); // no budget given
    expect(wall(cal.cutoff1600(c.resumedAt!))).toBe('2026-03-11T16:00');
  });

  it('counts wall time when asked (e.g. "within 24 h"), and takes the history in any order', () => {
    const shuffled = [history[2], history[0], history[1]];
    const c = slaClock(cal, { history: shuffled, pausedStates: WAITING, budgetHours: 24, count: 'wall', now: local('2026-03-10T12:00') });
    expect(c.elapsedMs).toBe(5 * HOUR + HOUR);
    expect(wall(c.dueAt)).toBe('2026-03-11T06:00'); // 18 h after 12:00
  });

  it('refuses an empty history and a negative budget', () => {
    expect(() => slaClock(cal, { history: [], pausedStates: WAITING, now: new Date() })).toThrow(Error);
    expect(() => slaClock(cal, { history, pausedStates: WAITING, budgetHours: -1, now: new Date() })).toThrow(Error);
  });
});
