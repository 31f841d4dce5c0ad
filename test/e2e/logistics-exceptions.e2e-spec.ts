import { randomBytes } from 'node:crypto';
import { Role, systemCaller } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { TrackingSource } from '../../src/logistics/shipment-event.entity.js';
import { TrackingService } from '../../src/logistics/tracking.service.js';
import { TrackingStatus } from '../../src/logistics/tracking-status.js';
import { orderMachine } from '../../src/orders/order.machine.js';
import { OrderStatus } from '../../src/orders/order-status.js';
import { beijingTime, kuaidi100Param, kuaidi100Sign } from '../support/carriers.js';
import { bearer, createOtherMerchant, createShop, createStaff, newShipment } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3600_000;
const no = () => `LX${Date.now().toString().slice(-8)}${randomBytes(3).toString('hex').toUpperCase()}`;

describe('logistics exceptions: stale scan and the exception procedure', () => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof createShop>>;
  let tracking: TrackingService;
  let sweeper: DueSweeper;

  beforeAll(async () => {
    // The scheduled scan would race the explicit ones below.
    t = await startTestApp({ env: { LOGISTICS_SCAN_CRON: '0 0 1 1 *' } });
    shop = await createShop(t);
    tracking = t.app.get(TrackingService);
    sweeper = t.app.get(DueSweeper);
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = () => t.http();
  const auth = () => bearer(t.adminToken);

  /** A registered parcel whose newest tracking event is `silentHours` old. */
  const parcel = async (o: { origin: string; dest: string; silentHours?: number; status?: TrackingStatus; shopId?: string }) => {
    const trackingNo = no();
    const shipment = await newShipment(t, { shopId: o.shopId ?? shop.id, carrier: 'yunda', trackingNo, originProvince: o.origin, destProvince: o.dest });
    if (o.silentHours !== undefined) {
      await tracking.apply({
        merchantId: t.merchantId,
        carrier: 'yunda',
        trackingNo,
        source: TrackingSource.Generic,
        events: [{ at: new Date(Date.now() - o.silentHours * HOUR), description: `last seen ${o.silentHours} h ago`, location: null, status: o.status ?? TrackingStatus.InTransit, rawCode: null }],
      });
    }
    return { id: shipment.id, trackingNo };
  };

  const scan = async (asOf?: Date) => {
    const res = await api().post('/api/v1/logistics/scan').set(auth()).send(asOf ? { asOf: asOf.toISOString() } : {});
    expect(res.status).toBe(200);
    return res.body as { asOf: string; count: number; opened: Array<{ id: string; shipmentId: string; kind: string; status: string; source: string; silentSince: string; dueAt: string }> };
  };

  const casesOf = (shipmentId: string) =>
    t.db.query(`SELECT id, status, outcome, kind FROM logistics_exceptions WHERE shipment_id = $1 ORDER BY created_at`, [shipmentId]) as Promise<Array<{ id: string; status: string; outcome: string | null; kind: string }>>;

  const detail = async (id: string) => {
    const res = await api().get(`/api/v1/logistics-exceptions/${id}`).set(auth());
    expect(res.status).toBe(200);
    return res.body;
  };

  const act = (id: string, action: string, body: Record<string, unknown>, token = t.adminToken) => api().post(`/api/v1/logistics-exceptions/${id}/${action}`).set(bearer(token)).send(body);

  const report = async (shipmentId: string, kind: string, extra: Record<string, unknown> = {}) => {
    const res = await api().post('/api/v1/logistics-exceptions').set(auth()).send({ shipmentId, kind, ...extra });
    expect(res.status).toBe(201);
    return res.body;
  };

  /** An order the platform reported shipped with `trackingNo`, which creates its shipment. */
  const shippedOrder = async (trackingNo: string) => {
    const engine = t.app.get(StateMachineEngine);
    const platform = systemCaller(t.merchantId, 'platform');
    const now = new Date();
    const o = await engine.create(
      orderMachine,
      platform,
      {
        shop_id: shop.id, platform: 'generic', platform_order_id: `P-${trackingNo}`, order_number: `N-${trackingNo}`, payment_method: 'prepaid', currency: 'CNY',
        items_amount: 19900, total_amount: 19900, ship_province: '四川省', ship_city: '成都', ship_address: '锦江区 1 号', customer_name: '张三', placed_at: now, paid_at: now, platform_updated_at: now,
      },
      { status: OrderStatus.Paid },
    );
    await t.db.query(`INSERT INTO order_lines (merchant_id, order_id, line_no, sku, title, quantity, unit_price, amount) VALUES ($1, $2, 1, 'SKU-1', '保温杯', 1, 19900, 19900)`, [t.merchantId, o.row.id]);
    await engine.fire(orderMachine, o.row.id, 'platform-ship', platform, { input: { shipments: [{ carrier: 'yunda', trackingNo }] } });
    const [s] = await t.db.query(`SELECT id FROM shipments WHERE tracking_no = $1`, [trackingNo]);
    return { orderId: o.row.id as string, shipmentId: s.id as string };
  };

  it('applies SPEC §6: in-province silent 25 h is stale, cross-province 49 h is not, 73 h is', async () => {
    const in25 = await parcel({ origin: '浙江', dest: '浙江省', silentHours: 25 });
    const in23 = await parcel({ origin: '浙江', dest: 'Zhejiang', silentHours: 23 });
    const cross49 = await parcel({ origin: '浙江', dest: '广东省', silentHours: 49 });
    const cross73 = await parcel({ origin: '浙江', dest: '广东省', silentHours: 73 });
    const delivered = await parcel({ origin: '浙江', dest: '浙江', silentHours: 100, status: TrackingStatus.Delivered });

    const r = await scan();
    const mine = r.opened.filter((c) => [in25, in23, cross49, cross73, delivered].some((p) => p.id === c.shipmentId));
    expect(mine.map((c) => c.shipmentId).sort()).toEqual([in25.id, cross73.id].sort());
    for (const c of mine) expect(c).toMatchObject({ kind: 'stale', status: 'open', source: 'scan' });

    const d = await detail(mine[0].id);
    expect(d.timeline).toEqual([expect.objectContaining({ action: 'create', from: null, to: 'open', actor: { type: 'system', id: null } })]);
    expect(d.dueAt).not.toBeNull();
    expect(d.allowedActions).toEqual(expect.arrayContaining(['urge', 'resolve', 'escalate', 'dismiss']));
    expect(d.shipment.id).toBe(mine[0].shipmentId);
  });

  it('a registered parcel with no event at all counts from its registration', async () => {
    const quiet = await parcel({ origin: '四川', dest: '四川' });
    expect((await scan(new Date(Date.now() + 23 * HOUR))).opened.some((c) => c.shipmentId === quiet.id)).toBe(false);
    const later = await scan(new Date(Date.now() + 25 * HOUR));
    expect(later.opened.filter((c) => c.shipmentId === quiet.id)).toHaveLength(1);
  });

  it('opens each case once even when two scans run at the same time, and not again on the next scan', async () => {
    const ps = await Promise.all([1, 2, 3, 4].map(() => parcel({ origin: '江苏', dest: '江苏', silentHours: 30 })));
    const ids = new Set(ps.map((p) => p.id));
    const asOf = new Date();
    const [a, b] = await Promise.all([scan(asOf), scan(asOf)]);
    const openedMine = [...a.opened, ...b.opened].filter((c) => ids.has(c.shipmentId));
    expect(openedMine).toHaveLength(4);
    for (const p of ps) expect(await casesOf(p.id)).toHaveLength(1);
    const again = await scan();
    expect(again.opened.filter((c) => ids.has(c.shipmentId))).toHaveLength(0);
    const creates = await t.db.query(
      `SELECT count(*)::int AS n FROM timeline_events WHERE subject_type = 'logistics_exception' AND action = 'create' AND subject_id IN (SELECT id FROM logistics_exceptions WHERE shipment_id = ANY($1::uuid[]))`,
      [[...ids]],
    );
    expect(creates[0].n).toBe(4);
  });

  it('uses the merchant\'s own thresholds', async () => {
    const p = await parcel({ origin: '福建', dest: '福建', silentHours: 13 });
    expect((await scan()).opened.some((c) => c.shipmentId === p.id)).toBe(false);
    const set = await api().patch('/api/v1/logistics/settings').set(auth()).send({ staleSameProvinceHours: 12 });
    expect(set.body).toEqual({ staleSameProvinceHours: 12, staleCrossProvinceHours: 72 });
    try {
      expect((await scan()).opened.filter((c) => c.shipmentId === p.id)).toHaveLength(1);
    } finally {
      await api().patch('/api/v1/logistics/settings').set(auth()).send({ staleSameProvinceHours: 24 });
    }
    const agent = await createStaff(t, Role.Agent);
    expect((await api().patch('/api/v1/logistics/settings').set(bearer(agent.token)).send({ staleSameProvinceHours: 1 })).status).toBe(403);
  });

  it('a new tracking event resolves the stale case; a dismissed silence is not reported twice', async () => {
    const moving = await parcel({ origin: '湖北', dest: '湖北', silentHours: 26 });
    const dismissed = await parcel({ origin: '湖北', dest: '湖北', silentHours: 26 });
    await scan();
    const [c] = await casesOf(moving.id);
    expect(c.status).toBe('open');

    const param = kuaidi100Param({ carrier: 'yunda', trackingNo: moving.trackingNo, state: '0', events: [{ context: '到达武汉转运中心', time: beijingTime(new Date(Date.now() - 60_000)) }] });
    const push = await api().post(`/webhooks/carriers/kuaidi100/${shop.id}`).type('form').send({ param, sign: kuaidi100Sign(param, shop.trackingSalt) });
    expect(push.text).toBe('{"result": true, "returnCode": "200", "message": "ok"}');
    const after = await detail(c.id);
    expect(after).toMatchObject({ status: 'closed', outcome: 'resolved', dueAt: null });
    expect(after.timeline.at(-1)).toMatchObject({ action: 'resolve', from: 'open', to: 'closed', actor: { type: 'carrier' }, data: expect.objectContaining({ auto: true }) });

    const [d] = await casesOf(dismissed.id);
    expect((await act(d.id, 'dismiss', { reason: '客户已收到, 快递未更新' })).body).toMatchObject({ status: 'closed', outcome: 'false_alarm' });
    const again = await scan();
    expect(again.opened.some((x) => x.shipmentId === dismissed.id || x.shipmentId === moving.id)).toBe(false);
  });

  it('urge records the outlet call and message and sets the 24 h escalation; the due sweeper escalates once, only if still urged', async () => {
    const p = await parcel({ origin: '河南', dest: '河北', silentHours: 80 });
    const other = await parcel({ origin: '河南', dest: '河北', silentHours: 80 });
    await scan();
    const [c] = await casesOf(p.id);
    const [c2] = await casesOf(other.id);

    const before = Date.now();
    const urged = await act(c.id, 'urge', { outletCall: '致电韵达郑州网点, 答复明日派送', backOfficeMessage: '韵达后台留言: 请尽快派送', customerReply: '已告知客户', expectedVersion: 1 });
    expect(urged.status).toBe(200);
    expect(urged.body).toMatchObject({ status: 'urged', version: 2 });
    expect(urged.body.timeline.at(-1).data.input).toMatchObject({ outletCall: '致电韵达郑州网点, 答复明日派送', backOfficeMessage: '韵达后台留言: 请尽快派送' });
    const due = new Date(urged.body.dueAt).getTime();
    expect(due - before).toBeGreaterThanOrEqual(24 * HOUR - 1000);
    expect(due - before).toBeLessThan(24 * HOUR + 10_000);

    // the timer is the case index row's next sweep, with the machine's onDue rule
    const indexRow = async (id: string) => (await t.db.query(`SELECT next_sweep_at, on_due FROM case_index WHERE machine = 'logistics_exception' AND case_id = $1`, [id]))[0];
    const ix = await indexRow(c.id);
    expect(new Date(ix.next_sweep_at).getTime()).toBe(due);
    expect(ix.on_due).toMatchObject({ action: 'escalate' });
    const fired = (results: Array<{ id: string; outcome: string }>) => results.filter((r) => r.id === c.id && r.outcome === 'fired').length;
    expect(fired(await sweeper.sweep(new Date(due - 60_000)))).toBe(0);
    expect((await detail(c.id)).status).toBe('urged');

    // time passes: two instances sweep at once, and a redelivered sweep runs again
    const at = new Date(due + 1000);
    const [r1, r2] = await Promise.all([sweeper.sweep(at), sweeper.sweep(at)]);
    const r3 = await sweeper.sweep(at);
    expect(fired([...r1, ...r2, ...r3])).toBe(1);
    const esc = await detail(c.id);
    expect(esc).toMatchObject({ status: 'reship_required', version: 3 });
    expect(esc.timeline.filter((e: { action: string }) => e.action === 'escalate')).toHaveLength(1);
    expect(esc.timeline.at(-1)).toMatchObject({ action: 'escalate', from: 'urged', to: 'reship_required', actor: { type: 'system' }, data: { timer: true } });
    expect(new Date(esc.timeline.at(-1).at).getTime()).toBe(at.getTime());
    // due 16:00 shop time after the escalation instant
    const shanghai = (d: string) => new Date(new Date(d).getTime() + 8 * HOUR).toISOString();
    expect(shanghai(esc.dueAt).slice(11, 16)).toBe('16:00');
    expect(new Date(esc.dueAt).getTime()).toBeGreaterThan(at.getTime());
    expect(new Date(esc.dueAt).getTime() - at.getTime()).toBeLessThanOrEqual(24 * HOUR);
    expect(new Date((await indexRow(c.id)).next_sweep_at).getTime()).toBe(new Date(esc.dueAt).getTime());

    // a case resolved before its deadline is left alone
    await act(c2.id, 'urge', { outletCall: 'call', backOfficeMessage: 'msg' });
    await act(c2.id, 'resolve', { note: '网点已派送' });
    expect((await indexRow(c2.id)).next_sweep_at).toBeNull();
    await sweeper.sweep(new Date(Date.now() + 25 * HOUR));
    expect(await detail(c2.id)).toMatchObject({ status: 'closed', outcome: 'resolved', version: 3 });
  });

  it('refuses illegal actions: 409 with the allowed actions, stale version 409, 403 for a role, 400 for a bad body, 404 across merchants', async () => {
    const p = await parcel({ origin: '山东', dest: '山东', silentHours: 30 });
    await scan();
    const [c] = await casesOf(p.id);
    const reship = await act(c.id, 'reship', { reshipCost: 100 });
    expect(reship.status).toBe(409);
    expect(reship.body.message).toMatch(/open.*urge/);
    expect((await act(c.id, 'urge', { outletCall: 'x', backOfficeMessage: 'y', expectedVersion: 7 })).status).toBe(409);
    const finance = await createStaff(t, Role.Finance);
    expect((await act(c.id, 'urge', { outletCall: 'x', backOfficeMessage: 'y' }, finance.token)).status).toBe(403);
    expect((await act(c.id, 'urge', { outletCall: 'x' })).status).toBe(400);
    expect((await act(c.id, 'urge', { outletCall: 'x', backOfficeMessage: 'y', surprise: true })).status).toBe(400);
    expect((await act(c.id, 'fly', {})).status).toBe(404);
    const other = await createOtherMerchant(t);
    expect((await api().get(`/api/v1/logistics-exceptions/${c.id}`).set(bearer(other.adminToken))).status).toBe(404);
    expect((await act(c.id, 'dismiss', { reason: 'x' }, other.adminToken)).status).toBe(404);
    expect((await act(c.id, 'dismiss', { reason: 'nul\u0000' })).status).toBe(400);
    const dup = await api().post('/api/v1/logistics-exceptions').set(auth()).send({ shipmentId: p.id, kind: 'lost' });
    expect(dup.status).toBe(409);
  });

  it('reship creates a reship order linked to the original, adds its cost; recall and close with the amount recovered', async () => {
    const { orderId, shipmentId } = await shippedOrder(no());
    const c = await report(shipmentId, 'lost', { description: '快递丢件' });
    expect(c).toMatchObject({ status: 'open', kind: 'lost', source: 'staff', orderId });
    expect((await act(c.id, 'escalate', { reason: '网点确认丢失' })).body.status).toBe('reship_required');

    const r = await act(c.id, 'reship', { reshipCost: 4500, carrier: 'shunfeng', note: '补发保温杯' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'reshipped', cost: 4500, currency: 'CNY' });
    const [reship] = await t.db.query(`SELECT * FROM orders WHERE id = $1`, [r.body.reshipOrderId]);
    expect(reship).toMatchObject({ reship_of: orderId, status: OrderStatus.Paid, carrier: 'shunfeng', ship_province: '四川省', total_amount: '0', platform: 'internal' });
    const lines = await t.db.query(`SELECT sku, quantity, amount FROM order_lines WHERE order_id = $1`, [reship.id]);
    expect(lines).toEqual([{ sku: 'SKU-1', quantity: 1, amount: '19900' }]);
    const orderTimeline = await t.db.query(`SELECT action, to_status FROM timeline_events WHERE subject_type = 'order' AND subject_id = $1 ORDER BY id`, [reship.id]);
    expect(orderTimeline).toEqual([{ action: 'create', to_status: OrderStatus.Paid }]);
    const originalTimeline = await t.db.query(`SELECT action, data FROM timeline_events WHERE subject_type = 'order' AND subject_id = $1 ORDER BY id`, [orderId]);
    expect(originalTimeline.at(-1)).toMatchObject({ action: 'reship-created', data: { reshipOrderId: reship.id, logisticsExceptionId: c.id } });
    // the open case keeps the original order from completing
    const related = await api().get(`/api/v1/orders/${orderId}`).set(auth());
    expect(related.body.relatedCases).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'logistics_exception', id: c.id, open: true })]));

    expect((await act(c.id, 'reship', { reshipCost: 4500 })).status).toBe(409);
    expect((await act(c.id, 'close', { outcome: 'resolved' })).status).toBe(400);
    expect((await act(c.id, 'recall', { backOfficeMessage: '韵达后台给网点留言退回' })).body.status).toBe('recalling');
    const closed = await act(c.id, 'close', { outcome: 'original_returned', recovered: 1200 });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'original_returned', recovered: 1200, cost: 4500, dueAt: null });
  });

  it('a case without an order cannot reship (422)', async () => {
    const p = await parcel({ origin: '山西', dest: '陕西' });
    const c = await report(p.id, 'no_outlet');
    const r = await act(c.id, 'reship', { reshipCost: 1000 });
    expect(r.status).toBe(422);
  });

  it('no_outlet starts at reship_required, due 16:00 shop time the same day, or the next day when reported after 16:00', async () => {
    const a = await parcel({ origin: '浙江', dest: '西藏' });
    const b = await parcel({ origin: '浙江', dest: '西藏' });
    const before = await report(a.id, 'no_outlet', { reportedAt: '2025-03-03T15:30:00+08:00' });
    expect(before).toMatchObject({ status: 'reship_required', kind: 'no_outlet' });
    expect(new Date(before.dueAt).toISOString()).toBe('2025-03-03T08:00:00.000Z');
    const after = await report(b.id, 'no_outlet', { reportedAt: '2025-03-03T16:30:00+08:00' });
    expect(new Date(after.dueAt).toISOString()).toBe('2025-03-04T08:00:00.000Z');

    // "16:00" is the shop's wall clock
    const ny = await createShop(t, { timezone: 'America/New_York' });
    const c = await parcel({ origin: 'Zhejiang', dest: 'Tibet', shopId: ny.id });
    const nyCase = await report(c.id, 'no_outlet', { reportedAt: '2025-03-03T15:59:00-05:00' });
    expect(new Date(nyCase.dueAt).toISOString()).toBe('2025-03-03T21:00:00.000Z');
  });

  it('lists cases with filters and pagination', async () => {
    const page1 = await api().get('/api/v1/logistics-exceptions').query({ kind: 'stale', status: 'open', limit: 2 }).set(auth());
    expect(page1.status).toBe(200);
    expect(page1.body.items.length).toBeLessThanOrEqual(2);
    for (const i of page1.body.items) expect(i).toMatchObject({ kind: 'stale', status: 'open' });
    if (page1.body.nextCursor) {
      const page2 = await api().get('/api/v1/logistics-exceptions').query({ kind: 'stale', status: 'open', limit: 2, cursor: page1.body.nextCursor }).set(auth());
      expect(page2.body.items.map((i: { id: string }) => i.id)).not.toContain(page1.body.items[0].id);
    }
    const overdue = await api().get('/api/v1/logistics-exceptions').query({ overdue: 'true', kind: 'no_outlet' }).set(auth());
    expect(overdue.body.items.length).toBeGreaterThanOrEqual(2);
    expect((await api().get('/api/v1/logistics-exceptions').query({ status: 'nope' }).set(auth())).status).toBe(400);
  });

  it('serves the machine at /api/v1/meta/state-machines', async () => {
    const res = await api().get('/api/v1/meta/state-machines').set(auth());
    const m = res.body.find((x: { name: string }) => x.name === 'logistics_exception');
    expect(m).toBeDefined();
    expect(JSON.stringify(m)).toContain('reship_required');
  });
});
