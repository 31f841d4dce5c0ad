import { randomUUID } from 'node:crypto';
import { Role } from '../../src/kernel/auth/roles.js';
import { WebhookProcessorService } from '../../src/webhooks/webhook-processor.service.js';
import { bearer, createShop, createStaff } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { postGeneric } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SPEC §13 / issue 15 items 2 and 3: work costs a bounded number of statements, whatever the
// batch size — counted here on the app's own DataSource (every statement TypeORM sends passes its
// logger), not timed. Jobs are off, so no worker or sweeper adds statements meanwhile.

function recordQueries(t: TestApp): { during<T>(run: () => Promise<T>): Promise<{ result: T; queries: string[] }> } {
  const logger = t.db.logger;
  const original = logger.logQuery.bind(logger);
  let sink: string[] | null = null;
  logger.logQuery = (query, parameters, runner) => {
    sink?.push(query.replace(/\s+/g, ' ').trim());
    return original(query, parameters, runner);
  };
  return {
    async during(run) {
      const queries: string[] = [];
      sink = queries;
      try {
        return { result: await run(), queries };
      } finally {
        sink = null;
      }
    },
  };
}

const orderData = (orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  orderNumber: orderId,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:05:00Z',
  currency: 'CNY',
  paymentMethod: 'prepaid',
  paidAt: '2026-11-01T10:05:00Z',
  amounts: { items: '398.00', total: '398.00' },
  lines: [
    { id: 'L1', sku: 'CUP-1', title: '保温杯', quantity: 1, unitPrice: '199.00' },
    { id: 'L2', sku: 'CUP-2', title: '保温杯 &ndash; 大', quantity: 1, unitPrice: '199.00' },
  ],
  customer: { name: '王五', phone: '13700137000' },
  shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', address: '科技园 1 号' },
  ...extra,
});

