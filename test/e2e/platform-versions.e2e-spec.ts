/**
 * SPEC §5 "Delivery is at least once and out of order": an equal `updated_at` is no proof of a
 * duplicate. Payloads in the platforms' documented shapes (WooCommerce REST v3 order with
 * `date_modified_gmt`, Shopify's order resource, our generic format).
 */
import { bearer, createShop } from '../support/factories.js';
import { bigId, postGeneric, postShopify, postWoo, processDelivery, shopifyOrder, wooOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ShopInfo = { id: string; webhookSecret: string };

describe('equal platform versions: applied when the content differs, no effect when identical; refunds always', () => {
  let t: TestApp;
  let woo: ShopInfo;
  let shopify: ShopInfo;
  let generic: ShopInfo;

  const orderOf = async (shopId: string, platformOrderId: string) =>
    (await t.db.query('SELECT * FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]))[0];
  const timelineCount = async (orderId: string) => (await t.db.query('SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = $1', [orderId]))[0].n as number;
  const delivery = async (id: string) => (await t.db.query('SELECT status, result FROM webhook_deliveries WHERE id = $1', [id]))[0];
  const detail = async (orderId: string) => (await t.http().get(`/api/v1/orders/${orderId}`).set(bearer(t.adminToken))).body;

  beforeAll(async () => {
    t = await startTestApp();
    woo = await createShop(t, { platform: 'woocommerce' });
    shopify = await createShop(t, { platform: 'shopify' });
    generic = await createShop(t, { platform: 'generic' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const sendWoo = async (topic: string, body: Record<string, unknown>) => {
    const r = await postWoo(t, woo.id, topic, body, { secret: woo.webhookSecret });
    expect(r.status).toBe(200);
    await processDelivery(t, r.body.id);
    return r.body.id as string;
  };

  it('WooCommerce order.created (pending) then order.updated (processing, date_paid_gmt) with the same date_modified_gmt → paid', async () => {
    // WooCommerce keeps date_modified on the payment edit; both carry "…T02:00:07".
    const at = new Date('2026-11-20T02:00:07Z');
    const created = wooOrder({ status: 'pending', createdAt: at, modifiedAt: at, paidAt: null });
    expect(created.body.date_modified_gmt).toBe('2026-11-20T02:00:07');
    await sendWoo('order.created', created.body);
    const before = await orderOf(woo.id, String(created.id));
    expect(before).toMatchObject({ status: 'pending_payment', version: 1 });

    const paid = wooOrder({ id: created.id, status: 'processing', createdAt: at, modifiedAt: at, paidAt: at });
    expect(paid.body.date_modified_gmt).toBe(created.body.date_modified_gmt);
    expect(paid.body.date_paid_gmt).toBe('2026-11-20T02:00:07');
    const d = await sendWoo('order.updated', paid.body);
    expect(await delivery(d)).toMatchObject({ status: 'processed', result: { outcome: 'updated', transitions: ['pay'] } });
    const after = await orderOf(woo.id, String(created.id));
    expect(after.status).toBe('paid');
    expect(new Date(after.paid_at).toISOString()).toBe(at.toISOString());
    expect(new Date(after.platform_updated_at).toISOString()).toBe(at.toISOString());

    // The same content again under a new delivery id: no second effect.
    const versionBefore = (await orderOf(woo.id, String(created.id))).version;
    const eventsBefore = await timelineCount(after.id);
    const again = await sendWoo('order.updated', paid.body);
    expect(await delivery(again)).toMatchObject({ status: 'ignored', result: { outcome: 'stale', order: 'identical' } });
    expect((await orderOf(woo.id, String(created.id))).version).toBe(versionBefore);
    expect(await timelineCount(after.id)).toBe(eventsBefore);
  });

  it('WooCommerce: a changed total and a new refunds[] entry at the same date_modified_gmt are applied; an older version only records its refunds', async () => {
    const at = new Date('2026-11-21T02:00:07Z');
    const v1 = wooOrder({ status: 'processing', createdAt: at, modifiedAt: at, shipping: '10.00' });
    await sendWoo('order.created', v1.body);
    const first = await orderOf(woo.id, String(v1.id));
    expect(first).toMatchObject({ status: 'paid', total_amount: '1600' });

    // A refund edit: WooCommerce adds refunds[] and the shop changed the shipping; date_modified_gmt unchanged.
    const refundId = 9000 + (v1.id % 1000);
    const v1b = wooOrder({ id: v1.id, status: 'processing', createdAt: at, modifiedAt: at, shipping: '12.00', refunds: [{ id: refundId, total: '5.00', reason: '运费差价' }] });
    const d = await sendWoo('order.updated', v1b.body);
    expect((await delivery(d)).status).toBe('processed');
    const second = await orderOf(woo.id, String(v1.id));
    // Two entries through the engine, each a version: the platform update, then the platform refund.
    expect(second).toMatchObject({ total_amount: '1800', shipping_amount: '1200', version: first.version + 2 });
    const shown = await detail(second.id);
    expect(shown.platformRefunds).toEqual([expect.objectContaining({ platformRefundId: String(refundId), amount: 500, reason: '运费差价' })]);
    expect(shown.timeline.filter((e: { action: string }) => e.action === 'platform-update')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ changed: ['total_amount'] }) }),
    ]);

    // A retry of an older version carrying one more refund: the order stays, the refund is recorded.
    const older = new Date(at.getTime() - 60_000);
    const v0 = wooOrder({ id: v1.id, status: 'processing', createdAt: older, modifiedAt: older, shipping: '10.00', refunds: [{ id: refundId + 1, total: '1.00', reason: 'late' }, { id: refundId, total: '5.00', reason: '运费差价' }] });
    const od = await sendWoo('order.updated', v0.body);
    expect(await delivery(od)).toMatchObject({ status: 'processed', result: { outcome: 'refund_recorded', order: 'older', refundsRecorded: 1 } });
    const third = await orderOf(woo.id, String(v1.id));
    // The snapshot stays; the recorded refund is one engine entry (one version), nothing more.
    expect(third).toMatchObject({ total_amount: '1800', shipping_amount: '1200', version: second.version + 1 });
    expect((await detail(third.id)).platformRefunds.map((r: { platformRefundId: string; amount: number }) => [r.platformRefundId, r.amount]).sort()).toEqual(
      [[String(refundId), 500], [String(refundId + 1), 100]].sort(),
    );
    // and the same older delivery again: nothing new at all
    const od2 = await sendWoo('order.updated', v0.body);
    expect(await delivery(od2)).toMatchObject({ status: 'ignored', result: { outcome: 'stale', order: 'older' } });
  });

  it('Shopify orders/create (pending) then orders/paid with the same updated_at → paid; identical retry has no effect', async () => {
    const at = new Date(Date.now() - 30_000);
    at.setMilliseconds(0); // Shopify timestamps have one-second resolution
    const pending = shopifyOrder({ createdAt: at, updatedAt: at, financialStatus: 'pending', phone: '13700000001' });
    const paid = shopifyOrder({ id: pending.id, name: pending.body.name as string, createdAt: at, updatedAt: at, financialStatus: 'paid', phone: '13700000001' });
    const send = async (topic: string, body: Record<string, unknown>) => {
      const r = await postShopify(t, shopify.id, topic, body, { secret: shopify.webhookSecret });
      await processDelivery(t, r.body.id);
      return r.body.id as string;
    };
    await send('orders/create', pending.body);
    expect((await orderOf(shopify.id, pending.id)).status).toBe('pending_payment');
    await send('orders/paid', paid.body);
    const o = await orderOf(shopify.id, pending.id);
    expect(o).toMatchObject({ status: 'paid', platform_status: 'paid/unfulfilled' });
    const events = await timelineCount(o.id);
    const again = await send('orders/paid', paid.body);
    expect((await delivery(again)).status).toBe('ignored');
    expect((await orderOf(shopify.id, pending.id)).version).toBe(o.version);
    expect(await timelineCount(o.id)).toBe(events);
  });

  it('generic: order.updated with the same updatedAt and another total is applied', async () => {
    const orderId = `G-${bigId()}`;
    const at = new Date(Date.now() - 10_000).toISOString();
    const data = (total: string) => ({
      orderId, orderNumber: orderId, createdAt: at, updatedAt: at, currency: 'CNY', paymentMethod: 'prepaid', paidAt: at,
      amounts: { total }, lines: [{ id: 'L1', sku: 'CUP-1', title: '保温杯', quantity: 1, unitPrice: total }],
      customer: { name: '王五', phone: '13700137000' },
    });
    const send = async (id: string, topic: string, d: unknown) => {
      const r = await postGeneric(t, generic.id, { id, topic, data: d }, { secret: generic.webhookSecret });
      await processDelivery(t, r.body.id);
      return r.body.id as string;
    };
    await send(`${orderId}-1`, 'order.created', data('199.00'));
    await send(`${orderId}-2`, 'order.updated', data('189.00'));
    expect(await orderOf(generic.id, orderId)).toMatchObject({ total_amount: '18900', version: 2 });
    const same = await send(`${orderId}-3`, 'order.updated', data('189.00'));
    expect((await delivery(same)).status).toBe('ignored');
    expect((await orderOf(generic.id, orderId)).version).toBe(2);
  });
});
