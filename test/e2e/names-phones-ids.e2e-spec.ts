/**
 * SPEC §5 "Names and titles as people read them" and "Staff may look an order up by its platform
 * order id"; SPEC §4 validation words. Deliveries in the platforms' documented shapes.
 */
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createShop, createStaff } from '../support/factories.js';
import { postShopify, postWoo, processDelivery, shopifyOrder, wooOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ShopInfo = { id: string; webhookSecret: string };

describe('names, phones and ids as people have them', () => {
  let t: TestApp;
  let woo: ShopInfo;
  let woo2: ShopInfo;
  let shopify: ShopInfo;
  const api = () => t.http();
  const admin = () => bearer(t.adminToken);

  const orderIdOf = async (shopId: string, platformOrderId: string): Promise<string> =>
    (await t.db.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]))[0].id;
  const sendWoo = async (shop: ShopInfo, topic: string, body: Record<string, unknown>) => {
    const r = await postWoo(t, shop.id, topic, body, { secret: shop.webhookSecret });
    expect(r.status).toBe(200);
    await processDelivery(t, r.body.id);
  };
  const sendShopify = async (topic: string, body: Record<string, unknown>) => {
    const r = await postShopify(t, shopify.id, topic, body, { secret: shopify.webhookSecret });
    expect(r.status).toBe(200);
    await processDelivery(t, r.body.id);
  };

  /** A WooCommerce order of a Chinese customer: 小红 (first_name) 王 (last_name), phone written "+86 138 0013 8000". */
  const chineseWooOrder = (spec: Parameters<typeof wooOrder>[0] = {}) => {
    const o = wooOrder({ status: 'processing', lines: [{ sku: 'Bar3', title: 'Ship Your Idea &ndash; Color: Black', quantity: 1, price: '12.00' }], ...spec });
    for (const k of ['billing', 'shipping'] as const) {
      Object.assign(o.body[k] as Record<string, unknown>, { first_name: '小红', last_name: '王', phone: '+86 138 0013 8000', address_1: '文三路 90 号 &amp; 2 栋' });
    }
    o.body.customer_note = '请放门口&hellip;谢谢';
    return o;
  };

  let wooOrderId: string;
  let wooPlatformId: number;

  beforeAll(async () => {
    t = await startTestApp();
    woo = await createShop(t, { platform: 'woocommerce' });
    woo2 = await createShop(t, { platform: 'woocommerce' });
    shopify = await createShop(t, { platform: 'shopify' });
    const o = chineseWooOrder();
    await sendWoo(woo, 'order.created', o.body);
    wooPlatformId = o.id;
    wooOrderId = await orderIdOf(woo.id, String(o.id));
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('names and titles', () => {
    it('WooCommerce: entities decoded in the line title, address and note; the Chinese name family name first', async () => {
      const o = (await api().get(`/api/v1/orders/${wooOrderId}`).set(admin())).body;
      expect(o.lines.map((l: { title: string }) => l.title)).toEqual(['Ship Your Idea – Color: Black']);
      expect(o.customer).toEqual({ name: '王小红', phone: '+86 138 0013 8000', phoneE164: '+8613800138000', email: 'li.si@example.com' });
      expect(o.shippingAddress.address).toBe('文三路 90 号 & 2 栋');
      expect(o.note).toBe('请放门口…谢谢');
    });

    it('Shopify: three variants of one product read by `name` (title with variant), as in the documented order', async () => {
      const s = shopifyOrder({ financialStatus: 'paid', phone: '13700000009' });
      const colours = [['466157049', 'green'], ['518995019', 'red'], ['703073504', 'black']];
      const [template] = s.body.line_items as Array<Record<string, unknown>>;
      s.body.line_items = colours.map(([id, colour]) => ({
        ...template, id: Number(id), variant_id: 39072856, sku: `IPOD2008${colour.toUpperCase()}`,
        title: 'IPod Nano - 8gb', variant_title: colour, name: `IPod Nano - 8gb - ${colour}`, price: '199.00', quantity: 1,
      }));
      Object.assign(s.body, { total_line_items_price: '597.00', subtotal_price: '597.00', total_price: '597.00' });
      await sendShopify('orders/create', s.body);
      const o = (await api().get(`/api/v1/orders/${await orderIdOf(shopify.id, s.id)}`).set(admin())).body;
      expect(o.lines.map((l: { title: string; platformLineId: string }) => [l.platformLineId, l.title])).toEqual([
        ['466157049', 'IPod Nano - 8gb - green'],
        ['518995019', 'IPod Nano - 8gb - red'],
        ['703073504', 'IPod Nano - 8gb - black'],
      ]);
      // shipping_address first_name 三, last_name 张 → 张三
      expect(o.customer).toMatchObject({ name: '张三', phoneE164: '+8613700000009' });
    });
  });

  describe('phones: search finds an order by any common spelling', () => {
    it.each(['13800138000', '+86 138 0013 8000', '138-0013-8000', '+8613800138000', '86 13800138000'])('?q=%s', async (q) => {
      const res = await api().get('/api/v1/orders').query({ q }).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([wooOrderId]);
    });

    it('another number finds nothing; a non-phone q still finds by order number', async () => {
      expect((await api().get('/api/v1/orders').query({ q: '138 0013 8001' }).set(admin())).body.items).toEqual([]);
      expect((await api().get('/api/v1/orders').query({ q: String(wooPlatformId) }).set(admin())).body.items.map((i: { id: string }) => i.id)).toEqual([wooOrderId]);
    });

    it('the E.164 column is indexed for the search', async () => {
      // On a tiny table the planner prefers a scan; with scans off the index must serve the query.
      await t.db.transaction(async (m) => {
        await m.query('SET LOCAL enable_seqscan = off');
        const [p] = await m.query(`EXPLAIN (FORMAT JSON) SELECT id FROM orders WHERE merchant_id = $1 AND customer_phone_e164 IN ('+8613800138000')`, [t.merchantId]);
        expect(JSON.stringify(p)).toContain('orders_phone_e164_idx');
      });
    });
  });

  describe('ids people have', () => {
    it('GET /orders/{platform id} → 404 that names the lookup; by-platform-id finds it, also by order number', async () => {
      const wrong = await api().get(`/api/v1/orders/${wooPlatformId}`).set(admin());
      expect(wrong.status).toBe(404);
      expect(wrong.body.message).toContain(`GET /api/v1/orders/by-platform-id/${wooPlatformId}`);
      expect(wrong.body.message).toContain(`?q=${wooPlatformId}`);

      const found = await api().get(`/api/v1/orders/by-platform-id/${wooPlatformId}`).set(admin());
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id: wooOrderId, platformOrderId: String(wooPlatformId) });

      const s = shopifyOrder({ financialStatus: 'paid', name: '#7001', phone: '13700000010' });
      await sendShopify('orders/create', s.body);
      const sid = await orderIdOf(shopify.id, s.id);
      for (const ref of [s.id, '%237001', '7001']) {
        const r = await api().get(`/api/v1/orders/by-platform-id/${ref}`).set(admin());
        expect([ref, r.status, r.body.id]).toEqual([ref, 200, sid]);
      }
      // a Shopify id beyond 2^53 where a uuid is expected
      const big = await api().get(`/api/v1/orders/${s.id}`).set(admin());
      expect(big.body.message).toContain(`by-platform-id/${s.id}`);
    });

    it('two shops with the same platform id: 409 listing both; ?shopId= picks one; unknown → 404; other merchant → 404', async () => {
      const o = chineseWooOrder({ id: 820982911 });
      await sendWoo(woo, 'order.created', o.body);
      await sendWoo(woo2, 'order.created', o.body);
      const both = await api().get('/api/v1/orders/by-platform-id/820982911').set(admin());
      expect(both.status).toBe(409);
      expect(both.body.message).toContain('?shopId=');
      expect(both.body.details.matches.map((m: { shopId: string }) => m.shopId).sort()).toEqual([woo.id, woo2.id].sort());
      const one = await api().get('/api/v1/orders/by-platform-id/820982911').query({ shopId: woo2.id }).set(admin());
      expect(one.body).toMatchObject({ id: await orderIdOf(woo2.id, '820982911'), shopId: woo2.id });

      const none = await api().get('/api/v1/orders/by-platform-id/999999999999').set(admin());
      expect(none.status).toBe(404);
      expect(none.body.message).toContain('GET /api/v1/orders?q=999999999999');
      const other = await createOtherMerchant(t);
      expect((await api().get(`/api/v1/orders/by-platform-id/${wooPlatformId}`).set(bearer(other.adminToken))).status).toBe(404);
      expect((await api().get('/api/v1/orders/by-platform-id/820982911').query({ shopId: 'abc' }).set(admin())).status).toBe(400);
    });

    it('any uuid path parameter: a non-uuid answers 404 naming the expected form (one rule for every controller)', async () => {
      const cases: Array<[string, string]> = [
        ['/api/v1/returns/RMA-1', 'return RMA-1 not found: return ids are UUIDs'],
        ['/api/v1/refunds/42', 'refund 42 not found: refund ids are UUIDs'],
        ['/api/v1/logistics-exceptions/x', 'logistics exception x not found: logistics exception ids are UUIDs'],
        ['/api/v1/webhook-deliveries/7', 'webhook delivery 7 not found: webhook delivery ids are UUIDs'],
        ['/api/v1/refund-channels/my-shop', 'shop my-shop not found: shop ids are UUIDs'],
        ['/api/v1/shops/not-a-uuid', 'shop not-a-uuid not found: shop ids are UUIDs'],
      ];
      for (const [path, message] of cases) {
        const r = await api().get(path).set(admin());
        expect([path, r.status, r.body.message.slice(0, message.length)]).toEqual([path, 404, message]);
      }
      // POST actions too, and before any body validation; no token is still 401
      const act = await api().post('/api/v1/orders/1001/audit').set(admin()).send({ bogus: 1 });
      expect([act.status, act.body.message]).toEqual([404, expect.stringContaining('by-platform-id/1001')]);
      expect((await api().get('/api/v1/orders/1001')).status).toBe(401);
    });

    it('orderId in a return or refund body: a platform order id or number when one order has it; otherwise a message naming the lookup', async () => {
      const agent = await createStaff(t, Role.Agent);
      const ret = await api().post('/api/v1/returns').set(bearer(agent.token))
        .send({ orderId: String(wooPlatformId), type: 'refund_only', reason: 'not_as_described', requestedAmount: 500 });
      expect(ret.status).toBe(201);
      expect(ret.body.orderId).toBe(wooOrderId);

      const supervisor = await createStaff(t, Role.Supervisor);
      const refund = await api().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: `#${wooPlatformId}`, amount: 100, reason: '快递延误补偿', manual: true });
      expect(refund.status).toBe(201);
      expect(refund.body.orderId).toBe(wooOrderId);

      const ambiguous = await api().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: '820982911', type: 'refund_only', reason: 'quality', requestedAmount: 100 });
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.body.details.matches).toHaveLength(2);
      const unknown = await api().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: '820982911946154600', type: 'refund_only', reason: 'quality', requestedAmount: 100 });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain('GET /api/v1/orders?q=');
    });
  });

  describe('validation words (SPEC §4)', () => {
    it('a missing required field says "<field> is required" once', async () => {
      const agent = await createStaff(t, Role.Agent);
      const r = await api().post('/api/v1/returns').set(bearer(agent.token)).send({ requestedAmount: 100 });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([
        { field: 'orderId', errors: ['orderId is required'] },
        { field: 'type', errors: ['type is required'] },
        { field: 'reason', errors: ['reason is required'] },
      ]);
      const ship = await api().post(`/api/v1/orders/${wooOrderId}/ship`).set(admin()).send({ carrier: 'SF' });
      expect(ship.body.details).toEqual([{ field: 'trackingNo', errors: ['trackingNo is required'] }]);
      // a field that is there but wrong still says what is wrong
      const bad = await api().post(`/api/v1/orders/${wooOrderId}/ship`).set(admin()).send({ carrier: 'SF', trackingNo: '!' });
      expect(bad.body.details).toEqual([{ field: 'trackingNo', errors: ['trackingNo must be 4–50 letters, digits or dashes'] }]);
    });
  });
});
