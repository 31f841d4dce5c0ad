import { describe, expect, it } from '@jest/globals';
import { CalendarDayKind } from './calendar-rules.js';
import { ICalendarError, parseICalendarDays } from './ical-import.js';

const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//calendar//CN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const kinds = (text: string) => Object.fromEntries(parseICalendarDays(text).days.map((d) => [d.date, d.kind]));

describe('parseICalendarDays', () => {
  it('turns an all-day range into holidays (DTEND exclusive) and marked events into working days', () => {
    const text = ics(
      vevent(['UID:spring', 'DTSTART;VALUE=DATE:20260215', 'DTEND;VALUE=DATE:20260224', 'SUMMARY:春节(休)', 'CATEGORIES:节假日']),
      vevent(['UID:w1', 'DTSTART;VALUE=DATE:20260214', 'DTEND;VALUE=DATE:20260215', 'SUMMARY:春节(班)', 'CATEGORIES:节假日']),
      vevent(['UID:w2', 'DTSTART;VALUE=DATE:20260228', 'SUMMARY:春节 补班']),
    );
    const out = parseICalendarDays(text);
    expect(out.events).toBe(3);
    expect(out.skipped).toEqual([]);
    expect(out.days.filter((d) => d.kind === CalendarDayKind.Holiday).map((d) => d.date)).toEqual([
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
    ]);
    expect(out.days.filter((d) => d.kind === CalendarDayKind.Workday).map((d) => [d.date, d.name])).toEqual([
      ['2026-02-14', '春节(班)'],
      ['2026-02-28', '春节 补班'],
    ]);
  });

  it.each([
    ['X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY', 'SUMMARY:国庆节', CalendarDayKind.Workday],
    ['X-APPLE-SPECIAL-DAY:WORK-HOLIDAY', 'SUMMARY:上班?', CalendarDayKind.Holiday],
    ['CATEGORIES:Holiday,workday', 'SUMMARY:Company day', CalendarDayKind.Workday],
    ['CATEGORIES:调休', 'SUMMARY:国庆', CalendarDayKind.Workday],
    ['CATEGORIES:Holiday', 'SUMMARY:Make-up working day', CalendarDayKind.Workday],
    ['CATEGORIES:Holiday', 'SUMMARY:调休上班', CalendarDayKind.Workday],
    ['CATEGORIES:Holiday', 'SUMMARY:国庆节放假调休', CalendarDayKind.Holiday],
    ['CATEGORIES:Holiday', 'SUMMARY:Christmas Day', CalendarDayKind.Holiday],
  ])('%s + %s → %s', (marker, summary, kind) => {
    expect(kinds(ics(vevent(['UID:x', 'DTSTART;VALUE=DATE:20261003', marker, summary])))).toEqual({ '2026-10-03': kind });
  });

  it('a workday wins over a holiday on the same date, whatever the order', () => {
    const holiday = vevent(['UID:h', 'DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20260105', 'SUMMARY:元旦']);
    const work = vevent(['UID:w', 'DTSTART;VALUE=DATE:20260104', 'SUMMARY:元旦 补班']);
    expect(kinds(ics(holiday, work))['2026-01-04']).toBe(CalendarDayKind.Workday);
    expect(kinds(ics(work, holiday))['2026-01-04']).toBe(CalendarDayKind.Workday);
  });

  it('takes the wall-clock dates of timed events; an end at midnight does not cover the next day', () => {
    const out = kinds(
      ics(
        vevent(['UID:a', 'DTSTART;TZID=Asia/Shanghai:20260501T090000', 'DTEND;TZID=Asia/Shanghai:20260502T120000', 'SUMMARY:Off']),
        vevent(['UID:b', 'DTSTART:20260601T220000', 'DTEND:20260602T000000', 'SUMMARY:Off']),
      ),
    );
    expect(out).toEqual({ '2026-05-01': 'holiday', '2026-05-02': 'holiday', '2026-06-01': 'holiday' });
  });

  it('expands a recurring event over five years from its first occurrence', () => {
    const out = kinds(ics(vevent(['UID:r', 'DTSTART;VALUE=DATE:20261225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas'])));
    expect(Object.keys(out)).toEqual(['2026-12-25', '2027-12-25', '2028-12-25', '2029-12-25', '2030-12-25']);
  });

  it('skips cancelled and unreadable events and says why', () => {
    const out = parseICalendarDays(
      ics(
        vevent(['UID:c', 'DTSTART;VALUE=DATE:20260101', 'STATUS:CANCELLED', 'SUMMARY:Gone']),
        vevent(['UID:n', 'SUMMARY:No start']),
        vevent(['UID:g', 'DTSTART:garbage', 'SUMMARY:Bad date']),
        vevent(['UID:ok', 'DTSTART;VALUE=DATE:20260102', 'SUMMARY:Fine']),
      ),
    );
    expect(out.days.map((d) => d.date)).toEqual(['2026-01-02']);
    expect(out.skipped.map((s) => [s.uid, s.reason.length > 0])).toEqual([
      ['c', true],
      ['n', true],
      ['g', true],
    ]);
    expect(out.skipped[0].reason).toBe('cancelled');
  });

  it.each([
    ['an empty body', '', 'malformed'],
    ['plain text', 'hello world', 'malformed'],
    ['a lone VEVENT', vevent(['UID:a', 'DTSTART;VALUE=DATE:20260101']), 'malformed'],
    ['a calendar without events', ics(), 'empty'],
  ])('refuses %s', (_name, text, kind) => {
    expect(() => parseICalendarDays(text)).toThrow(ICalendarError);
    try {
      parseICalendarDays(text);
    } catch (err) {
      expect((err as ICalendarError).kind).toBe(kind);
    }
  });

  it('refuses a file that sets too many dates', () => {
    const daily = (year: number) => vevent([`UID:d${year}`, `DTSTART;VALUE=DATE:${year}0101`, 'RRULE:FREQ=DAILY', 'SUMMARY:Every day']);
    expect(() => parseICalendarDays(ics(daily(2026), daily(2031), daily(2036)))).toThrow(/sets more than 3660 dates/);
    const hourly = vevent(['UID:h', 'DTSTART:20260101T000000', 'RRULE:FREQ=HOURLY', 'SUMMARY:Every hour']);
    expect(() => parseICalendarDays(ics(hourly))).toThrow(/more than 3660 occurrences/);
  });
});
