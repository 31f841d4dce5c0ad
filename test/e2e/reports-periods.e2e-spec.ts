import { parse } from 'csv-parse/sync';
import { type Caller, Role } from '../../src/kernel/auth/roles.js';
import { echoPeriod } from '../../src/kernel/time/report-period.js';
import { ReportScopeService } from '../../src/reports/report-scope.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { postGeneric, processDelivery } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Shop = { id: string; webhookSecret: string; name: string };

/**
 * SPEC §4 "Report periods": dates and offset-less times are the shop's local time (the merchant's
 * default zone for all shops), times with an offset are taken as given, `to` is exclusive, the
 * answer echoes the resolved instants and CSV files are named in the shop's dates. Refunds are
 * reported by the platforms' signed webhooks at chosen instants; internal refunds are dated now,
 * so they live in a shop of their own.
 */
describe('report periods in the shop\'s timezone (Shanghai, New York across DST)', () => {
  let t: TestApp;
  let finance: StaffLogin;
  let shanghai: Shop;
  let newYork: Shop;
  let seq = 0;

  const platformRefund = async (shop: Shop, refundId: string, refundedAt: string) => {
    const res = await postGeneric(t, shop.id, { id: `evt-${refundId}`, topic: 'refund.created', data: { refundId, orderId: `PO-${refundId}`, amount: '10.00', currency: 'CNY', refundedAt } }, { secret: shop.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    finance = await createStaff(t, Role.Finance);
    shanghai = await createShop(t, { platform: 'generic', name: 'Shanghai 旗舰店', timezone: 'Asia/Shanghai' });
    newYork = await createShop(t, { platform: 'generic', name: 'NYC Outlet', timezone: 'America/New_York' });
    for (const [id, at] of [
      ['SH-OCT-END', '2026-10-31T23:30:00+08:00'],
      ['SH-NOV-START', '2026-11-01T07:00:00+08:00'], // 2026-10-31T23:00Z: October in UTC, November in Shanghai
      ['SH-NOV-MID', '2026-11-15T12:00:00+08:00'],
      ['SH-DEC-START', '2026-12-01T07:00:00+08:00'], // 2026-11-30T23:00Z: December in Shanghai
    ]) await platformRefund(shanghai, id, at);
    for (const [id, at] of [
      ['NY-BEFORE', '2026-10-31T23:30:00-04:00'],
      ['NY-EARLY', '2026-11-01T00:30:00-04:00'],
      ['NY-LATE', '2026-11-01T23:30:00-05:00'], // the 25th hour of the day DST ends
      ['NY-NEXT', '2026-11-02T00:30:00-05:00'],
      ['NY-SPRING-IN', '2026-03-08T23:30:00-04:00'], // the 23-hour day DST starts
      ['NY-SPRING-OUT', '2026-03-09T00:30:00-04:00'],
    ]) await platformRefund(newYork, id, at);
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = (query: Record<string, string>) => t.http().get('/api/v1/reports/refund-reconciliation').query(query).set(bearer(finance.token));
  const ids = (rows: Array<{ platformRefundId: string }>) => rows.map((r) => r.platformRefundId);
  const csv = async (query: Record<string, string>) => {
    const res = await report({ ...query, format: 'csv' }).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const records = parse((res.body as Buffer).toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    return { res, refunds: records.filter((r) => r.record === 'refund').map((r) => r.platform_refund_id) };
  };

  it('a Shanghai shop\'s refund at 2026-11-01T07:00+08:00 is in November\'s report, not October\'s — JSON and CSV, instants echoed', async () => {
    const nov = await report({ from: '2026-11-01', to: '2026-12-01', shopId: shanghai.id });
    expect(nov.status).toBe(200);
    expect(ids(nov.body.rows)).toEqual(['SH-NOV-START', 'SH-NOV-MID']);
    expect(nov.body.period).toEqual({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00', timezone: 'Asia/Shanghai' });
    expect([nov.body.from, nov.body.to]).toEqual([nov.body.period.from, nov.body.period.to]);
    expect(ids((await report({ from: '2026-10-01', to: '2026-11-01', shopId: shanghai.id })).body.rows)).toEqual(['SH-OCT-END']);
    expect(ids((await report({ from: '2026-12-01', to: '2027-01-01', shopId: shanghai.id })).body.rows)).toEqual(['SH-DEC-START']);

    const { res, refunds } = await csv({ from: '2026-11-01', to: '2026-12-01', shopId: shanghai.id });
    expect(refunds).toEqual(['SH-NOV-START', 'SH-NOV-MID']);
    expect([res.headers['x-report-from'], res.headers['x-report-to'], res.headers['x-report-timezone']]).toEqual(['2026-11-01T00:00:00+08:00', '2026-12-01T00:00:00+08:00', 'Asia/Shanghai']);
    // The shop's dates, `to` exclusive: the last day is 30 November. The name in its script (RFC 8187), ASCII beside it.
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="refund-reconciliation_Shanghai_2026-11-01_2026-11-30.csv"; filename*=UTF-8''refund-reconciliation_Shanghai-${encodeURIComponent('旗舰店')}_2026-11-01_2026-11-30.csv`,
    );
  });

  it('New York across the end of DST: 1 November is 25 hours, echoed with both offsets; and 8 March is 23', async () => {
    const day = await report({ from: '2026-11-01', to: '2026-11-02', shopId: newYork.id });
    expect(ids(day.body.rows)).toEqual(['NY-EARLY', 'NY-LATE']);
    expect(day.body.period).toEqual({ from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00', timezone: 'America/New_York' });
    const { res, refunds } = await csv({ from: '2026-11-01', to: '2026-11-02', shopId: newYork.id });
    expect(refunds).toEqual(['NY-EARLY', 'NY-LATE']);
    expect(res.headers['x-report-to']).toBe('2026-11-02T00:00:00-05:00');
    expect(res.headers['content-disposition']).toBe('attachment; filename="refund-reconciliation_NYC-Outlet_2026-11-01_2026-11-01.csv"');

    const spring = await report({ from: '2026-03-08', to: '2026-03-09', shopId: newYork.id });
    expect(ids(spring.body.rows)).toEqual(['NY-SPRING-IN']);
    expect(spring.body.period).toEqual({ from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00', timezone: 'America/New_York' });
  });

  it('offset-less times are shop-local; times with an offset are taken as given (also an unencoded +)', async () => {
    const local = await report({ from: '2026-11-01T06:30', to: '2026-11-01T07:30', shopId: shanghai.id });
    expect(ids(local.body.rows)).toEqual(['SH-NOV-START']);
    expect(local.body.period).toMatchObject({ from: '2026-11-01T06:30:00+08:00', to: '2026-11-01T07:30:00+08:00' });
    const utc = await report({ from: '2026-11-01T06:30:00Z', to: '2026-11-01T07:30:00Z', shopId: shanghai.id });
    expect(ids(utc.body.rows)).toEqual([]);
    expect(utc.body.period).toMatchObject({ from: '2026-11-01T14:30:00+08:00', to: '2026-11-01T15:30:00+08:00' });
    // A query string written by hand: "+08:00" arrives as " 08:00".
    const raw = await t.http().get(`/api/v1/reports/refund-reconciliation?shopId=${shanghai.id}&from=2026-10-31T23:00:00+00:00&to=2026-11-01T07:30:00+08:00`).set(bearer(finance.token));
    expect(raw.status).toBe(200);
    expect(ids(raw.body.rows)).toEqual(['SH-NOV-START']);
  });

  it('all shops: read in the merchant\'s default timezone (DEFAULT_TIMEZONE, or the one its shops share)', async () => {
    const all = await report({ from: '2026-11-01', to: '2026-12-01' });
    expect(all.body.period.timezone).toBe('Asia/Shanghai');
    expect(ids(all.body.rows)).toEqual(expect.arrayContaining(['SH-NOV-START', 'SH-NOV-MID', 'NY-EARLY', 'NY-LATE', 'NY-NEXT']));
    expect(ids(all.body.rows)).not.toContain('SH-DEC-START');
    const { res } = await csv({ from: '2026-11-01', to: '2026-12-01' });
    expect(res.headers['content-disposition']).toBe('attachment; filename="refund-reconciliation_2026-11-01_2026-11-30.csv"');

    const other = await createOtherMerchant(t);
    await createShop(t, { platform: 'generic', timezone: 'America/New_York' }, other.adminToken);
    const theirs = await t.http().get('/api/v1/reports/refund-reconciliation').query({ from: '2026-11-01', to: '2026-12-01' }).set(bearer(other.adminToken));
    expect(theirs.body.period).toEqual({ from: '2026-11-01T00:00:00-04:00', to: '2026-12-01T00:00:00-05:00', timezone: 'America/New_York' });
  });

  it('reports by month (month=YYYY-MM, e.g. agent KPIs) take the same zone: the shop\'s, or the merchant\'s for all shops', async () => {
    const scopes = t.app.get(ReportScopeService);
    const caller: Caller = { type: 'staff', merchantId: t.merchantId, staffId: finance.id, role: Role.Finance };
    const ny = await scopes.resolveMonth(caller, { month: '2026-11', shopId: newYork.id });
    expect(echoPeriod(ny)).toEqual({ from: '2026-11-01T00:00:00-04:00', to: '2026-12-01T00:00:00-05:00', timezone: 'America/New_York' });
    expect(ny).toMatchObject({ shopId: newYork.id, firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(echoPeriod(await scopes.resolveMonth(caller, { month: '2026-11' }))).toMatchObject({ from: '2026-11-01T00:00:00+08:00', timezone: 'Asia/Shanghai' });
    await expect(scopes.resolveMonth(caller, { month: '2026-13' })).rejects.toThrow('Validation failed');
  });

  it('validation: one "is required" per missing bound, what a bound may be, an empty period refused — nothing else answered', async () => {
    const missing = await report({ to: '2026-12-01' });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'from', errors: ['from is required'] }]);
    const none = await report({});
    expect(none.body.details).toEqual([
      { field: 'from', errors: ['from is required'] },
      { field: 'to', errors: ['to is required'] },
    ]);
    const bad = await report({ from: '2026-02-30', to: '2026-12-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'from', errors: ['from must be a date (2026-11-01), a local date-time (2026-11-01T08:00) or a date-time with an offset (2026-11-01T08:00:00+08:00)'] }]);
    const reversed = await report({ from: '2026-12-01', to: '2026-11-01', shopId: shanghai.id });
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({
      error: 'Bad Request',
      message: 'The period is empty: to (2026-11-01T00:00:00+08:00) must be after from (2026-12-01T00:00:00+08:00), read in Asia/Shanghai',
      details: [{ field: 'to', errors: ['to must be after from'] }],
    });
    // The same instant twice, one written in UTC: empty too.
    expect((await report({ from: '2026-11-01', to: '2026-10-31T16:00:00Z', shopId: shanghai.id })).status).toBe(400);
    expect((await report({ from: '2026-11-01', to: '2026-12-01', format: 'csv', shopId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('refund rate counts paid and refunded orders by the shop\'s days too, and echoes its period', async () => {
    const shop = await createShop(t, { platform: 'generic', name: 'Rate shop', timezone: 'Asia/Shanghai' });
    const supervisor = await createStaff(t, Role.Supervisor);
    const paidAt = async (at: string) => {
      const o = await insertPaidOrder(t, shop.id, { total: 10_000, platformOrderId: `RATE-${seq++}` });
      await t.db.query('UPDATE orders SET paid_at = $2 WHERE id = $1', [o.id, at]);
      return o;
    };
    const refundedAt = async (orderId: string, at: string) => {
      const r = await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId, amount: 1_000, reason: '补偿', manual: true });
      await t.http().post(`/api/v1/refunds/${r.body.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'BANK-1' }).expect(200);
      await t.db.query('UPDATE refunds SET succeeded_at = $2 WHERE id = $1', [r.body.id, at]);
    };
    const november = await paidAt('2026-11-01T07:00:00+08:00'); // October in UTC
    await paidAt('2026-10-31T23:00:00+08:00');
    const december = await paidAt('2026-12-01T07:00:00+08:00'); // November in UTC
    await refundedAt(november.id, '2026-11-30T23:30:00+08:00');
    await refundedAt(december.id, '2026-12-01T01:00:00+08:00');

    const res = await t.http().get('/api/v1/reports/refund-rate').query({ from: '2026-11-01', to: '2026-12-01', shopId: shop.id }).set(bearer(finance.token));
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00', timezone: 'Asia/Shanghai' });
    expect(res.body.shops).toEqual([{ shopId: shop.id, shopName: 'Rate shop', paidOrders: 1, refundedOrders: 1, rate: 1 }]);
    const missing = await t.http().get('/api/v1/reports/refund-rate').query({ to: '2026-12-01' }).set(bearer(finance.token));
    expect(missing.body.details).toEqual([{ field: 'from', errors: ['from is required'] }]);
  });
});
