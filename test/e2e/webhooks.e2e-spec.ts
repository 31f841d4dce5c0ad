import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createShop, createStaff } from '../support/factories.js';
import { bigId, postGeneric, postShopify, postWoo, processDelivery, shopifyOrder, toJson, waitProcessed, wooOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ShopInfo = { id: string; webhookSecret: string };

describe('inbound order webhooks (real HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let shopify: ShopInfo;
  let woo: ShopInfo;
  let generic: ShopInfo;

  const count = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params))[0].n as number;
  const inboxRows = (shopId: string) => count('SELECT count(*)::int AS n FROM webhook_deliveries WHERE shop_id = $1', [shopId]);
  const orderRows = (shopId: string) => count('SELECT count(*)::int AS n FROM orders WHERE shop_id = $1', [shopId]);
  const orderOf = async (shopId: string, platformOrderId: string) =>
    (await t.db.query('SELECT * FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]))[0];

  beforeAll(async () => {
    t = await startTestApp();
    shopify = await createShop(t, { platform: 'shopify' });
    woo = await createShop(t, { platform: 'woocommerce' });
    generic = await createShop(t, { platform: 'generic' });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('signatures are verified over the raw body before anything is stored', () => {
    const before = async () => ({ inbox: await count('SELECT count(*)::int AS n FROM webhook_deliveries'), orders: await count('SELECT count(*)::int AS n FROM orders') });

    it.each([
      ['tampered byte', { tamper: true }],
      ['wrong secret', { signWith: 'whsec_not_the_shops_secret' }],
      ['missing header', { omitSignature: true }],
    ])('Shopify: %s → 401, no row', async (_name, opts) => {
      const b = await before();
      const res = await postShopify(t, shopify.id, 'orders/create', shopifyOrder().body, { secret: shopify.webhookSecret, ...opts });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(await before()).toEqual(b);
    });

    it.each([
      ['tampered byte', { tamper: true }],
      ['wrong secret', { signWith: 'whsec_not_the_shops_secret' }],
      ['missing header', { omitSignature: true }],
    ])('WooCommerce: %s → 401, no row', async (_name, opts) => {
      const b = await before();
      const res = await postWoo(t, woo.id, 'order.created', wooOrder().body, { secret: woo.webhookSecret, ...opts });
      expect(res.status).toBe(401);
      expect(await before()).toEqual(b);
    });

    it.each([
      ['tampered byte', { tamper: true }],
      ['wrong secret', { signWith: 'whsec_not_the_shops_secret' }],
      ['missing header', { omitSignature: true }],
      ['stale timestamp (6 min old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
      ['timestamp from the future (6 min)', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
    ])('generic: %s → 401, no row', async (_name, opts) => {
      const b = await before();
      const res = await postGeneric(t, generic.id, { id: `evt_${bigId()}`, topic: 'order.created', data: genericOrder(bigId()) }, { secret: generic.webhookSecret, ...opts });
      expect(res.status).toBe(401);
      expect(await before()).toEqual(b);
    });

    it('answers an unknown shop, another platform\'s shop and a forged signature alike (401), storing nothing', async () => {
      const b = await before();
      const body = shopifyOrder().body;
      const unknown = await postShopify(t, '00000000-0000-4000-8000-000000000000', 'orders/create', body, { secret: shopify.webhookSecret });
      const wrongPlatform = await postShopify(t, woo.id, 'orders/create', body, { secret: woo.webhookSecret });
      const notUuid = await postShopify(t, 'not-a-shop', 'orders/create', body, { secret: shopify.webhookSecret });
      const forged = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret, signWith: 'x'.repeat(20) });
      for (const r of [unknown, wrongPlatform, notUuid, forged]) expect([r.status, r.body.message]).toEqual([401, 'Invalid webhook signature']);
      expect(await before()).toEqual(b);
      expect((await t.http().post(`/webhooks/magento/${shopify.id}`).send({})).status).toBe(404);
    });

    it('accepts WooCommerce\'s unsigned creation ping without storing anything', async () => {
      const b = await before();
      const res = await t.http().post(`/webhooks/woocommerce/${woo.id}`).set('Content-Type', 'application/x-www-form-urlencoded').send('webhook_id=12');
      expect(res.status).toBe(200);
      expect(await before()).toEqual(b);
    });
  });

  it('keeps every accepted delivery (raw body, topic, delivery id, result) and processes it from the inbox, answering fast', async () => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid' });
    const started = Date.now();
    const res = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret, deliveryId: 'evt-keep-1' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.body).toEqual({ received: true, duplicate: false, id: expect.any(String) });
    // an inbox worker picks it up (no processDelivery here)
    expect(await waitProcessed(t, res.body.id)).toBe('processed');
    const [row] = await t.db.query('SELECT topic, delivery_id, raw_body, headers, result, order_id FROM webhook_deliveries WHERE id = $1', [res.body.id]);
    expect(row.topic).toBe('orders/create');
    expect(row.delivery_id).toBe('evt-keep-1');
    expect(row.raw_body.toString('utf8')).toBe(toJson(body));
    expect(row.headers['x-shopify-topic']).toBe('orders/create');
    expect(row.result).toMatchObject({ outcome: 'created', orderId: row.order_id });
    const order = await orderOf(shopify.id, id);
    expect(order.platform_order_id).toBe(id); // above 2^53, exact
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(order.status).toBe('paid');
  });

  it('20 concurrent identical deliveries → one inbox row, one order, one timeline create; all answered 200', async () => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid' });
    const raw = toJson(body);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postShopify(t, shopify.id, 'orders/create', raw, { secret: shopify.webhookSecret, deliveryId: `evt-${id}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    const inboxIds = new Set(responses.map((r) => r.body.id));
    expect(inboxIds.size).toBe(1);
    const [inboxId] = [...inboxIds];
    await Promise.all([processDelivery(t, inboxId), processDelivery(t, inboxId), processDelivery(t, inboxId)]);
    const [d] = await t.db.query('SELECT status, duplicates FROM webhook_deliveries WHERE id = $1', [inboxId]);
    expect(d).toEqual({ status: 'processed', duplicates: 19 });
    expect(await count('SELECT count(*)::int AS n FROM webhook_deliveries WHERE shop_id = $1 AND delivery_id = $2', [shopify.id, `evt-${id}`])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopify.id, id])).toBe(1);
    const order = await orderOf(shopify.id, id);
    expect(await count(`SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = $1 AND action = 'create'`, [order.id])).toBe(1);
  });

  it('the same order version under different delivery ids (20 at once) still makes one order and no second effect', async () => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid' });
    const raw = toJson(body);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => postShopify(t, shopify.id, 'orders/create', raw, { secret: shopify.webhookSecret, deliveryId: `evt-${id}-${i}` })));
    expect(responses.every((r) => r.status === 200 && r.body.duplicate === false)).toBe(true);
    await Promise.all(responses.map((r) => processDelivery(t, r.body.id)));
    expect(await count('SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopify.id, id])).toBe(1);
    const statuses = await t.db.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE delivery_id LIKE $1 GROUP BY status ORDER BY status`, [`evt-${id}-%`]);
    expect(statuses).toEqual([
      { status: 'ignored', n: 19 },
      { status: 'processed', n: 1 },
    ]);
    const order = await orderOf(shopify.id, id);
    expect(order.version).toBe(1);
  });

  it('an older updated_at after a newer one is ignored; a later update applies', async () => {
    const created = new Date(Date.now() - 60_000);
    const v1 = shopifyOrder({ createdAt: created, updatedAt: created, financialStatus: 'pending', phone: '13000000001' });
    const v2 = shopifyOrder({ id: v1.id, createdAt: created, updatedAt: new Date(created.getTime() + 10_000), financialStatus: 'paid', phone: '13000000002' });
    const v3 = shopifyOrder({ id: v1.id, createdAt: created, updatedAt: new Date(created.getTime() + 20_000), financialStatus: 'paid', phone: '13000000003' });
    const send = async (topic: string, b: Record<string, unknown>) => {
      const r = await postShopify(t, shopify.id, topic, b, { secret: shopify.webhookSecret });
      expect(r.status).toBe(200);
      await processDelivery(t, r.body.id);
      return r.body.id as string;
    };
    await send('orders/paid', v2.body); // the newer one first
    const stale = await send('orders/create', v1.body); // Shopify retries the original payload later
    let order = await orderOf(shopify.id, v1.id);
    expect(order).toMatchObject({ status: 'paid', customer_phone: '13000000002', version: 1 });
    const [d] = await t.db.query('SELECT status, result FROM webhook_deliveries WHERE id = $1', [stale]);
    expect(d.status).toBe('ignored');
    expect(d.result.outcome).toBe('stale');
    await send('orders/updated', v3.body);
    order = await orderOf(shopify.id, v1.id);
    expect(order).toMatchObject({ status: 'paid', customer_phone: '13000000003', version: 2 });
    expect(new Date(order.platform_updated_at).toISOString()).toBe(new Date(created.getTime() + 20_000).toISOString());
    // equal updated_at is no newer either
    await send('orders/updated', v3.body);
    expect((await orderOf(shopify.id, v1.id)).version).toBe(2);
  });

  it('converts decimal amounts exactly ("0.10", "19999999.99", JSON numbers too)', async () => {
    const { id, body } = shopifyOrder({
      lines: [
        { sku: 'A', title: 'ten cents', quantity: 3, price: '0.10' },
        { sku: 'B', title: 'big', quantity: 1, price: '19999999.99' },
      ],
      shipping: '0.10',
      financialStatus: 'paid',
    });
    const r = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret });
    await processDelivery(t, r.body.id);
    const order = await orderOf(shopify.id, id);
    expect(order).toMatchObject({ items_amount: '2000000029', shipping_amount: '10', total_amount: '2000000039', currency: 'CNY' });
    const lines = await t.db.query('SELECT sku, quantity, unit_price, amount FROM order_lines WHERE order_id = $1 ORDER BY line_no', [order.id]);
    expect(lines).toEqual([
      { sku: 'A', quantity: 3, unit_price: '10', amount: '30' },
      { sku: 'B', quantity: 1, unit_price: '1999999999', amount: '1999999999' },
    ]);
    // WooCommerce sends line `price` as a JSON number: never read through a float
    const w = wooOrder({ status: 'processing', lines: [{ sku: 'W', title: 'w', quantity: 1, price: '0.10' }], shipping: '19999999.99' });
    const wr = await postWoo(t, woo.id, 'order.created', w.body, { secret: woo.webhookSecret });
    await processDelivery(t, wr.body.id);
    expect(await orderOf(woo.id, String(w.id))).toMatchObject({ items_amount: '10', shipping_amount: '1999999999', total_amount: '2000000009' });
  });

  it('generic format: order.created then order.paid, refund.created recorded once; a review topic is applied (reviews module)', async () => {
    const orderId = `P-${bigId()}`;
    const created = new Date(Date.now() - 5000);
    const send = async (id: string, topic: string, data: unknown) => {
      const r = await postGeneric(t, generic.id, { id, topic, data }, { secret: generic.webhookSecret });
      expect(r.status).toBe(200);
      await processDelivery(t, r.body.id);
      return r.body;
    };
    await send(`evt-${orderId}-1`, 'order.created', genericOrder(orderId, { createdAt: created.toISOString(), updatedAt: created.toISOString() }));
    expect(await orderOf(generic.id, orderId)).toMatchObject({ status: 'pending_payment', total_amount: '19900', customer_phone: '13700137000', ship_district: '南山区' });
    await send(`evt-${orderId}-2`, 'order.paid', genericOrder(orderId, { updatedAt: new Date(created.getTime() + 1000).toISOString(), paidAt: new Date().toISOString() }));
    expect((await orderOf(generic.id, orderId)).status).toBe('paid');
    const refund = { refundId: `R-${orderId}`, orderId, amount: '50.00', currency: 'CNY', reason: 'damaged', refundedAt: new Date().toISOString() };
    await send(`evt-${orderId}-3`, 'refund.created', refund);
    await send(`evt-${orderId}-4`, 'refund.created', refund); // same refund, another delivery
    expect(await count('SELECT count(*)::int AS n FROM platform_refunds WHERE platform_refund_id = $1', [`R-${orderId}`])).toBe(1);
    const ack = await send(`evt-${orderId}-5`, 'review.created', { reviewId: `rv-${orderId}`, orderId, rating: 2, content: '慢', reviewedAt: new Date().toISOString() });
    const [d] = await t.db.query('SELECT status, order_id FROM webhook_deliveries WHERE id = $1', [ack.id]);
    expect(d.status).toBe('processed');
    const [review] = await t.db.query('SELECT status, order_id FROM reviews WHERE platform_review_id = $1', [`rv-${orderId}`]);
    expect(review).toEqual({ status: 'open', order_id: d.order_id });
    // malformed envelope: 400, not stored
    const bad = await postGeneric(t, generic.id, { id: '', topic: 'order.exploded', data: {} }, { secret: generic.webhookSecret });
    expect(bad.status).toBe(400);
  });

  it('Shopify refunds/create is recorded once per refund id and shown on the order', async () => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid' });
    const r = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret });
    await processDelivery(t, r.body.id);
    const refundId = bigId();
    const refund = {
      id: `\u0000RAW:${refundId}\u0000`,
      order_id: `\u0000RAW:${id}\u0000`,
      created_at: new Date().toISOString(),
      note: 'Things were damaged',
      user_id: 548380009,
      processed_at: new Date().toISOString(),
      restock: true,
      refund_line_items: [],
      transactions: [{ id: 179259969, order_id: `\u0000RAW:${id}\u0000`, kind: 'refund', gateway: 'bogus', status: 'success', amount: '41.94', currency: 'CNY' }],
      order_adjustments: [],
    };
    for (let i = 0; i < 2; i++) {
      const rr = await postShopify(t, shopify.id, 'refunds/create', refund, { secret: shopify.webhookSecret });
      await processDelivery(t, rr.body.id);
    }
    const rows = await t.db.query('SELECT platform_refund_id, amount, order_id FROM platform_refunds WHERE platform_refund_id = $1', [refundId]);
    expect(rows).toEqual([{ platform_refund_id: refundId, amount: '4194', order_id: (await orderOf(shopify.id, id)).id }]);
  });

  it('a payload that cannot be an order is kept as failed with the reason; nothing else changes', async () => {
    const n = await orderRows(shopify.id);
    const r = await postShopify(t, shopify.id, 'orders/create', { id: 1, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), total_price: 'abc', line_items: [] }, { secret: shopify.webhookSecret });
    expect(r.status).toBe(200);
    await processDelivery(t, r.body.id);
    const [d] = await t.db.query('SELECT status, last_error FROM webhook_deliveries WHERE id = $1', [r.body.id]);
    expect(d.status).toBe('failed');
    expect(d.last_error).toMatch(/total_price/);
    expect(await orderRows(shopify.id)).toBe(n);
  });

  describe('admin: list deliveries and replay one', () => {
    it('lists (admin only, own merchant), shows the raw body, and replays without a second effect', async () => {
      const { id, body } = shopifyOrder({ financialStatus: 'paid' });
      const r = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret });
      await processDelivery(t, r.body.id);
      const list = await t.http().get(`/api/v1/webhook-deliveries?shopId=${shopify.id}&limit=100`).set(bearer(t.adminToken));
      expect(list.status).toBe(200);
      const item = list.body.items.find((x: { id: string }) => x.id === r.body.id);
      expect(item).toMatchObject({ topic: 'orders/create', status: 'processed', platform: 'shopify' });
      expect(item.body).toBeUndefined();

      const detail = await t.http().get(`/api/v1/webhook-deliveries/${r.body.id}`).set(bearer(t.adminToken));
      expect(detail.body.body).toBe(toJson(body));

      const replay = await t.http().post(`/api/v1/webhook-deliveries/${r.body.id}/replay`).set(bearer(t.adminToken));
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ status: 'ignored', replays: 1, result: { outcome: 'stale', previous: { status: 'processed' } } });
      expect(await count('SELECT count(*)::int AS n FROM orders WHERE platform_order_id = $1', [id])).toBe(1);

      const agent = await createStaff(t, Role.Agent);
      expect((await t.http().get('/api/v1/webhook-deliveries').set(bearer(agent.token))).status).toBe(403);
      expect((await t.http().post(`/api/v1/webhook-deliveries/${r.body.id}/replay`).set(bearer(agent.token))).status).toBe(403);
      const other = await createOtherMerchant(t);
      expect((await t.http().get(`/api/v1/webhook-deliveries/${r.body.id}`).set(bearer(other.adminToken))).status).toBe(404);
      expect((await t.http().post(`/api/v1/webhook-deliveries/${r.body.id}/replay`).set(bearer(other.adminToken))).status).toBe(404);
      expect((await t.http().get('/api/v1/webhook-deliveries').set(bearer(other.adminToken))).body.items).toEqual([]);
    });

    it('a refund that arrives before its order is recorded, then linked when the order arrives', async () => {
      const { id, body } = shopifyOrder({ financialStatus: 'paid' });
      const refundId = bigId();
      const refund = {
        id: `\u0000RAW:${refundId}\u0000`, order_id: `\u0000RAW:${id}\u0000`, created_at: new Date().toISOString(), note: null,
        transactions: [{ kind: 'refund', status: 'success', amount: '10.00', currency: 'CNY' }],
      };
      const rr = await postShopify(t, shopify.id, 'refunds/create', refund, { secret: shopify.webhookSecret });
      await processDelivery(t, rr.body.id);
      expect((await t.db.query('SELECT order_id FROM platform_refunds WHERE platform_refund_id = $1', [refundId]))[0].order_id).toBeNull();
      const r = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret });
      await processDelivery(t, r.body.id);
      const order = await orderOf(shopify.id, id);
      expect((await t.db.query('SELECT order_id FROM platform_refunds WHERE platform_refund_id = $1', [refundId]))[0].order_id).toBe(order.id);
    });
  });
});

export function genericOrder(orderId: string, over: Record<string, unknown> = {}) {
  return {
    orderId,
    orderNumber: `G${orderId.slice(-6)}`,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    currency: 'CNY',
    paymentMethod: 'prepaid',
    amounts: { items: '199.00', discount: '0.00', shipping: '0.00', tax: '0.00', total: '199.00' },
    lines: [{ id: 'L1', sku: 'SKU-1', title: '保温杯', quantity: 1, unitPrice: '199.00' }],
    customer: { name: '王五', phone: '13700137000', email: 'wang@example.com' },
    shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', district: '南山区', address: '科技园 1 号', postcode: '518000' },
    note: null,
    ...over,
  };
}
