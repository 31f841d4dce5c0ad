import { randomBytes } from 'node:crypto';
import { systemCaller } from '../../src/kernel/auth/roles.js';
import { JobsService } from '../../src/kernel/jobs/jobs.service.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { POLL_CARRIER_JOB, type PollReport, CarrierPollingService } from '../../src/logistics/carrier-polling.service.js';
import { provinceKey } from '../../src/orders/provinces.js';
import { orderMachine } from '../../src/orders/order.machine.js';
import { OrderStatus } from '../../src/orders/order-status.js';
import { beijingTime, FakeCarrier, genericSignature, kuaidi100Param, kuaidi100Sign } from '../support/carriers.js';
import { bearer, createShop } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const OK = '{"result": true, "returnCode": "200", "message": "ok"}';
const trackingNo = () => `YT${Date.now().toString().slice(-8)}${randomBytes(3).toString('hex').toUpperCase()}`;
const HOUR = 3600_000;

describe('logistics tracking: shipments, carrier pushes, polling', () => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof createShop>>;
  const okCarrier = new FakeCarrier('ok');
  const hangCarrier = new FakeCarrier('hang');
  const failCarrier = new FakeCarrier('error500');
  const TIMEOUT_MS = 800;

  beforeAll(async () => {
    await Promise.all([okCarrier.start(), hangCarrier.start(), failCarrier.start()]);
    t = await startTestApp({
      env: {
        CARRIER_API_URLS: JSON.stringify({ okexpress: okCarrier.url, hangexpress: hangCarrier.url, failexpress: failCarrier.url }),
        HTTP_TIMEOUT_MS: String(TIMEOUT_MS),
        CARRIER_POLL_RETRIES: '1',
        CARRIER_POLL_BACKOFF_MS: '20',
        // Scheduled polls would race the explicit runs below.
        CARRIER_POLL_CRON: '0 0 1 1 *',
        LOGISTICS_SCAN_CRON: '0 0 1 1 *',
      },
    });
    shop = await createShop(t);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([okCarrier.stop(), hangCarrier.stop(), failCarrier.stop()]);
  });

  const register = async (o: { carrier?: string; trackingNo?: string; origin?: string; dest?: string; orderId?: string } = {}) => {
    const res = await t
      .http()
      .post('/api/v1/shipments')
      .set(bearer(t.adminToken))
      .send({ shopId: shop.id, carrier: o.carrier ?? 'yunda', trackingNo: o.trackingNo ?? trackingNo(), originProvince: o.origin ?? '浙江', destProvince: o.dest ?? '广东省', ...(o.orderId ? { orderId: o.orderId } : {}) });
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNo: string; carrier: string; status: string };
  };

  const pushKuaidi100 = (o: { trackingNo: string; state: string; events: Array<{ context: string; at: Date }>; status?: string; message?: string; carrier?: string; salt?: string; sign?: string }) => {
    const param = kuaidi100Param({
      carrier: o.carrier ?? 'yunda',
      trackingNo: o.trackingNo,
      state: o.state,
      status: o.status,
      message: o.message,
      events: o.events.map((e) => ({ context: e.context, time: beijingTime(e.at) })),
    });
    const sign = o.sign ?? kuaidi100Sign(param, o.salt ?? shop.trackingSalt);
    return t.http().post(`/webhooks/carriers/kuaidi100/${shop.id}`).type('form').send({ param, sign });
  };

  const shipment = async (id: string) => (await t.http().get(`/api/v1/shipments/${id}`).set(bearer(t.adminToken))).body;
  const openCases = (shipmentId: string) =>
    t.db.query(`SELECT id, kind, status, source FROM logistics_exceptions WHERE shipment_id = $1 ORDER BY created_at`, [shipmentId]) as Promise<Array<{ id: string; kind: string; status: string; source: string }>>;

  it('registers a shipment by hand and lists it; a duplicate tracking number answers 409', async () => {
    const s = await register({ trackingNo: 'YD100000001' });
    expect(s).toMatchObject({ carrier: 'yunda', trackingNo: 'YD100000001', status: 'pending_pickup', lastEventAt: null, events: [] });
    const again = await t.http().post('/api/v1/shipments').set(bearer(t.adminToken)).send({ shopId: shop.id, carrier: 'YUNDA', trackingNo: 'YD100000001', originProvince: '浙江', destProvince: '浙江' });
    expect(again.status).toBe(409);
    const list = await t.http().get('/api/v1/shipments').query({ trackingNo: 'YD100000001' }).set(bearer(t.adminToken));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const bad = await t.http().post('/api/v1/shipments').set(bearer(t.adminToken)).send({ shopId: shop.id, carrier: 'yunda', trackingNo: 'x', originProvince: '浙江', destProvince: '浙江', extra: 1 });
    expect(bad.status).toBe(400);
  });

  it('maps every Kuaidi100 state code (raw code kept) over a real form-encoded push', async () => {
    const expected: Record<string, string> = {
      '0': 'in_transit', '1': 'in_transit', '7': 'in_transit', '8': 'in_transit', '5': 'out_for_delivery', '3': 'delivered',
      '2': 'exception', '4': 'failed_attempt', '14': 'failed_attempt', '6': 'returning',
    };
    for (const [state, status] of Object.entries(expected)) {
      const s = await register();
      const res = await pushKuaidi100({ trackingNo: s.trackingNo, state, events: [{ context: `state ${state}`, at: new Date(Date.now() - HOUR) }] });
      expect(res.status).toBe(200);
      expect(res.text).toBe(OK);
      const after = await shipment(s.id);
      expect({ state, status: after.status, rawStatus: after.rawStatus }).toEqual({ state, status, rawStatus: state });
      expect(after.events).toHaveLength(1);
      if (state === '2') {
        // 疑难 opens a carrier_reported case
        expect(await openCases(s.id)).toEqual([expect.objectContaining({ kind: 'carrier_reported', status: 'open', source: 'carrier' })]);
      }
    }
  });

  it('ignores duplicate and out-of-order pushes: an older push never overwrites newer state', async () => {
    const s = await register();
    const t1 = new Date(Date.now() - 10 * HOUR);
    const t2 = new Date(Date.now() - 2 * HOUR);
    const older = [{ context: '已揽收', at: t1 }];
    const newer = [...older, { context: '已签收', at: t2 }];
    expect((await pushKuaidi100({ trackingNo: s.trackingNo, state: '3', events: newer })).text).toBe(OK);
    expect((await pushKuaidi100({ trackingNo: s.trackingNo, state: '0', events: older })).text).toBe(OK);
    expect((await pushKuaidi100({ trackingNo: s.trackingNo, state: '3', events: newer })).text).toBe(OK);
    const after = await shipment(s.id);
    expect(after.status).toBe('delivered');
    expect(after.rawStatus).toBe('3');
    expect(new Date(after.lastEventAt).getTime()).toBe(Math.floor(t2.getTime() / 1000) * 1000);
    expect(after.events.map((e: { description: string }) => e.description)).toEqual(['已签收', '已揽收']);
    // a NUL a carrier sends is dropped, never a database error
    expect((await pushKuaidi100({ trackingNo: s.trackingNo, state: '3', events: [{ context: '\u0000签收\u0000', at: t2 }] })).text).toBe(OK);
    const pushes = await t.db.query(`SELECT count(*)::int AS n FROM carrier_pushes WHERE shipment_id = $1`, [s.id]);
    expect(pushes[0].n).toBe(4);
  });

  it('answers a bad sign with 401 (not the ok reply) and stores nothing', async () => {
    const s = await register();
    const before = await t.db.query(`SELECT (SELECT count(*) FROM carrier_pushes)::int AS p, (SELECT count(*) FROM shipment_events)::int AS e`);
    const bad = await pushKuaidi100({ trackingNo: s.trackingNo, state: '3', events: [{ context: 'forged', at: new Date() }], salt: 'wrong-salt' });
    expect(bad.status).toBe(401);
    expect(bad.text).not.toBe(OK);
    const missing = await t.http().post(`/webhooks/carriers/kuaidi100/${shop.id}`).type('form').send({ param: '{}' });
    expect(missing.status).toBe(401);
    const otherShop = await t.http().post('/webhooks/carriers/kuaidi100/00000000-0000-4000-8000-000000000000').type('form').send({ param: '{}', sign: 'A'.repeat(32) });
    expect(otherShop.status).toBe(401);
    const after = await t.db.query(`SELECT (SELECT count(*) FROM carrier_pushes)::int AS p, (SELECT count(*) FROM shipment_events)::int AS e`);
    expect(after).toEqual(before);
    expect((await shipment(s.id)).status).toBe('pending_pickup');
  });

  it('an abort push (3天查询无记录) opens a stale case once', async () => {
    const s = await register();
    for (let i = 0; i < 2; i++) {
      const res = await pushKuaidi100({ trackingNo: s.trackingNo, state: '0', status: 'abort', message: '3天查询无记录', events: [] });
      expect(res.text).toBe(OK);
    }
    expect(await openCases(s.id)).toEqual([expect.objectContaining({ kind: 'stale', status: 'open', source: 'carrier' })]);
  });

  it('a delivered event moves the shipped order to delivered', async () => {
    await t.http().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ shipFromProvince: '浙江' });
    const engine = t.app.get(StateMachineEngine);
    const platform = systemCaller(t.merchantId, 'platform');
    const no = trackingNo();
    const now = new Date();
    const order = await engine.create(
      orderMachine,
      platform,
      {
        shop_id: shop.id, platform: 'generic', platform_order_id: `P-${no}`, order_number: `N-${no}`, payment_method: 'prepaid', currency: 'CNY',
        items_amount: 10000, total_amount: 10000, ship_province: '广东省', placed_at: now, paid_at: now, platform_updated_at: now,
      },
      { status: OrderStatus.Paid },
    );
    await engine.fire(orderMachine, order.row.id, 'platform-ship', platform, { input: { shipments: [{ carrier: 'yunda', trackingNo: no }] } });
    const [ship] = await t.db.query(`SELECT id, origin_province, dest_province, same_province FROM shipments WHERE tracking_no = $1`, [no]);
    expect(ship).toMatchObject({ origin_province: '浙江', dest_province: '广东省', same_province: false });

    const res = await pushKuaidi100({ trackingNo: no, state: '3', events: [{ context: '已签收, 签收人: 本人', at: new Date(Date.now() - 60_000) }] });
    expect(res.text).toBe(OK);
    const [o] = await t.db.query(`SELECT status, delivered_at FROM orders WHERE id = $1`, [order.row.id]);
    expect(o.status).toBe(OrderStatus.Delivered);
    // the same push again changes nothing and still answers ok
    expect((await pushKuaidi100({ trackingNo: no, state: '3', events: [{ context: '已签收, 签收人: 本人', at: new Date(Date.now() - 60_000) }] })).text).toBe(OK);
  });

  it('accepts the generic signed JSON push and rejects stale or forged signatures', async () => {
    const s = await register({ carrier: 'zto' });
    const body = (id: string, events: unknown[]) =>
      JSON.stringify({ id, topic: 'tracking.updated', occurredAt: new Date().toISOString(), data: { carrier: 'zto', trackingNo: s.trackingNo, events } });
    const raw = body('evt-1', [{ time: new Date(Date.now() - 3 * HOUR).toISOString(), description: '到达杭州转运中心', location: '杭州', status: 'in_transit', code: 'TRANSIT' }]);
    const ok = await t.http().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').set('x-signature', genericSignature(raw, shop.trackingSalt)).send(raw);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: true, matched: true, inserted: 1, status: 'in_transit' });

    const raw2 = body('evt-2', [{ time: new Date().toISOString(), description: 'forged' }]);
    const old = await t.http().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').set('x-signature', genericSignature(raw2, shop.trackingSalt, Math.floor(Date.now() / 1000) - 600)).send(raw2);
    expect(old.status).toBe(401);
    const forged = await t.http().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').set('x-signature', genericSignature(raw2, 'not-the-salt')).send(raw2);
    expect(forged.status).toBe(401);
    const none = await t.http().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').send(raw2);
    expect(none.status).toBe(401);
    const after = await shipment(s.id);
    expect(after.events).toHaveLength(1);
    expect(after.events[0]).toMatchObject({ description: '到达杭州转运中心', location: '杭州', status: 'in_transit', rawCode: 'TRANSIT', source: 'generic' });

    const bad = body('evt-3', [{ time: 'yesterday', description: '' }]);
    const invalid = await t.http().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').set('x-signature', genericSignature(bad, shop.trackingSalt)).send(bad);
    expect(invalid.status).toBe(400);
  });

  it('polls carriers in isolation: a hanging carrier costs only its own timeout, a 500 is retried then left for the next run', async () => {
    const ok1 = await register({ carrier: 'okexpress' });
    const ok2 = await register({ carrier: 'okexpress' });
    await register({ carrier: 'hangexpress' });
    await register({ carrier: 'hangexpress' });
    const failing = await register({ carrier: 'failexpress' });
    const at = new Date(Date.now() - 5 * HOUR).toISOString();
    okCarrier.tracks.set(ok1.trackingNo, { events: [{ time: at, description: '快件已揽收', status: 'in_transit', code: '1' }] });
    okCarrier.tracks.set(ok2.trackingNo, { events: [{ time: at, description: '已签收', status: 'delivered', code: '3' }] });

    const polling = t.app.get(CarrierPollingService);
    const reports: Record<string, PollReport & { doneAfter: number }> = {};
    const started = Date.now();
    await Promise.all(
      ['okexpress', 'hangexpress', 'failexpress'].map(async (carrier) => {
        const r = await polling.pollCarrier(carrier);
        reports[carrier] = { ...r, doneAfter: Date.now() - started };
      }),
    );
    // the healthy carrier is done long before the hanging one's timeout
    expect(reports.okexpress.doneAfter).toBeLessThan(TIMEOUT_MS);
    expect((await shipment(ok1.id)).status).toBe('in_transit');
    expect((await shipment(ok2.id)).status).toBe('delivered');

    // the hanging carrier: first parcel tried twice (1 retry), each cut at the timeout, then the breaker skips the second parcel
    expect(reports.hangexpress).toMatchObject({ aborted: true, polled: 1, failed: 1 });
    expect(reports.hangexpress.error).toMatch(/timeout/);
    expect(reports.hangexpress.doneAfter).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    expect(reports.hangexpress.doneAfter).toBeLessThan(2 * TIMEOUT_MS + 1500);
    expect(hangCarrier.requests).toHaveLength(2);

    // the failing carrier: retried with backoff, error kept on the parcel
    expect(reports.failexpress).toMatchObject({ aborted: true, failed: 1 });
    expect(failCarrier.requests).toHaveLength(2);
    const [f] = await t.db.query(`SELECT poll_error, last_polled_at FROM shipments WHERE id = $1`, [failing.id]);
    expect(f.poll_error).toMatch(/HTTP 500/);
    expect(f.last_polled_at).not.toBeNull();

    // the durable job runs the same poll: a new event at the carrier reaches the parcel
    okCarrier.tracks.set(ok1.trackingNo, { events: [...okCarrier.tracks.get(ok1.trackingNo)!.events, { time: new Date(Date.now() - HOUR).toISOString(), description: '派件中', status: 'out_for_delivery', code: '5' }] });
    await t.app.get(JobsService).runNow(POLL_CARRIER_JOB, { carrier: 'okexpress' });
    expect((await shipment(ok1.id)).status).toBe('out_for_delivery');
  });

  it('derives same_province with the same province names as the order audit (SQL twin of provinceKey)', async () => {
    const names = ['广东', '广东省', 'Guangdong', 'guangdong province', 'CN20', 'Guangdong / 广东', '  浙江省 ', 'Zhejiang', '内蒙古自治区', 'Inner Mongolia', 'Nei Mongol', '新疆维吾尔自治区', '上海市', 'Shanghai Municipality', 'Hong Kong SAR', '香港特别行政区', 'Atlantis', 'atlantis province', ''];
    const rows: Array<{ k: string | null }> = await t.db.query(`SELECT logistics_province_key(n) AS k FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i`, [names]);
    expect(rows.map((r) => r.k)).toEqual(names.map((n) => provinceKey(n)));
  });
});
