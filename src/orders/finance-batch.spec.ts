import fc from 'fast-check';
import { nextFinanceBatch } from './finance-batch.js';

const sh = (iso: string) => new Date(`${iso}+08:00`);

describe('nextFinanceBatch [002 财务确认 12:00 / 16:00]', () => {
  it.each([
    ['2025-03-10T09:00:00', '2025-03-10T12:00:00'],
    ['2025-03-10T11:59:59', '2025-03-10T12:00:00'],
    ['2025-03-10T12:00:00', '2025-03-10T16:00:00'],
    ['2025-03-10T15:59:00', '2025-03-10T16:00:00'],
    ['2025-03-10T16:00:00', '2025-03-11T12:00:00'],
    ['2025-03-10T23:30:00', '2025-03-11T12:00:00'],
    ['2025-03-10T00:00:00', '2025-03-10T12:00:00'],
  ])('audited at %s Shanghai → due %s', (at, due) => {
    expect(nextFinanceBatch(sh(at), 'Asia/Shanghai').toISOString()).toBe(sh(due).toISOString());
  });

  it('uses the shop zone, also across a DST change', () => {
    // 2025-03-09 is the US spring-forward day; 16:00 local is 20:00Z after it.
    const due = nextFinanceBatch(new Date('2025-03-09T17:00:00Z'), 'America/New_York');
    expect(due.toISOString()).toBe('2025-03-09T20:00:00.000Z');
    const next = nextFinanceBatch(new Date('2025-03-09T21:00:00Z'), 'America/New_York');
    expect(next.toISOString()).toBe('2025-03-10T16:00:00.000Z');
  });

  it('with a calendar, batches fall on working days: 春节 2026 is skipped, the 调休 Saturday counts', () => {
    const holidays = new Set(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    const working = (d: string) => !holidays.has(d);
    // Friday 13 Feb after 16:00 → Saturday 14 Feb (补班) 12:00
    expect(nextFinanceBatch(sh('2026-02-13T16:30:00'), 'Asia/Shanghai', undefined, working).toISOString()).toBe(sh('2026-02-14T12:00:00').toISOString());
    // Saturday 14 Feb after 16:00 → the first day after the holiday, 24 Feb 12:00
    expect(nextFinanceBatch(sh('2026-02-14T17:00:00'), 'Asia/Shanghai', undefined, working).toISOString()).toBe(sh('2026-02-24T12:00:00').toISOString());
    // Without the calendar the old rule (the next day) stands
    expect(nextFinanceBatch(sh('2026-02-14T17:00:00'), 'Asia/Shanghai').toISOString()).toBe(sh('2026-02-15T12:00:00').toISOString());
  });

  it('rejects bad input', () => {
    expect(() => nextFinanceBatch(new Date('x'), 'Asia/Shanghai')).toThrow('Invalid Date');
    expect(() => nextFinanceBatch(new Date(), 'Mars/Base')).toThrow('time zone');
    expect(() => nextFinanceBatch(new Date(), 'Asia/Shanghai', [])).toThrow();
  });

  it('property: always strictly later, within 24 h, and at 12:00 or 16:00 local', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), (d) => {
        const due = nextFinanceBatch(d, 'Asia/Shanghai');
        expect(due.getTime()).toBeGreaterThan(d.getTime());
        expect(due.getTime() - d.getTime()).toBeLessThanOrEqual(20 * 3600_000);
        const local = new Date(due.getTime() + 8 * 3600_000);
        expect([12, 16]).toContain(local.getUTCHours());
        expect(local.getUTCMinutes()).toBe(0);
      }),
    );
  });
});
