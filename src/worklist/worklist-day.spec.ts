import { resolveWorklistDay } from './worklist-day.js';

const HOUR = 3_600_000;

describe('resolveWorklistDay: a shop-local date as instants', () => {
  it('reads the date in the zone, midnight to midnight', () => {
    const sh = resolveWorklistDay('2026-11-30', 'Asia/Shanghai', new Date());
    expect([sh.from.toISOString(), sh.to.toISOString()]).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    const ny = resolveWorklistDay('2026-11-30', 'America/New_York', new Date());
    expect([ny.from.toISOString(), ny.to.toISOString()]).toEqual(['2026-11-30T05:00:00.000Z', '2026-12-01T05:00:00.000Z']);
  });

  it('gives a DST day its 23 or 25 hours', () => {
    const spring = resolveWorklistDay('2026-03-08', 'America/New_York', new Date());
    const fall = resolveWorklistDay('2026-11-01', 'America/New_York', new Date());
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * HOUR);
    expect(fall.to.getTime() - fall.from.getTime()).toBe(25 * HOUR);
  });

  it('defaults to the zone\'s today at the given instant, which differs between zones', () => {
    const at = new Date('2026-11-30T20:00:00Z');
    expect(resolveWorklistDay(undefined, 'Asia/Shanghai', at).date).toBe('2026-12-01');
    expect(resolveWorklistDay(undefined, 'America/New_York', at).date).toBe('2026-11-30');
  });

  it('crosses month and year ends', () => {
    const d = resolveWorklistDay('2026-12-31', 'Asia/Shanghai', new Date());
    expect(d.to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});
