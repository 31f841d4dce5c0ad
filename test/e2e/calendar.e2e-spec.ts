import { DateTime } from 'luxon';
import { Role } from '../../src/kernel/auth/roles.js';
import { CalendarService } from '../../src/kernel/calendar/calendar.service.js';
import { CN_DEFAULT_YEARS, defaultDaysOf } from '../../src/kernel/calendar/cn-default-days.js';
import { bearer, createOtherMerchant, createStaff, type StaffLogin } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SH = 'Asia/Shanghai';
const local = (s: string) => DateTime.fromISO(s, { zone: SH }).toJSDate();
const ics = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//calendar//CN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');

describe('business calendar API (e2e)', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  beforeAll(async () => {
    t = await startTestApp();
    agent = await createStaff(t, Role.Agent);
    supervisor = await createStaff(t, Role.Supervisor);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A merchant of its own per test, so no test sees what another one changed. */
  const freshMerchant = () => createOtherMerchant(t);
  const daysOf = async (token: string, year: number) => {
    const res = await t.http().get(`/api/v1/calendar/days?year=${year}`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.days as Array<{ date: string; kind: string; name: string | null; hours: unknown; source: string }>;
  };

  describe('defaults', () => {
    it('a merchant starts with 09:00–18:00 every day, quiet 21:00–09:00 and the mainland-China days, seeded on first read', async () => {
      const m = await freshMerchant();
      expect((await t.db.query('SELECT count(*)::int AS n FROM business_calendars WHERE merchant_id = $1', [m.merchantId]))[0].n).toBe(0);
      const res = await t.http().get('/api/v1/settings/calendar').set(bearer(m.adminToken));
      expect(res.status).toBe(200);
      expect(res.body.quietHours).toEqual({ start: '21:00', end: '09:00' });
      expect(Object.keys(res.body.weeklyHours)).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
      for (const windows of Object.values(res.body.weeklyHours)) expect(windows).toEqual([{ start: '09:00', end: '18:00' }]);
      expect(res.body.defaultLists.map((l: { year: number; official: boolean }) => [l.year, l.official])).toEqual([
        [2026, true],
        [2027, false],
      ]);

      const days = await daysOf(m.adminToken, 2026);
      const expected = defaultDaysOf(CN_DEFAULT_YEARS.find((y) => y.year === 2026)!);
      expect(days.map((d) => [d.date, d.kind])).toEqual(expected.map((d) => [d.date, d.kind]));
      expect(days.every((d) => d.source === 'default')).toBe(true);
      expect(days.filter((d) => d.kind === 'workday').map((d) => d.date)).toContain('2026-02-14');
    });

    it('seeds without errors or duplicates when many first reads race', async () => {
      const m = await freshMerchant();
      const svc = t.app.get(CalendarService);
      await Promise.all(Array.from({ length: 6 }, () => svc.ensureSeeded(m.merchantId)));
      const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM calendar_days WHERE merchant_id = $1', [m.merchantId]);
      expect(n).toBe(CN_DEFAULT_YEARS.flatMap(defaultDaysOf).length);
    });

    it('a newer default list of a year replaces that year\'s default rows and keeps the merchant\'s own', async () => {
      const m = await freshMerchant();
      expect((await t.http().put('/api/v1/calendar/days/2026-10-02').set(bearer(m.adminToken)).send({ kind: 'workday' })).status).toBe(200);
      expect((await t.http().delete('/api/v1/calendar/days/2026-10-01').set(bearer(m.adminToken))).status).toBe(204);
      // As if this merchant had been seeded with an older 2026 list
      await t.db.query(`UPDATE business_calendars SET default_versions = default_versions - '2026' WHERE merchant_id = $1`, [m.merchantId]);
      t.app.get(CalendarService).invalidate(m.merchantId);
      const byDate = new Map((await daysOf(m.adminToken, 2026)).map((d) => [d.date, d]));
      expect(byDate.get('2026-10-01')).toMatchObject({ kind: 'holiday', source: 'default' });
      expect(byDate.get('2026-10-02')).toMatchObject({ kind: 'workday', source: 'merchant' });
    });
  });

  describe('settings', () => {
    it('admins and supervisors change hours; agents may read but not write', async () => {
      const denied = await t.http().patch('/api/v1/settings/calendar').set(bearer(agent.token)).send({ quietHours: { start: '22:00', end: '08:00' } });
      expect(denied.status).toBe(403);
      expect((await t.http().get('/api/v1/settings/calendar').set(bearer(agent.token))).status).toBe(200);

      const res = await t
        .http()
        .patch('/api/v1/settings/calendar')
        .set(bearer(supervisor.token))
        .send({ weeklyHours: { saturday: [], sunday: [], monday: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }] }, quietHours: { start: '22:00', end: '08:00' } });
      expect(res.status).toBe(200);
      expect(res.body.weeklyHours.saturday).toEqual([]);
      expect(res.body.weeklyHours.monday).toHaveLength(2);
      expect(res.body.weeklyHours.tuesday).toEqual([{ start: '09:00', end: '18:00' }]); // not given, kept
      expect(res.body.quietHours).toEqual({ start: '22:00', end: '08:00' });

      // The kernel service sees the change at once on this instance
      const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, SH);
      expect(cal.isBusinessTime(local('2026-03-14T10:00'))).toBe(false); // Saturday now closed
      expect(cal.isBusinessTime(local('2026-02-14T10:00'))).toBe(true); // 补班 Saturday still works
      expect(cal.isBusinessTime(local('2026-03-09T12:30'))).toBe(false); // Monday lunch break
      expect(cal.isQuietTime(local('2026-03-09T21:30'))).toBe(false);
    });

    it('refuses bad hours field by field and changes nothing', async () => {
      const m = await freshMerchant();
      const before = (await t.http().get('/api/v1/settings/calendar').set(bearer(m.adminToken))).body;
      const send = (body: unknown) => t.http().patch('/api/v1/settings/calendar').set(bearer(m.adminToken)).send(body as object);

      const overlap = await send({ weeklyHours: { monday: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] } });
      expect(overlap.status).toBe(400);
      expect(overlap.body.details).toEqual([{ field: 'weeklyHours.monday', errors: [expect.stringMatching(/overlap/)] }]);

      const format = await send({ weeklyHours: { tuesday: [{ start: '9:00', end: '25:00' }] } });
      expect(format.status).toBe(400);
      expect(format.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['weeklyHours.tuesday.0.end', 'weeklyHours.tuesday.0.start']);

      const unknown = await send({ weeklyHours: { funday: [] } });
      expect(unknown.status).toBe(400);

      const closed = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, []]));
      const allClosed = await send({ weeklyHours: closed });
      expect(allClosed.status).toBe(422);
      expect(allClosed.body.message).toMatch(/at least one weekday/);

      const after = (await t.http().get('/api/v1/settings/calendar').set(bearer(m.adminToken))).body;
      expect(after).toEqual(before);
    });
  });

  describe('dated entries', () => {
    it('sets, replaces and removes a date; a removed default day stays removed', async () => {
      const m = await freshMerchant();
      const put = (date: string, body: object, token = m.adminToken) => t.http().put(`/api/v1/calendar/days/${date}`).set(bearer(token)).send(body);

      const trip = await put('2026-03-16', { kind: 'holiday', name: 'Company trip' });
      expect(trip.status).toBe(200);
      expect(trip.body).toEqual({ date: '2026-03-16', kind: 'holiday', name: 'Company trip', hours: null, source: 'merchant' });

      const short = await put('2026-12-31', { kind: 'workday', name: 'Short day', hours: [{ start: '09:00', end: '12:00' }] });
      expect(short.status).toBe(200);
      expect(short.body.hours).toEqual([{ start: '09:00', end: '12:00' }]);

      // A default holiday the merchant works through becomes a working day
      const national = await put('2026-10-02', { kind: 'workday' });
      expect(national.body).toMatchObject({ kind: 'workday', name: null, source: 'merchant' });

      expect((await t.http().delete('/api/v1/calendar/days/2026-10-01').set(bearer(m.adminToken))).status).toBe(204);
      expect((await t.http().delete('/api/v1/calendar/days/2026-10-01').set(bearer(m.adminToken))).status).toBe(404);

      const days = await daysOf(m.adminToken, 2026);
      const byDate = new Map(days.map((d) => [d.date, d]));
      expect(byDate.get('2026-03-16')?.kind).toBe('holiday');
      expect(byDate.get('2026-10-02')?.kind).toBe('workday');
      expect(byDate.has('2026-10-01')).toBe(false);

      const cal = await t.app.get(CalendarService).forMerchant(m.merchantId, SH);
      expect(cal.isBusinessTime(local('2026-03-16T10:00'))).toBe(false);
      expect(cal.isBusinessTime(local('2026-10-01T10:00'))).toBe(true);
      expect(cal.isBusinessTime(local('2026-12-31T13:00'))).toBe(false);
    });

    it('refuses bad dates and bodies with 400, and agents with 403, changing nothing', async () => {
      const m = await freshMerchant();
      const before = await daysOf(m.adminToken, 2026);
      const put = (date: string, body: object) => t.http().put(`/api/v1/calendar/days/${date}`).set(bearer(m.adminToken)).send(body);
      for (const date of ['2026-02-30', '26-01-01', 'today', '2200-01-01']) {
        const res = await put(date, { kind: 'holiday' });
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ field: 'date', errors: [expect.any(String)] }]);
      }
      expect((await put('2026-03-17', { kind: 'holiday', hours: [{ start: '09:00', end: '12:00' }] })).status).toBe(400);
      expect((await put('2026-03-17', { kind: 'workday', hours: [{ start: '12:00', end: '09:00' }] })).status).toBe(400);
      expect((await put('2026-03-17', { kind: 'day-off' })).status).toBe(400);
      expect((await put('2026-03-17', { kind: 'holiday', colour: 'red' })).status).toBe(400);
      expect((await t.http().delete('/api/v1/calendar/days/not-a-date').set(bearer(m.adminToken))).status).toBe(400);
      const byAgent = await t.http().put('/api/v1/calendar/days/2026-03-17').set(bearer(agent.token)).send({ kind: 'holiday' });
      expect(byAgent.status).toBe(403);
      expect((await t.http().get('/api/v1/calendar/days?year=1900').set(bearer(m.adminToken))).status).toBe(400);
      const thisYear = await t.http().get('/api/v1/calendar/days').set(bearer(m.adminToken));
      expect(thisYear.body.year).toBe(DateTime.now().setZone(SH).year);
      expect(await daysOf(m.adminToken, 2026)).toEqual(before);
    });

    it('keeps merchants apart: another merchant neither sees nor removes my entries', async () => {
      const a = await freshMerchant();
      const b = await freshMerchant();
      expect((await t.http().put('/api/v1/calendar/days/2026-03-18').set(bearer(a.adminToken)).send({ kind: 'holiday', name: 'A only' })).status).toBe(200);
      expect((await daysOf(b.adminToken, 2026)).some((d) => d.date === '2026-03-18')).toBe(false);
      expect((await t.http().delete('/api/v1/calendar/days/2026-03-18').set(bearer(b.adminToken))).status).toBe(404);
      expect((await daysOf(a.adminToken, 2026)).find((d) => d.date === '2026-03-18')?.name).toBe('A only');
      const calB = await t.app.get(CalendarService).forMerchant(b.merchantId, SH);
      expect(calB.isBusinessTime(local('2026-03-18T10:00'))).toBe(true);
    });
  });

  describe('iCalendar import', () => {
    const file = ics(
      ['UID:spring-2027', 'DTSTART;VALUE=DATE:20270205', 'DTEND;VALUE=DATE:20270212', 'SUMMARY:春节(休)'],
      ['UID:work-2027', 'DTSTART;VALUE=DATE:20270213', 'SUMMARY:春节(班)'],
      ['UID:apple', 'DTSTART;VALUE=DATE:20270131', 'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY', 'SUMMARY:春节'],
      ['UID:gone', 'DTSTART;VALUE=DATE:20270301', 'STATUS:CANCELLED', 'SUMMARY:Cancelled'],
    );
    const post = (token: string, body: string, type = 'text/calendar; charset=utf-8') =>
      t.http().post('/api/v1/calendar/import').set(bearer(token)).set('content-type', type).send(body);

    it('imports holidays and make-up working days from a .ics body', async () => {
      const m = await freshMerchant();
      const res = await post(m.adminToken, file);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ events: 4, imported: 9, holidays: 7, workdays: 2 });
      expect(res.body.skipped).toEqual([{ uid: 'gone', summary: 'Cancelled', reason: 'cancelled' }]);

      const days = await daysOf(m.adminToken, 2027);
      const byDate = new Map(days.map((d) => [d.date, d]));
      for (const date of ['2027-02-05', '2027-02-08', '2027-02-11']) expect(byDate.get(date)).toMatchObject({ kind: 'holiday', source: 'import' });
      expect(byDate.get('2027-02-13')).toMatchObject({ kind: 'workday', name: '春节(班)', source: 'import' });
      expect(byDate.get('2027-01-31')).toMatchObject({ kind: 'workday', source: 'import' });
      expect(byDate.has('2027-03-01')).toBe(false);
      // Default rows on other dates stay
      expect(byDate.get('2027-10-01')).toMatchObject({ kind: 'holiday', source: 'default' });

      // Deadlines use it: Thu 2027-02-04 17:00 + 2 business hours → 1 h Thu, 02-05..11 closed → Fri 02-12 10:00
      const cal = await t.app.get(CalendarService).forMerchant(m.merchantId, SH);
      expect(DateTime.fromJSDate(cal.addBusinessHours(local('2027-02-04T17:00'), 2)).setZone(SH).toFormat('yyyy-MM-dd HH:mm')).toBe('2027-02-12 10:00');
    });

    it('is described in the OpenAPI document as a text/calendar body', async () => {
      const doc = (await t.http().get('/docs-json')).body;
      expect(Object.keys(doc.paths['/api/v1/calendar/import'].post.requestBody.content)).toEqual(['text/calendar']);
      expect(doc.paths['/api/v1/calendar/days/{date}']).toHaveProperty('put');
      expect(doc.paths['/api/v1/settings/calendar']).toHaveProperty('patch');
    });

    it('answers 415 to JSON on the import route and to text/calendar anywhere else', async () => {
      const json = await t.http().post('/api/v1/calendar/import').set(bearer(t.adminToken)).send({ ics: file });
      expect(json.status).toBe(415);
      expect(json.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported content type; send text/calendar' });
      const plain = await post(t.adminToken, file, 'text/plain');
      expect(plain.status).toBe(415);
      const elsewhere = await t.http().patch('/api/v1/settings/calendar').set(bearer(t.adminToken)).set('content-type', 'text/calendar').send(file);
      expect(elsewhere.status).toBe(415);
      expect(elsewhere.body.message).toMatch(/application\/json/);
    });

    it('refuses a malformed file (400), a file without events (422) and agents (403), storing nothing', async () => {
      const m = await freshMerchant();
      const before = await daysOf(m.adminToken, 2027);
      const garbage = await post(m.adminToken, 'this is not a calendar');
      expect(garbage.status).toBe(400);
      expect(garbage.body.message).toMatch(/iCalendar/);
      expect((await post(m.adminToken, '')).status).toBe(400);
      const empty = await post(m.adminToken, ics());
      expect(empty.status).toBe(422);
      const unreadable = await post(m.adminToken, ics(['UID:x', 'SUMMARY:No start']));
      expect(unreadable.status).toBe(422);
      expect(unreadable.body.details).toEqual([{ uid: 'x', summary: 'No start', reason: expect.any(String) }]);
      const byAgent = await t.http().post('/api/v1/calendar/import').set(bearer(agent.token)).set('content-type', 'text/calendar').send(file);
      expect(byAgent.status).toBe(403);
      expect(await daysOf(m.adminToken, 2027)).toEqual(before);
    });

    it('honours Idempotency-Key: the same file replays, another file with the same key is refused', async () => {
      const m = await freshMerchant();
      const first = await post(m.adminToken, file).set('Idempotency-Key', 'import-1');
      expect(first.status).toBe(200);
      const again = await post(m.adminToken, file).set('Idempotency-Key', 'import-1');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await post(m.adminToken, ics(['UID:y', 'DTSTART;VALUE=DATE:20270401', 'SUMMARY:Other'])).set('Idempotency-Key', 'import-1');
      expect(other.status).toBe(422);
    });
  });
});
