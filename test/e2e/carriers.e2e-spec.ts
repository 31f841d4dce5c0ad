import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Role } from '../../src/kernel/auth/roles.js';
import { SHIPPED_CARRIERS } from '../../src/carriers/carrier-registry.js';
import { DEFAULT_CARRIERS } from '../../src/carriers/default-carriers.js';
import { beijingTime, genericSignature, kuaidi100Param, kuaidi100Sign } from '../support/carriers.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { postShopify, processDelivery, shopifyOrder, type ShopifyOrderSpec, postWoo, wooOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const OK = '{"result": true, "returnCode": "200", "message": "ok"}';
const HOUR = 3600_000;
const number = (prefix: string) => `${prefix}${Date.now().toString().slice(-8)}${randomBytes(3).toString('hex').toUpperCase()}`;

/** A name as people type it: any case per letter, stray spaces and punctuation between characters. */
const spelling = (name: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      fc.array(fc.constantFrom('', '', '', ' ', '  ', '-', '.', '·'), { minLength: name.length + 1, maxLength: name.length + 1 }),
    )
    .map(([upper, seps]) => seps[0] + [...name].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase()) + seps[i + 1]).join(''))
    .filter((s) => s.trim().length > 0 && s.length <= 100);

describe('carrier identity, origin, late pushes and scan previews (SPEC §6)', () => {
  let t: TestApp;
  let shopify: Awaited<ReturnType<typeof createShop>>;
  let woo: Awaited<ReturnType<typeof createShop>>;
  let plain: Awaited<ReturnType<typeof createShop>>;
  let supervisor: StaffLogin;
  let agent: StaffLogin;

  beforeAll(async () => {
    // Scheduled scans and sweeps would race the explicit runs below.
    t = await startTestApp({ env: { LOGISTICS_SCAN_CRON: '0 0 1 1 *', CARRIER_POLL_CRON: '0 0 1 1 *' } });
    [shopify, woo, plain] = await Promise.all([
      createShop(t, { platform: 'shopify' }),
      createShop(t, { platform: 'woocommerce' }),
      createShop(t),
    ]);
    [supervisor, agent] = await Promise.all([createStaff(t, Role.Supervisor), createStaff(t, Role.Agent)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = () => t.http();

  const pushKuaidi100 = (shop: { id: string; trackingSalt: string }, o: Parameters<typeof kuaidi100Param>[0]) => {
    const param = kuaidi100Param(o);
    return api().post(`/webhooks/carriers/kuaidi100/${shop.id}`).type('form').send({ param, sign: kuaidi100Sign(param, shop.trackingSalt) });
  };
  const pushGeneric = (shop: { id: string; trackingSalt: string }, data: Record<string, unknown>, topic = 'tracking.updated') => {
    const raw = JSON.stringify({ id: `evt-${randomBytes(6).toString('hex')}`, topic, occurredAt: new Date().toISOString(), data });
    return api().post(`/webhooks/carriers/generic/${shop.id}`).set('content-type', 'application/json').set('x-signature', genericSignature(raw, shop.trackingSalt)).send(raw);
  };
  const register = async (shopId: string, carrier: string, trackingNo: string, extra: Record<string, unknown> = {}) => {
    const res = await api().post('/api/v1/shipments').set(bearer(t.adminToken)).send({ shopId, carrier, trackingNo, originProvince: '浙江', destProvince: '广东省', ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; carrier: string; carrierName: string; status: string; events: Array<{ description: string }> };
  };
  const shipment = async (id: string) => (await api().get(`/api/v1/shipments/${id}`).set(bearer(t.adminToken))).body;
  const shipmentOf = async (trackingNo: string) => (await t.db.query('SELECT * FROM shipments WHERE tracking_no = $1', [trackingNo]))[0];
  const casesOf = (shipmentId: string) => t.db.query('SELECT kind, status, source FROM logistics_exceptions WHERE shipment_id = $1', [shipmentId]) as Promise<unknown[]>;
  const shopifyDelivery = async (topic: string, spec: ShopifyOrderSpec) => {
    const { id, body } = shopifyOrder(spec);
    const res = await postShopify(t, shopify.id, topic, body, { secret: shopify.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    const [o] = await t.db.query('SELECT id, status FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopify.id, id]);
    return { platformId: id, orderId: o.id as string };
  };
  /** Bounded wait for what a queued job does (the job runs on the app's own workers). */
  const eventually = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const until = Date.now() + 15_000;
    for (;;) {
      const v = await read();
      if (done(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  describe('one carrier, many names', () => {
    it('a Shopify fulfillment "YTO Express" then a signed Kuaidi100 push com "yuantong" delivers the parcel and the order', async () => {
      const trackingNo = number('YT');
      const created = new Date(Date.now() - 10 * 60_000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: created, financialStatus: 'paid' });
      await shopifyDelivery('orders/fulfilled', {
        id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), financialStatus: 'paid', fulfillmentStatus: 'fulfilled',
        fulfillments: [{ company: 'YTO Express', number: trackingNo }],
      });
      expect(await shipmentOf(trackingNo)).toMatchObject({ carrier: 'yuantong', carrier_name: 'YTO Express', status: 'pending_pickup' });

      const res = await pushKuaidi100(shopify, {
        carrier: 'yuantong', trackingNo, state: '3',
        events: [
          { context: '【深圳市】已揽收', time: beijingTime(new Date(Date.now() - 30 * HOUR)) },
          { context: '【杭州市】已签收，签收人：本人', time: beijingTime(new Date(Date.now() - HOUR)) },
        ],
      });
      expect(res.text).toBe(OK);
      expect(await shipmentOf(trackingNo)).toMatchObject({ carrier: 'yuantong', status: 'delivered', raw_status: '3' });
      expect((await t.db.query('SELECT status FROM orders WHERE id = $1', [orderId]))[0].status).toBe('delivered');
      const [push] = await t.db.query('SELECT carrier, carrier_name, shipment_id, matched_at FROM carrier_pushes WHERE tracking_no = $1', [trackingNo]);
      expect(push).toMatchObject({ carrier: 'yuantong', carrier_name: 'yuantong', shipment_id: expect.any(String), matched_at: expect.any(Date) });
    });

    it('WooCommerce Shipment Tracking "ZTO Express" and a generic push "中通快递" are one carrier', async () => {
      const trackingNo = number('ZT');
      const { body } = wooOrder({ status: 'completed', tracking: [{ provider: 'ZTO Express', number: trackingNo }] });
      const res = await postWoo(t, woo.id, 'order.created', body, { secret: woo.webhookSecret });
      expect(res.status).toBe(200);
      await processDelivery(t, res.body.id);
      expect(await shipmentOf(trackingNo)).toMatchObject({ carrier: 'zhongtong', carrier_name: 'ZTO Express' });
      const push = await pushGeneric(woo, { carrier: '中通快递', trackingNo, events: [{ time: new Date(Date.now() - HOUR).toISOString(), description: '派件中', status: 'out_for_delivery' }] });
      expect(push.body).toMatchObject({ matched: true, status: 'out_for_delivery' });
    });

    it('property: any name of any shipped carrier, in any case and spacing, on the parcel and on the push, reaches the parcel', async () => {
      const names = DEFAULT_CARRIERS.flatMap((c) => SHIPPED_CARRIERS.namesOf(c.code).map((name) => ({ name, code: c.code })));
      const byCode = new Map<string, string[]>();
      for (const n of names) byCode.set(n.code, [...(byCode.get(n.code) ?? []), n.name]);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names).chain(({ code }) =>
            fc.record({
              code: fc.constant(code),
              registeredAs: fc.constantFrom(...byCode.get(code)!).chain(spelling),
              pushedAs: fc.constantFrom(...byCode.get(code)!).chain(spelling),
              kuaidi100: fc.boolean(),
            }),
          ),
          async ({ code, registeredAs, pushedAs, kuaidi100 }) => {
            const trackingNo = number('PT');
            const s = await register(plain.id, registeredAs, trackingNo);
            expect({ registeredAs, carrier: s.carrier }).toEqual({ registeredAs, carrier: code });
            const at = new Date(Date.now() - 2 * HOUR);
            const res = kuaidi100
              ? await pushKuaidi100(plain, { carrier: pushedAs, trackingNo, state: '0', events: [{ context: '运输中', time: beijingTime(at) }] })
              : await pushGeneric(plain, { carrier: pushedAs, trackingNo, events: [{ time: at.toISOString(), description: '运输中', status: 'in_transit' }] });
            expect(res.status).toBe(200);
            const after = await shipment(s.id);
            expect({ registeredAs, pushedAs, status: after.status, events: after.events.length }).toEqual({ registeredAs, pushedAs, status: 'in_transit', events: 1 });
          },
        ),
        { numRuns: 40 },
      );
    });

    it('keeps an unknown carrier as given (its slug), never refuses it, and a merchant alias added later files it under the new code', async () => {
      const trackingNo = number('AC');
      const s = await register(plain.id, 'Acme Post', trackingNo);
      expect(s).toMatchObject({ carrier: 'acmepost', carrierName: 'Acme Post' });
      const pushed = await pushGeneric(plain, { carrier: 'ACME-post', trackingNo, events: [{ time: new Date(Date.now() - HOUR).toISOString(), description: 'picked up' }] });
      expect(pushed.body).toMatchObject({ matched: true });

      const bad = await api().put('/api/v1/carriers/acme').set(bearer(supervisor.token)).send({ aliases: ['Acme Post'] });
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ field: 'displayName', errors: ['displayName is required for a carrier that is not shipped'] }]);
      const put = await api().put('/api/v1/carriers/acme').set(bearer(supervisor.token)).send({ displayName: 'Acme', aliases: ['Acme Post', 'ACME 快递'] });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ code: 'acme', displayName: 'Acme', merchantAliases: ['Acme Post', 'ACME 快递'], shipped: false });
      expect((await shipment(s.id)).carrier).toBe('acme');
      const again = await pushGeneric(plain, { carrier: 'acme快递', trackingNo, events: [{ time: new Date(Date.now() - 60_000).toISOString(), description: 'delivered', status: 'delivered' }] });
      expect(again.body).toMatchObject({ matched: true, status: 'delivered' });
    });

    it('the registry API: list, resolve, merchant aliases (admin/supervisor only), one meaning per name', async () => {
      const list = await api().get('/api/v1/carriers').set(bearer(agent.token));
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(expect.arrayContaining([
        expect.objectContaining({ code: 'yuantong', displayName: 'YTO Express', chineseName: '圆通速递', shortCode: 'YTO', shipped: true }),
        expect.objectContaining({ code: 'jtexpress', displayName: 'J&T Express', chineseName: '极兔速递', shortCode: 'JT' }),
      ]));
      const resolved = await api().get('/api/v1/carriers/resolve').query({ name: 's.f. EXPRESS' }).set(bearer(agent.token));
      expect(resolved.body).toMatchObject({ code: 'shunfeng', known: true, carrier: { displayName: 'SF Express' } });

      expect((await api().put('/api/v1/carriers/yuantong').set(bearer(agent.token)).send({ aliases: ['YT HZ'] })).status).toBe(403);
      const put = await api().put('/api/v1/carriers/yuantong').set(bearer(supervisor.token)).send({ aliases: ['YT Hangzhou', '圆通杭州仓'] });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ code: 'yuantong', displayName: 'YTO Express', merchantAliases: ['YT Hangzhou', '圆通杭州仓'] });
      expect((await api().get('/api/v1/carriers/resolve').query({ name: 'yt-hangzhou' }).set(bearer(agent.token))).body.code).toBe('yuantong');

      const taken = await api().put('/api/v1/carriers/yuantong').set(bearer(t.adminToken)).send({ aliases: ['SF'] });
      expect(taken.status).toBe(422);
      expect(taken.body.details).toEqual({ conflicts: [{ name: 'SF', carrier: 'shunfeng' }] });
      const upper = await api().put('/api/v1/carriers/YTO').set(bearer(t.adminToken)).send({ aliases: [] });
      expect(upper.status).toBe(400);
      expect(upper.body.message).toContain('YTO is a name of yuantong');
      const stolen = await api().put('/api/v1/carriers/sf').set(bearer(t.adminToken)).send({ displayName: 'Not SF' });
      expect(stolen.status).toBe(422);
      // nothing changed by the refused edits
      expect((await api().get('/api/v1/carriers/resolve').query({ name: 'SF' }).set(bearer(agent.token))).body.code).toBe('shunfeng');
    });
  });

  describe('Kuaidi100 carrier corrections (autoCheck)', () => {
    it('a push tracked under the corrected code finds the parcel by the old code and files it under the new one', async () => {
      const trackingNo = number('98');
      const s = await register(plain.id, 'YTO Express', trackingNo);
      // the notice: Kuaidi100 stopped the old subscription and re-subscribed under the right carrier
      const notice = await pushKuaidi100(plain, {
        carrier: 'yuantong', trackingNo, state: '0', status: 'abort', message: '3天查询无记录', events: [],
        correction: { autoCheck: '0', comOld: '', comNew: 'youzhengguonei' },
      });
      expect(notice.text).toBe(OK);
      expect(await casesOf(s.id)).toEqual([]);
      expect((await shipment(s.id)).carrier).toBe('youzhengguonei');

      const trackingNo2 = number('99');
      const s2 = await register(plain.id, '圆通速递', trackingNo2);
      const res = await pushKuaidi100(plain, {
        carrier: 'ems', trackingNo: trackingNo2, state: '0', events: [{ context: '【广州市】已收寄', time: beijingTime(new Date(Date.now() - 3 * HOUR)) }],
        correction: { autoCheck: '1', comOld: 'yuantong', comNew: 'ems' },
      });
      expect(res.text).toBe(OK);
      const after = await shipment(s2.id);
      expect(after).toMatchObject({ carrier: 'ems', carrierName: '圆通速递', status: 'in_transit' });
      const [push] = await t.db.query('SELECT carrier, previous_carrier, result FROM carrier_pushes WHERE tracking_no = $1', [trackingNo2]);
      expect(push).toMatchObject({ carrier: 'ems', previous_carrier: 'yuantong', result: expect.objectContaining({ carrierCorrected: { from: 'yuantong', to: 'ems' } }) });
      // later pushes name only the new code and still reach it
      const next = await pushKuaidi100(plain, { carrier: 'ems', trackingNo: trackingNo2, state: '3', events: [{ context: '已签收', time: beijingTime(new Date(Date.now() - HOUR)) }] });
      expect(next.text).toBe(OK);
      expect((await shipment(s2.id)).status).toBe('delivered');
    });
  });

  describe('pushes before the parcel', () => {
    it('an unmatched push is answered ok, kept and listed, then applied in order when the parcel is registered', async () => {
      const trackingNo = number('JT');
      const t1 = new Date(Date.now() - 20 * HOUR);
      const t2 = new Date(Date.now() - 2 * HOUR);
      const first = await pushKuaidi100(plain, { carrier: 'jtexpress', trackingNo, state: '1', events: [{ context: '已揽收', time: beijingTime(t1) }] });
      const second = await pushKuaidi100(plain, {
        carrier: 'jtexpress', trackingNo, state: '5', events: [{ context: '已揽收', time: beijingTime(t1) }, { context: '派件中', time: beijingTime(t2) }],
      });
      expect([first.text, second.text]).toEqual([OK, OK]);
      const other = await pushGeneric(plain, { carrier: 'Unknown Express', trackingNo: number('UX'), events: [] });
      expect(other.body).toMatchObject({ matched: false });

      const page1 = await api().get('/api/v1/carrier-pushes').query({ matched: false, limit: 2 }).set(bearer(agent.token));
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(2);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const mine = await api().get('/api/v1/carrier-pushes').query({ matched: false, carrier: 'J&T Express', trackingNo }).set(bearer(agent.token));
      expect(mine.body.items).toEqual([
        expect.objectContaining({ provider: 'kuaidi100', carrier: 'jtexpress', trackingNo, matched: false, shipmentId: null, result: expect.objectContaining({ state: '5' }) }),
        expect.objectContaining({ provider: 'kuaidi100', carrier: 'jtexpress', trackingNo, matched: false, result: expect.objectContaining({ state: '1' }) }),
      ]);
      expect((await api().get('/api/v1/carrier-pushes').query({ matched: 'maybe' }).set(bearer(agent.token))).status).toBe(400);

      const s = await register(plain.id, 'J&T Express', trackingNo);
      expect(s.status).toBe('out_for_delivery');
      expect(s.events.map((e) => e.description)).toEqual(['派件中', '已揽收']);
      expect((await api().get('/api/v1/carrier-pushes').query({ matched: false, trackingNo }).set(bearer(agent.token))).body.items).toEqual([]);
      const matched = await api().get('/api/v1/carrier-pushes').query({ matched: true, trackingNo }).set(bearer(agent.token));
      expect(matched.body.items).toEqual([
        expect.objectContaining({ matched: true, shipmentId: s.id, matchedAt: expect.any(String) }),
        expect.objectContaining({ matched: true, shipmentId: s.id, matchedAt: expect.any(String) }),
      ]);
    });

    it('a 签收 push that came before the platform fulfillment delivers the order once the fulfillment arrives', async () => {
      const trackingNo = number('SF');
      const early = await pushKuaidi100(shopify, { carrier: 'shunfeng', trackingNo, state: '3', events: [{ context: '已签收', time: beijingTime(new Date(Date.now() - HOUR)) }] });
      expect(early.text).toBe(OK);
      const created = new Date(Date.now() - 5 * 60_000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: created, financialStatus: 'paid' });
      await shopifyDelivery('orders/fulfilled', {
        id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), financialStatus: 'paid', fulfillmentStatus: 'fulfilled',
        fulfillments: [{ company: 'S.F. Express', number: trackingNo }],
      });
      const order = await eventually(async () => (await t.db.query('SELECT status FROM orders WHERE id = $1', [orderId]))[0].status as string, (s) => s === 'delivered');
      expect(order).toBe('delivered');
      expect(await shipmentOf(trackingNo)).toMatchObject({ carrier: 'shunfeng', status: 'delivered' });
    });
  });

  describe('origin of shipped orders', () => {
    it('a shop\'s ship-from address is set, shown and validated', async () => {
      const created = await api().post('/api/v1/shops').set(bearer(t.adminToken)).send({
        name: '深圳仓店', platform: 'generic', webhookSecret: 'whsec_0123456789', shipFrom: { province: '广东省', city: '深圳市', address: '南山区科技园' },
      });
      expect(created.status).toBe(201);
      expect(created.body.shipFrom).toEqual({ province: '广东省', city: '深圳市', address: '南山区科技园' });
      const bad = await api().patch(`/api/v1/shops/${created.body.id}`).set(bearer(t.adminToken)).send({ shipFrom: { province: '', city: '深圳市' } });
      expect(bad.status).toBe(400);
      const noCity = await api().patch(`/api/v1/shops/${created.body.id}`).set(bearer(t.adminToken)).send({ shipFrom: { province: '广东省' } });
      expect(noCity.status).toBe(400);
      expect((await api().get(`/api/v1/shops/${created.body.id}`).set(bearer(t.adminToken))).body.shipFrom).toEqual({ province: '广东省', city: '深圳市', address: '南山区科技园' });
      const cleared = await api().patch(`/api/v1/shops/${created.body.id}`).set(bearer(t.adminToken)).send({ shipFrom: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.shipFrom).toBeNull();
    });

    it('a Shenzhen → Shenzhen parcel shipped by the order\'s ship action is judged by the 24 h same-province rule', async () => {
      // the merchant-wide setting says 浙江; the shop's own ship-from wins
      await api().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ shipFromProvince: '浙江' });
      const patched = await api().patch(`/api/v1/shops/${shopify.id}`).set(bearer(t.adminToken)).send({ shipFrom: { province: '广东省', city: '深圳市' } });
      expect(patched.status).toBe(200);
      const cov = await api().put('/api/v1/settings/carrier-coverage').set(bearer(t.adminToken)).send({ carriers: [{ carrier: 'SF', provinces: ['广东'] }] });
      expect(cov.status).toBe(200);

      const { orderId } = await shopifyDelivery('orders/create', { financialStatus: 'paid' }); // ships to 深圳市, Guangdong
      const act = (action: string, body: object = {}) => api().post(`/api/v1/orders/${orderId}/${action}`).set(bearer(t.adminToken)).send(body);
      expect((await act('audit', { carrier: 'SF Express' })).status).toBe(200);
      expect((await act('confirm')).status).toBe(200);
      const trackingNo = number('SF');
      const shipped = await act('ship', { carrier: '顺丰速运', trackingNo });
      expect(shipped.status).toBe(200);
      const row = await shipmentOf(trackingNo);
      expect(row).toMatchObject({ carrier: 'shunfeng', carrier_name: '顺丰速运', origin_province: '广东省', dest_province: 'Guangdong', same_province: true, source: 'order' });

      // 25 h after shipping the parcel is stale by the same-province rule (it would not be by the 72 h one)
      const preview = await api().post('/api/v1/logistics/scan').set(bearer(t.adminToken)).send({ asOf: new Date(Date.now() + 25 * HOUR).toISOString() });
      expect(preview.status).toBe(200);
      expect(preview.body.preview).toBe(true);
      expect(preview.body.opened).toEqual(expect.arrayContaining([expect.objectContaining({ shipmentId: row.id, kind: 'stale', description: expect.stringContaining('24 h (same province)') })]));

      await t.db.query(`UPDATE shipments SET created_at = now() - interval '25 hours' WHERE id = $1`, [row.id]);
      const real = await api().post('/api/v1/logistics/scan').set(bearer(t.adminToken)).send({});
      expect(real.body.preview).toBe(false);
      expect(real.body.opened).toEqual(expect.arrayContaining([expect.objectContaining({ shipmentId: row.id, kind: 'stale', description: expect.stringContaining('24 h (same province)') })]));
      await api().patch(`/api/v1/shops/${shopify.id}`).set(bearer(t.adminToken)).send({ shipFrom: null });
    });

    it('a parcel registered by hand without an origin takes the shop\'s ship-from province; none at all is a clear 400', async () => {
      await api().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ shipFromProvince: '浙江' });
      const shop = await createShop(t);
      const trackingNo = number('YD');
      const none = await api().post('/api/v1/shipments').set(bearer(t.adminToken)).send({ shopId: shop.id, carrier: 'Yunda', trackingNo, destProvince: '广东' });
      // the merchant setting (浙江, set above) is the fallback
      expect(none.status).toBe(201);
      expect(none.body.originProvince).toBe('浙江');
      await api().patch(`/api/v1/shops/${shop.id}`).set(bearer(t.adminToken)).send({ shipFrom: { province: '广东', city: '广州市' } });
      const own = await api().post('/api/v1/shipments').set(bearer(t.adminToken)).send({ shopId: shop.id, carrier: 'Yunda', trackingNo: number('YD'), destProvince: '广东省' });
      expect(own.body).toMatchObject({ originProvince: '广东', carrier: 'yunda' });
      expect((await t.db.query('SELECT same_province FROM shipments WHERE id = $1', [own.body.id]))[0].same_province).toBe(true);

      const other = await createOtherMerchant(t);
      const otherShop = await createShop(t, {}, other.adminToken);
      const before = (await t.db.query('SELECT count(*)::int AS n FROM shipments'))[0].n;
      const nowhere = await api().post('/api/v1/shipments').set(bearer(other.adminToken)).send({ shopId: otherShop.id, carrier: 'Yunda', trackingNo: number('YD'), destProvince: '广东省' });
      expect(nowhere.status).toBe(400);
      expect(nowhere.body.details).toEqual([{ field: 'originProvince', errors: [expect.stringContaining('originProvince is required')] }]);
      expect((await t.db.query('SELECT count(*)::int AS n FROM shipments'))[0].n).toBe(before);
    });
  });

  describe('finished parcels are never stale', () => {
    it('an abort push (3天查询无记录) after the 签收 push opens nothing; neither does the scan or a staff report', async () => {
      const trackingNo = number('YD');
      const s = await register(plain.id, '韵达快递', trackingNo);
      const signed = await pushKuaidi100(plain, { carrier: 'yunda', trackingNo, state: '3', events: [{ context: '已签收', time: beijingTime(new Date(Date.now() - 100 * HOUR)) }] });
      expect(signed.text).toBe(OK);
      const abort = await pushKuaidi100(plain, { carrier: 'yunda', trackingNo, state: '3', status: 'abort', message: '3天查询无记录', events: [] });
      expect(abort.text).toBe(OK);
      expect((await shipment(s.id)).status).toBe('delivered');
      expect(await casesOf(s.id)).toEqual([]);

      const scan = await api().post('/api/v1/logistics/scan').set(bearer(t.adminToken)).send({});
      expect(scan.body.opened.map((c: { shipmentId: string }) => c.shipmentId)).not.toContain(s.id);
      const report = await api().post('/api/v1/logistics-exceptions').set(bearer(t.adminToken)).send({ shipmentId: s.id, kind: 'stale' });
      expect(report.status).toBe(422);
      expect(await casesOf(s.id)).toEqual([]);

      // a parcel still travelling does get its stale case from the same abort
      const movingNo = number('YD');
      const moving = await register(plain.id, 'Yunda', movingNo);
      await pushKuaidi100(plain, { carrier: 'yunda', trackingNo: movingNo, state: '0', status: 'abort', message: '3天查询无记录', events: [] });
      expect(await casesOf(moving.id)).toEqual([{ kind: 'stale', status: 'open', source: 'carrier' }]);
    });
  });

  describe('scan preview', () => {
    it('a future asOf lists what would open, in the same shape, and writes nothing', async () => {
      const s = await register(plain.id, 'STO Express', number('ST'));
      const count = async () =>
        (await t.db.query(`SELECT (SELECT count(*) FROM logistics_exceptions)::int AS cases, (SELECT count(*) FROM timeline_events)::int AS timeline,
                                  (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM pgboss.job)::int AS jobs,
                                  (SELECT max(updated_at) FROM shipments) AS shipments_changed`))[0];
      const before = await count();
      const asOf = new Date(Date.now() + 3 * 24 * HOUR);
      const res = await api().post('/api/v1/logistics/scan').set(bearer(t.adminToken)).send({ asOf: asOf.toISOString() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ asOf: asOf.toISOString(), preview: true, count: res.body.opened.length });
      const mine = res.body.opened.find((c: { shipmentId: string }) => c.shipmentId === s.id);
      expect(mine).toMatchObject({ kind: 'stale', status: 'open', source: 'scan', reportedAt: asOf.toISOString(), dueAt: expect.any(String) });
      expect(await count()).toEqual(before);
      expect(await casesOf(s.id)).toEqual([]);
      // the same parcel is still found by a real scan later: the preview reported nothing as "already seen"
      await t.db.query(`UPDATE shipments SET created_at = now() - interval '80 hours' WHERE id = $1`, [s.id]);
      const real = await api().post('/api/v1/logistics/scan').set(bearer(t.adminToken)).send({});
      expect(real.body.opened.map((c: { shipmentId: string }) => c.shipmentId)).toContain(s.id);
      expect(await casesOf(s.id)).toEqual([{ kind: 'stale', status: 'open', source: 'scan' }]);
    });
  });
});