describe('round trips: case actions and inbox batches', () => {
  let t: TestApp;
  let shop: { id: string; webhookSecret: string };
  let agentToken: string;
  let rec: ReturnType<typeof recordQueries>;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    shop = await createShop(t);
    agentToken = (await createStaff(t, Role.Agent)).token;
    rec = recordQueries(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const act = (id: string, action: 'hold' | 'release') =>
    t.http().post(`/api/v1/orders/${id}/${action}`).set(bearer(agentToken)).send(action === 'hold' ? { reason: 'customer_contact_needed' } : {});

  it('a hold or release costs a bounded number of statements: no session, settings or endpoint lookup while cached, the detail in one read', async () => {
    const a = await insertPaidOrder(t, shop.id);
    const b = await insertPaidOrder(t, shop.id);
    expect((await act(a.id, 'hold')).status).toBe(200); // warms the session, calendar and endpoint caches

    const { result: res, queries } = await rec.during(() => act(b.id, 'hold'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: b.id, status: 'on_hold', holdReason: 'customer_contact_needed', allowedActions: expect.arrayContaining(['release']) });
    expect(res.body.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['hold']));
    expect(res.body.lines.length).toBeGreaterThan(0);
    // BEGIN, the case, the status write, its timeline event, its index row, COMMIT, the detail.
    expect(queries.length).toBeLessThanOrEqual(7);
    expect(queries.filter((q) => /FROM sessions|FROM webhook_endpoints|FROM merchants/.test(q))).toEqual([]);

    const { result: back, queries: again } = await rec.during(() => act(b.id, 'release'));
    expect(back.body).toMatchObject({ status: 'paid', holdReason: null });
    expect(again.length).toBeLessThanOrEqual(7);
  });

  it('a new outbound endpoint is seen by the next transition at once (the cached "no endpoint" is dropped)', async () => {
    const c = await insertPaidOrder(t, shop.id);
    expect((await act(c.id, 'hold')).status).toBe(200);
    const outbox = async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'event.deliver' AND payload->'event'->'data'->>'id' = $1`, [c.id]))[0].n as number;
    expect(await outbox()).toBe(0);
    const ep = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'http://127.0.0.1:9/hook', events: ['case.status_changed'] });
    expect(ep.status).toBe(201);
    expect((await act(c.id, 'release')).status).toBe(200);
    expect(await outbox()).toBe(1);
    // Switched off: the next transition fans out to nobody.
    expect((await t.http().patch(`/api/v1/webhook-endpoints/${ep.body.id}`).set(bearer(t.adminToken)).send({ active: false })).status).toBe(200);
    expect((await act(c.id, 'hold')).status).toBe(200);
    expect(await outbox()).toBe(1);
  });

  const accept = async (data: Record<string, unknown>, topic = 'order.created'): Promise<string> => {
    const res = await postGeneric(t, shop.id, { id: `evt_${randomUUID()}`, topic, data }, { secret: shop.webhookSecret });
    expect(res.status).toBe(200);
    return res.body.id as string;
  };

  it('a batch of new orders is applied in a fixed number of statements, every order with its lines, timeline event and index row', async () => {
    const run = `RT${Date.now()}`;
    const unpaid = { paidAt: null };
    const processor = t.app.get(WebhookProcessorService);
    // Warms the caches a first batch fills (the merchant's calendar, its endpoints).
    expect(await processor.processBatch([await accept(orderData(`${run}-w1`)), await accept(orderData(`${run}-w2`, unpaid))])).toEqual([]);
    const small = [await accept(orderData(`${run}-s1`)), await accept(orderData(`${run}-s2`, unpaid))];
    const big: string[] = [];
    for (let i = 0; i < 40; i++) big.push(await accept(orderData(`${run}-b${i}`, i % 4 === 0 ? unpaid : {})));

    const few = await rec.during(() => processor.processBatch(small));
    const many = await rec.during(() => processor.processBatch(big));
    expect(few.result).toEqual([]);
    expect(many.result).toEqual([]);
    // The statement count does not grow with the batch: BEGIN, the deliveries, their shops, the
    // order locks, which exist; per initial status (paid, pending_payment) the shops' zones, orders,
    // timeline events, index rows; all lines; early refunds linked; the deliveries' results; COMMIT.
    expect(many.queries.length).toBe(few.queries.length);
    expect(many.queries.length).toBeLessThanOrEqual(17);

    const deliveries = await t.db.query(`SELECT status, result, order_id FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [big]);
    expect(deliveries).toHaveLength(40);
    for (const d of deliveries) expect(d).toMatchObject({ status: 'processed', result: { outcome: 'created', transitions: [] }, order_id: expect.any(String) });
    const orders = await t.db.query(
      `SELECT o.id, o.status, o.version, o.due_at,
              (SELECT count(*)::int FROM order_lines l WHERE l.order_id = o.id) AS lines,
              (SELECT string_agg(title, '|' ORDER BY line_no) FROM order_lines l WHERE l.order_id = o.id) AS titles,
              (SELECT count(*)::int FROM timeline_events e WHERE e.subject_id = o.id AND e.action = 'create') AS events,
              (SELECT count(*)::int FROM case_index c WHERE c.case_id = o.id AND c.machine = 'order') AS indexed
         FROM orders o WHERE o.shop_id = $1 AND o.platform_order_id LIKE $2 ORDER BY o.platform_order_id`,
      [shop.id, `${run}-b%`],
    );
    expect(orders).toHaveLength(40);
    for (const o of orders) expect(o).toMatchObject({ version: 1, lines: 2, titles: '保温杯|保温杯 – 大', events: 1, indexed: 1 });
    const byStatus = orders.reduce((m: Record<string, number>, o: { status: string }) => ({ ...m, [o.status]: (m[o.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ paid: 30, pending_payment: 10 });
    // The unpaid ones carry the 20-minute follow-up deadline from their placement, as one by one.
    for (const o of orders.filter((x: { status: string }) => x.status === 'pending_payment')) {
      expect(new Date(o.due_at).toISOString()).toBe('2026-11-01T10:20:00.000Z');
    }
  });

  it('later deliveries of the same platform order, existing orders and other topics are left for one-by-one processing, in claim order', async () => {
    const run = `RQ${Date.now()}`;
    const processor = t.app.get(WebhookProcessorService);
    const existing = await accept(orderData(`${run}-old`));
    expect(await processor.processBatch([existing, await accept(orderData(`${run}-other`))])).toEqual([]);

    const create = await accept(orderData(`${run}-new`));
    const update = await accept(orderData(`${run}-new`, { updatedAt: '2026-11-01T11:00:00Z', note: 'leave at the door' }), 'order.updated');
    const again = await accept(orderData(`${run}-old`, { updatedAt: '2026-11-02T10:00:00Z', note: 'changed' }), 'order.updated');
    const shipped = await accept(orderData(`${run}-shipped`, { shipments: [{ carrier: 'SF', trackingNo: `SF${Date.now()}` }] }));
    const refund = await accept({ refundId: `${run}-r1`, orderId: `${run}-new`, amount: '10.00', currency: 'CNY', refundedAt: '2026-11-01T12:00:00Z' }, 'refund.created');
    const plain = await accept(orderData(`${run}-plain`));

    const left = await processor.processBatch([create, update, again, shipped, refund, plain]);
    expect(left).toEqual([update, again, shipped, refund]);
    const statusOf = async (id: string) => (await t.db.query('SELECT status FROM webhook_deliveries WHERE id = $1', [id]))[0].status as string;
    expect(await statusOf(create)).toBe('processed');
    expect(await statusOf(plain)).toBe('processed');
    for (const id of left) expect(await statusOf(id)).toBe('received');

    for (const id of left) await processor.process(id);
    for (const id of left) expect(await statusOf(id)).toBe('processed');
    const [o] = await t.db.query('SELECT status, note, version FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shop.id, `${run}-new`]);
    // created (1), the update's platform-update (2), the refund's platform-refund (3): in delivery order.
    expect(o).toMatchObject({ status: 'paid', note: 'leave at the door', version: 3 });
    const [r] = await t.db.query('SELECT order_id IS NOT NULL AS linked FROM platform_refunds WHERE shop_id = $1 AND platform_refund_id = $2', [shop.id, `${run}-r1`]);
    expect(r).toEqual({ linked: true });
    const [s] = await t.db.query('SELECT status FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shop.id, `${run}-shipped`]);
    expect(s.status).toBe('shipped');
  });
});
