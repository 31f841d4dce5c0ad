import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { CalendarService } from '../../src/kernel/calendar/calendar.service.js';
import { FINANCE_BATCH_TIMES, nextFinanceBatch } from '../../src/orders/finance-batch.js';
import { bearer, createOtherMerchant, createShop, createStaff, newOrder, newShop, type StaffLogin } from '../support/factories.js';
import { postShopify, postWoo, processDelivery, shopifyOrder, type ShopifyOrderSpec, wooOrder, type WooOrderSpec } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ShopInfo = { id: string; webhookSecret: string };

describe('orders: the procedure of SPEC §5 over HTTP', () => {
  let t: TestApp;
  let shopify: ShopInfo;
  let woo: ShopInfo;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let warehouse: StaffLogin;

  beforeAll(async () => {
    t = await startTestApp();
    [shopify, woo] = await Promise.all([createShop(t, { platform: 'shopify' }), createShop(t, { platform: 'woocommerce' })]);
    [agent, supervisor, finance, warehouse] = await Promise.all([
      createStaff(t, Role.Agent),
      createStaff(t, Role.Supervisor),
      createStaff(t, Role.Finance),
      createStaff(t, Role.Warehouse),
    ]);
    const cov = await t
      .http()
      .put('/api/v1/settings/carrier-coverage')
      .set(bearer(t.adminToken))
      .send({ carriers: [{ carrier: 'SF', provinces: ['广东省', '浙江', '北京市'] }, { carrier: 'EMS', provinces: ['新疆', 'Guangdong'] }] });
    expect(cov.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const orderRow = async (shopId: string, platformOrderId: string) =>
    (await t.db.query('SELECT * FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]))[0];

  /** Sends a Shopify delivery and processes it; returns our order id. */
  const shopifyDelivery = async (topic: string, spec: ShopifyOrderSpec) => {
    const { id, body } = shopifyOrder(spec);
    const res = await postShopify(t, shopify.id, topic, body, { secret: shopify.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    return { platformId: id, orderId: (await orderRow(shopify.id, id))?.id as string };
  };
  const wooDelivery = async (topic: string, spec: WooOrderSpec) => {
    const { id, body } = wooOrder(spec);
    const res = await postWoo(t, woo.id, topic, body, { secret: woo.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    return { platformId: id, orderId: (await orderRow(woo.id, String(id)))?.id as string };
  };
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/orders/${id}/${action}`).set(bearer(token)).send(body);
  const detail = async (id: string, token = t.adminToken) => {
    const r = await t.http().get(`/api/v1/orders/${id}`).set(bearer(token));
    expect(r.status).toBe(200);
    return r.body;
  };

  /** An order in a given status, driven there through webhooks and the API. */
  const orderIn = async (status: string): Promise<string> => {
    if (status === 'pending_payment') return (await shopifyDelivery('orders/create', {})).orderId;
    const { orderId } = await shopifyDelivery('orders/create', { financialStatus: 'paid' });
    if (status === 'paid') return orderId;
    if (status === 'on_hold') return (await act(agent.token, orderId, 'hold', { reason: 'customer_contact_needed' })).body.id;
    if (status === 'cancelled') return (await act(supervisor.token, orderId, 'cancel', { reason: 'test' })).body.id;
    expect((await act(agent.token, orderId, 'audit', { carrier: 'SF' })).status).toBe(200);
    if (status === 'audited') return orderId;
    expect((await act(finance.token, orderId, 'confirm')).status).toBe(200);
    if (status === 'confirmed') return orderId;
    expect((await act(warehouse.token, orderId, 'ship', { carrier: 'SF', trackingNo: `SF${Date.now()}${Math.floor(Math.random() * 1e6)}` })).status).toBe(200);
    return orderId;
  };

  it('registers the order machine at /api/v1/meta/state-machines', async () => {
    const res = await t.http().get('/api/v1/meta/state-machines').set(bearer(agent.token));
    const m = res.body.find((x: { name: string }) => x.name === 'order');
    expect(m.collection).toBe('orders');
    expect(m.states.map((s: { name: string }) => s.name)).toEqual(['pending_payment', 'paid', 'on_hold', 'audited', 'confirmed', 'shipped', 'delivered', 'completed', 'cancelled']);
    expect(m.actions.find((a: { name: string }) => a.name === 'audit').guards).toEqual(['throwIfItemsInconsistent', 'throwIfAmountMismatch', 'throwIfCarrierDoesNotServe', 'throwIfCodNotConfirmed']);
    expect(m.diagram).toContain('confirmed --> shipped: ship');
  });

  it('Shopify: created → paid (webhooks) → audited → confirmed → shipped, with lines, shipment, timeline and allowedActions', async () => {
    const created = new Date();
    const { platformId, orderId } = await shopifyDelivery('orders/create', {
      createdAt: created,
      lines: [
        { sku: 'CUP-1', title: '保温杯', quantity: 2, price: '99.50' },
        { sku: 'LID-1', title: '杯盖', quantity: 1, price: '0.10' },
      ],
      shipping: '12.00',
      discount: '10.00',
    });
    let o = await detail(orderId);
    expect(o).toMatchObject({
      status: 'pending_payment', platform: 'shopify', platformOrderId: platformId, paymentMethod: 'prepaid', currency: 'CNY',
      itemsAmount: 19910, discountAmount: 1000, shippingAmount: 1200, totalAmount: 20110,
      customer: { name: '张三', phone: '13800138000', email: 'jon@example.com' },
      shippingAddress: { province: 'Guangdong', city: '深圳市', postcode: '518057' },
      allowedActions: ['cancel'],
    });
    expect(o.lines).toEqual([
      expect.objectContaining({ lineNo: 1, sku: 'CUP-1', title: '保温杯', quantity: 2, unitPrice: 9950, amount: 19900 }),
      expect.objectContaining({ lineNo: 2, sku: 'LID-1', quantity: 1, unitPrice: 10, amount: 10 }),
    ]);
    expect(new Date(o.dueAt).getTime()).toBe(new Date(created.toISOString()).getTime() + 20 * 60_000);

    await shopifyDelivery('orders/paid', {
      id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), financialStatus: 'paid',
      lines: [{ sku: 'CUP-1', title: '保温杯', quantity: 2, price: '99.50' }, { sku: 'LID-1', title: '杯盖', quantity: 1, price: '0.10' }], shipping: '12.00', discount: '10.00',
    });
    o = await detail(orderId, agent.token);
    expect(o).toMatchObject({ status: 'paid', dueAt: null, allowedActions: ['audit', 'hold'] });

    const audited = await act(agent.token, orderId, 'audit', { carrier: 'SF', expectedVersion: o.version, note: '审单通过' });
    expect(audited.status).toBe(200);
    expect(audited.body).toMatchObject({ status: 'audited', carrier: 'SF' });
    // [002] finance batches at 12:00 and 16:00 shop time
    const auditEvent = audited.body.timeline.find((e: { action: string }) => e.action === 'audit');
    const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, 'Asia/Shanghai');
    expect(audited.body.dueAt).toBe(nextFinanceBatch(new Date(auditEvent.at), 'Asia/Shanghai', FINANCE_BATCH_TIMES, (d) => cal.isWorkingDay(d)).toISOString());
    const local = new Date(new Date(audited.body.dueAt).getTime() + 8 * 3600_000);
    expect([12, 16]).toContain(local.getUTCHours());

    const confirmed = await act(finance.token, orderId, 'confirm');
    expect(confirmed.body.status).toBe('confirmed');
    const shipped = await act(warehouse.token, orderId, 'ship', { carrier: 'SF', trackingNo: 'SF1234567890123' });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    expect(shipped.body.shipments).toEqual([expect.objectContaining({ carrier: 'shunfeng', carrierName: 'SF', trackingNo: 'SF1234567890123', destProvince: 'Guangdong', status: 'pending_pickup', source: 'order' })]);
    expect(shipped.body.timeline.map((e: { action: string; from: string | null; to: string }) => [e.action, e.from, e.to])).toEqual([
      ['create', null, 'pending_payment'],
      ['pay', 'pending_payment', 'paid'],
      ['audit', 'paid', 'audited'],
      ['confirm', 'audited', 'confirmed'],
      ['ship', 'confirmed', 'shipped'],
    ]);
    expect(shipped.body.timeline[1].actor).toEqual({ type: 'platform', id: null });
    expect(shipped.body.timeline[2]).toMatchObject({ note: '审单通过', actor: { type: 'staff', id: agent.id } });
    expect(shipped.body.relatedCases).toEqual([]);
  });

  it('WooCommerce: pending → processing (paid) → audited → confirm-batch → shipped', async () => {
    const created = new Date();
    const { platformId, orderId } = await wooDelivery('order.created', { createdAt: created, status: 'pending' });
    expect((await detail(orderId)).status).toBe('pending_payment');
    await wooDelivery('order.updated', { id: platformId, createdAt: created, modifiedAt: new Date(created.getTime() + 2000), status: 'processing' });
    const o = await detail(orderId);
    expect(o).toMatchObject({
      status: 'paid', orderNumber: String(platformId), itemsAmount: 600, shippingAmount: 1000, totalAmount: 1600,
      customer: { name: '李四', phone: '13900139000', email: 'li.si@example.com' },
      shippingAddress: { country: 'CN', province: '浙江', city: '杭州市' },
    });
    expect((await act(agent.token, orderId, 'audit', { carrier: 'sf' })).status).toBe(200);
    const other = await orderIn('audited');
    const batch = await t.http().post('/api/v1/orders/confirm-batch').set(bearer(finance.token)).send({ orderIds: [orderId, other] });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ confirmed: 2, failed: 0 });
    expect(batch.body.results.map((r: { order: { status: string } }) => r.order.status)).toEqual(['confirmed', 'confirmed']);
    const shipped = await act(warehouse.token, orderId, 'ship', { carrier: 'SF', trackingNo: 'SF-WOO-0001' });
    expect(shipped.body.status).toBe('shipped');
  });

  it('confirm-batch confirms what it can and reports each failure', async () => {
    const audited = await orderIn('audited');
    const paid = await orderIn('paid');
    const other = await createOtherMerchant(t);
    const res = await t.http().post('/api/v1/orders/confirm-batch').set(bearer(finance.token)).send({ orderIds: [audited, paid, '00000000-0000-4000-8000-000000000000'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ confirmed: 1, failed: 2 });
    expect(res.body.results[1]).toMatchObject({ orderId: paid, confirmed: false, error: { statusCode: 409 } });
    expect(res.body.results[2].error.statusCode).toBe(404);
    expect((await t.http().post('/api/v1/orders/confirm-batch').set(bearer(agent.token)).send({ orderIds: [audited] })).status).toBe(403);
    expect((await t.http().post('/api/v1/orders/confirm-batch').set(bearer(other.adminToken)).send({ orderIds: [audited] })).body.results[0].error.statusCode).toBe(404);
    expect((await t.http().post('/api/v1/orders/confirm-batch').set(bearer(finance.token)).send({ orderIds: [] })).status).toBe(400);
  });

  it('audit is refused with a clear 422 when the carrier does not serve the province; hold with the reason, release, another carrier', async () => {
    const { orderId } = await shopifyDelivery('orders/create', { financialStatus: 'paid', province: 'Xinjiang' });
    const refused = await act(agent.token, orderId, 'audit', { carrier: 'SF' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe('Refused: carrier SF does not serve the destination province Xinjiang; choose another carrier or hold the order (address_not_covered)');
    expect(refused.body.details).toMatchObject({ suggestedHoldReason: 'address_not_covered', carrier: 'SF', province: 'Xinjiang' });
    const unknown = await act(agent.token, orderId, 'audit', { carrier: 'ZTO' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toContain('carrier ZTO has no coverage list');
    expect((await act(agent.token, orderId, 'audit')).body.message).toContain('choose the carrier');
    const row = await t.db.query('SELECT status, version FROM orders WHERE id = $1', [orderId]);
    expect(row[0]).toEqual({ status: 'paid', version: 1 });

    expect((await act(agent.token, orderId, 'hold', {})).status).toBe(400);
    expect((await act(agent.token, orderId, 'hold', { reason: 'other' })).status).toBe(400);
    const held = await act(agent.token, orderId, 'hold', { reason: 'address_not_covered', note: '新疆 SF 不到' });
    expect(held.body).toMatchObject({ status: 'on_hold', holdReason: 'address_not_covered' });
    const released = await act(agent.token, orderId, 'release');
    expect(released.body).toMatchObject({ status: 'paid', holdReason: null });
    const ok = await act(agent.token, orderId, 'audit', { carrier: 'EMS' });
    expect(ok.body).toMatchObject({ status: 'audited', carrier: 'EMS' });
    // shipping with another carrier re-checks its coverage
    await act(finance.token, orderId, 'confirm');
    const wrong = await act(warehouse.token, orderId, 'ship', { carrier: 'SF', trackingNo: 'SF999999' });
    expect(wrong.status).toBe(422);
  });

  it('audit refuses items or amounts that do not agree', async () => {
    const { orderId } = await shopifyDelivery('orders/create', { financialStatus: 'paid', total: '150.00' });
    const res = await act(agent.token, orderId, 'audit', { carrier: 'SF' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('but the total is 15000');
    expect(res.body.details.suggestedHoldReason).toBe('amount_mismatch');
    await t.db.query('UPDATE order_lines SET quantity = 0 WHERE order_id = $1', [orderId]);
    const items = await act(agent.token, orderId, 'audit', { carrier: 'SF' });
    expect(items.status).toBe(422);
    expect(items.body.details.suggestedHoldReason).toBe('items_mismatch');
  });

  it('[004] cash on delivery: enters the audit at once, but audit needs a logged confirmation call with the customer\'s yes', async () => {
    const { orderId } = await wooDelivery('order.created', { status: 'processing', paymentMethod: 'cod', paidAt: null });
    const o = await detail(orderId);
    expect(o).toMatchObject({ status: 'paid', paymentMethod: 'cod', paidAt: null });
    expect(o.timeline[0].data.cashOnDelivery).toBe(true);
    const refused = await act(agent.token, orderId, 'audit', { carrier: 'SF' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('confirmation call');
    const call1 = await t.http().post(`/api/v1/orders/${orderId}/confirmation-calls`).set(bearer(agent.token)).send({ outcome: 'no_answer' });
    expect(call1.status).toBe(201);
    expect((await act(agent.token, orderId, 'audit', { carrier: 'SF' })).status).toBe(422);
    await t.http().post(`/api/v1/orders/${orderId}/confirmation-calls`).set(bearer(agent.token)).send({ outcome: 'confirmed', note: '客户确认地址和金额' });
    const audited = await act(agent.token, orderId, 'audit', { carrier: 'SF' });
    expect(audited.status).toBe(200);
    expect(audited.body.confirmationCalls.map((c: { outcome: string }) => c.outcome)).toEqual(['no_answer', 'confirmed']);
    expect(audited.body.timeline.filter((e: { action: string }) => e.action === 'confirmation-call')).toHaveLength(2);
    expect((await t.http().post(`/api/v1/orders/${orderId}/confirmation-calls`).set(bearer(warehouse.token)).send({ outcome: 'confirmed' })).status).toBe(403);
    expect((await t.http().post(`/api/v1/orders/${orderId}/confirmation-calls`).set(bearer(agent.token)).send({ outcome: 'maybe' })).status).toBe(400);
  });

  describe('illegal transitions answer 409 and change nothing', () => {
    const staffActions: Array<[string, () => StaffLogin, object]> = [
      ['audit', () => agent, { carrier: 'SF' }],
      ['hold', () => agent, { reason: 'other', note: 'x' }],
      ['release', () => agent, {}],
      ['confirm', () => finance, {}],
      ['ship', () => warehouse, { carrier: 'SF', trackingNo: 'SF-ILLEGAL-1' }],
      ['cancel', () => supervisor, { reason: 'x' }],
    ];
    const allowedFrom: Record<string, string[]> = {
      audit: ['paid'], hold: ['paid'], release: ['on_hold'], confirm: ['audited'], ship: ['confirmed'],
      cancel: ['pending_payment', 'paid', 'on_hold', 'audited', 'confirmed'],
    };
    const statuses = ['pending_payment', 'paid', 'on_hold', 'audited', 'confirmed', 'shipped', 'cancelled'];
    const cases = statuses.flatMap((s) => staffActions.filter(([a]) => !allowedFrom[a].includes(s)).map(([a, who, body]) => [s, a, who, body] as const));

    it.each(cases)('%s: %s → 409', async (status, action, who, body) => {
      const id = await orderIn(status);
      const [before] = await t.db.query('SELECT status, version FROM orders WHERE id = $1', [id]);
      const res = await act(who().token, id, action, body);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain(`status ${status}`);
      expect(res.body.details.status).toBe(status);
      const [after] = await t.db.query('SELECT status, version FROM orders WHERE id = $1', [id]);
      expect(after).toEqual(before);
    });

    it('a stale expectedVersion answers 409', async () => {
      const id = await orderIn('paid');
      const res = await act(agent.token, id, 'audit', { carrier: 'SF', expectedVersion: 7 });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('version 1');
    });
  });

  describe('wrong roles answer 403', () => {
    const cases: Array<[string, string, () => StaffLogin, object]> = [
      ['paid', 'audit', () => warehouse, { carrier: 'SF' }],
      ['paid', 'audit', () => finance, { carrier: 'SF' }],
      ['paid', 'hold', () => warehouse, { reason: 'other', note: 'x' }],
      ['paid', 'hold', () => finance, { reason: 'other', note: 'x' }],
      ['on_hold', 'release', () => warehouse, {}],
      ['on_hold', 'release', () => finance, {}],
      ['audited', 'confirm', () => agent, {}],
      ['audited', 'confirm', () => supervisor, {}],
      ['audited', 'confirm', () => warehouse, {}],
      ['confirmed', 'ship', () => agent, { carrier: 'SF', trackingNo: 'SF-ROLE-1' }],
      ['confirmed', 'ship', () => finance, { carrier: 'SF', trackingNo: 'SF-ROLE-1' }],
      ['paid', 'cancel', () => agent, { reason: 'x' }],
      ['paid', 'cancel', () => finance, { reason: 'x' }],
      ['paid', 'cancel', () => warehouse, { reason: 'x' }],
      ['pending_payment', 'pay', () => supervisor, {}],
      ['paid', 'platform-ship', () => supervisor, {}],
      ['shipped', 'deliver', () => supervisor, {}],
      ['shipped', 'platform-cancel', () => supervisor, {}],
    ];
    it.each(cases)('%s: %s by the wrong role → 403', async (status, action, who, body) => {
      const id = await orderIn(status);
      const res = await act(who().token, id, action, body);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(new RegExp(`may not ${action}`));
      expect((await t.db.query('SELECT status FROM orders WHERE id = $1', [id]))[0].status).toBe(status);
    });

    it('complete (timer only) → 403 to the admin; unknown actions 404; another merchant 404', async () => {
      const id = await orderIn('paid');
      expect((await act(t.adminToken, id, 'complete')).status).toBe(403);
      expect((await act(t.adminToken, id, 'explode')).status).toBe(404);
      const other = await createOtherMerchant(t);
      expect((await act(other.adminToken, id, 'audit', { carrier: 'SF' })).status).toBe(404);
      expect((await t.http().get(`/api/v1/orders/${id}`).set(bearer(other.adminToken))).status).toBe(404);
      expect((await t.http().get('/api/v1/orders/not-a-uuid').set(bearer(agent.token))).status).toBe(404);
      expect((await t.http().put('/api/v1/settings/carrier-coverage').set(bearer(agent.token)).send({ carriers: [] })).status).toBe(403);
    });
  });

  describe('platform facts win', () => {
    it('a platform-reported shipment moves a paid order past audit and confirmation, recording the skipped steps; delivery and completion follow', async () => {
      const created = new Date(Date.now() - 60_000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: created, financialStatus: 'paid' });
      await shopifyDelivery('orders/fulfilled', {
        id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), financialStatus: 'paid', fulfillmentStatus: 'fulfilled',
        fulfillments: [{ company: 'SF Express', number: 'SF7000000001' }],
      });
      let o = await detail(orderId);
      expect(o.status).toBe('shipped');
      const ev = o.timeline.find((e: { action: string }) => e.action === 'platform-ship');
      expect(ev).toMatchObject({ from: 'paid', to: 'shipped', actor: { type: 'platform' }, data: { platformFact: 'shipped', skippedSteps: ['audit', 'confirm'] } });
      expect(o.shipments).toEqual([expect.objectContaining({ carrier: 'shunfeng', carrierName: 'SF Express', trackingNo: 'SF7000000001', source: 'platform' })]);

      const deliveredAt = new Date(created.getTime() + 2000);
      await shopifyDelivery('orders/updated', {
        id: platformId, createdAt: created, updatedAt: deliveredAt, financialStatus: 'paid', fulfillmentStatus: 'fulfilled',
        fulfillments: [{ company: 'SF Express', number: 'SF7000000001', shipmentStatus: 'delivered' }, { company: 'SF Express', number: 'SF7000000002', shipmentStatus: 'delivered' }],
      });
      o = await detail(orderId);
      expect(o.status).toBe('delivered');
      // a tracking number the platform added after shipping is registered too
      expect(o.shipments.map((s: { trackingNo: string }) => s.trackingNo)).toEqual(['SF7000000001', 'SF7000000002']);
      // SPEC §5: completes 15 days after delivery
      const due = new Date(o.dueAt);
      expect(due.getTime() - deliveredAt.getTime()).toBe(15 * 24 * 3600_000);
      const sweeper = t.app.get(DueSweeper);
      await sweeper.sweep(new Date(due.getTime() - 60_000));
      expect((await detail(orderId)).status).toBe('delivered');
      await sweeper.sweep(new Date(due.getTime() + 1000));
      o = await detail(orderId);
      expect(o.status).toBe('completed');
      expect(o.timeline.at(-1)).toMatchObject({ action: 'complete', actor: { type: 'system' } });
    });

    it('a shipment reported for an unpaid order skips pay, audit and confirm', async () => {
      const created = new Date(Date.now() - 60_000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: created });
      await shopifyDelivery('orders/fulfilled', { id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), fulfillmentStatus: 'fulfilled' });
      const o = await detail(orderId);
      expect(o.status).toBe('shipped');
      expect(o.timeline.find((e: { action: string }) => e.action === 'platform-ship').data.skippedSteps).toEqual(['pay', 'audit', 'confirm']);
      expect(o.shipments).toEqual([]);
    });

    it('WooCommerce "completed" with Shipment Tracking items ships the order with its tracking number', async () => {
      const created = new Date(Date.now() - 60_000);
      const { platformId, orderId } = await wooDelivery('order.created', { createdAt: created, status: 'processing' });
      await wooDelivery('order.updated', { id: platformId, createdAt: created, modifiedAt: new Date(created.getTime() + 1000), status: 'completed', tracking: [{ provider: 'YTO', number: 'YT9000000001' }] });
      const o = await detail(orderId);
      expect(o.status).toBe('shipped');
      expect(o.shipments).toEqual([expect.objectContaining({ carrier: 'yuantong', carrierName: 'YTO', trackingNo: 'YT9000000001', destProvince: '浙江', source: 'platform' })]);
    });

    it('a platform cancellation moves the order from any pre-shipment state; supervisors may cancel too', async () => {
      const created = new Date(Date.now() - 60_000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: created, financialStatus: 'paid' });
      await act(agent.token, orderId, 'audit', { carrier: 'SF' });
      await shopifyDelivery('orders/cancelled', { id: platformId, createdAt: created, updatedAt: new Date(created.getTime() + 1000), financialStatus: 'refunded', cancelledAt: new Date() });
      const o = await detail(orderId);
      expect(o).toMatchObject({ status: 'cancelled', cancelReason: 'customer', allowedActions: [] });
      expect(o.timeline.at(-1)).toMatchObject({ action: 'cancel', from: 'audited', actor: { type: 'platform' } });
      const byStaff = await act(supervisor.token, await orderIn('confirmed'), 'cancel', { reason: '客户要求取消' });
      expect(byStaff.body).toMatchObject({ status: 'cancelled', cancelReason: '客户要求取消' });
    });
  });

  describe('[002] 值班流失单: an order unpaid for 20 minutes gets a follow-up task', () => {
    const sweepAt = async (orderId: string) => (await t.db.query(`SELECT next_sweep_at FROM case_index WHERE machine = 'order' AND case_id = $1`, [orderId]))[0]?.next_sweep_at ?? null;
    const sweep = (at: Date) => t.app.get(DueSweeper).sweep(at);

    it('the due sweeper follows up at placement + 20 min: one task, once', async () => {
      const placed = new Date(Date.now() - 1000);
      const { orderId } = await shopifyDelivery('orders/create', { createdAt: placed, name: '#U-1' });
      const due = new Date(await sweepAt(orderId));
      expect(due.getTime()).toBe(new Date(placed.toISOString()).getTime() + 20 * 60_000);
      await sweep(new Date(due.getTime() - 60_000)); // too early: nothing
      const tasksOf = async () => (await t.http().get(`/api/v1/tasks?subjectId=${orderId}`).set(bearer(agent.token))).body.items;
      expect(await tasksOf()).toEqual([]);
      await Promise.all([sweep(due), sweep(due)]);
      await sweep(due); // at least once: no second task
      const tasks = await tasksOf();
      expect(tasks).toEqual([expect.objectContaining({ kind: 'unpaid_order_follow_up', subjectType: 'order', subjectId: orderId, status: 'open', title: 'Follow up unpaid order #U-1', shopId: shopify.id })]);
      const listed = await t.http().get('/api/v1/tasks?kind=unpaid_order_follow_up&status=open').set(bearer(agent.token));
      expect(listed.body.items.map((x: { subjectId: string }) => x.subjectId)).toContain(orderId);
      const o = await detail(orderId);
      expect(o.timeline.filter((e: { action: string }) => e.action === 'follow-up-unpaid')).toEqual([
        expect.objectContaining({ from: 'pending_payment', to: 'pending_payment', actor: { type: 'system', id: null } }),
      ]);
      expect(await sweepAt(orderId)).toBeNull();
    });

    it('no task when the order got paid first; paying closes an open one', async () => {
      const placed = new Date(Date.now() - 1000);
      const { platformId, orderId } = await shopifyDelivery('orders/create', { createdAt: placed });
      const due = new Date(await sweepAt(orderId));
      await shopifyDelivery('orders/paid', { id: platformId, createdAt: placed, updatedAt: new Date(), financialStatus: 'paid' });
      expect(await sweepAt(orderId)).toBeNull();
      await sweep(due);
      expect((await t.http().get(`/api/v1/tasks?subjectId=${orderId}`).set(bearer(agent.token))).body.items).toEqual([]);

      const second = await shopifyDelivery('orders/create', { createdAt: placed });
      await sweep(new Date(await sweepAt(second.orderId)));
      await shopifyDelivery('orders/paid', { id: second.platformId, createdAt: placed, updatedAt: new Date(), financialStatus: 'paid' });
      const tasks = (await t.http().get(`/api/v1/tasks?subjectId=${second.orderId}`).set(bearer(agent.token))).body.items;
      expect(tasks).toEqual([expect.objectContaining({ status: 'done' })]);
    });

    it('no timer for orders created paid or cash on delivery', async () => {
      const paid = await shopifyDelivery('orders/create', { financialStatus: 'paid' });
      const cod = await wooDelivery('order.created', { status: 'processing', paymentMethod: 'cod', paidAt: null });
      expect(await sweepAt(paid.orderId)).toBeNull();
      expect(await sweepAt(cod.orderId)).toBeNull();
    });
  });

  describe('read API', () => {
    it('lists with filters: shop, status, date range, search by order number, phone and tracking no.', async () => {
      const placed = new Date('2025-01-15T03:00:00Z');
      const a = await shopifyDelivery('orders/create', { createdAt: placed, name: '#FIND-1', phone: '13611112222', financialStatus: 'paid' });
      const list = (q: string) => t.http().get(`/api/v1/orders?${q}`).set(bearer(agent.token));
      const ids = async (q: string) => {
        const r = await list(q);
        expect(r.status).toBe(200);
        return r.body.items.map((o: { id: string }) => o.id);
      };
      expect(await ids('q=%23FIND-1')).toEqual([a.orderId]);
      expect(await ids('q=FIND-1')).toEqual([a.orderId]);
      expect(await ids('q=13611112222')).toEqual([a.orderId]);
      expect(await ids(`q=${a.platformId}`)).toEqual([a.orderId]);
      await act(agent.token, a.orderId, 'audit', { carrier: 'SF' });
      await act(finance.token, a.orderId, 'confirm');
      await act(warehouse.token, a.orderId, 'ship', { carrier: 'SF', trackingNo: 'SFFIND0001' });
      expect(await ids('q=SFFIND0001')).toEqual([a.orderId]);
      expect(await ids('from=2025-01-15T00:00:00Z&to=2025-01-16T00:00:00Z')).toEqual([a.orderId]);
      expect(await ids(`shopId=${woo.id}&q=13611112222`)).toEqual([]);
      expect(await ids(`shopId=${shopify.id}&status=shipped&q=13611112222`)).toEqual([a.orderId]);
      expect(await ids('status=cancelled&q=13611112222')).toEqual([]);
      // pages of a shop of its own: three orders, two and one
      const own = await newShop(t);
      const mine = [await newOrder(t, { shop: own }), await newOrder(t, { shop: own }), await newOrder(t, { shop: own })].map((o) => o.id);
      const page = await list(`limit=2&shopId=${own.id}`);
      expect(page.body.items).toHaveLength(2);
      const next = await list(`limit=2&shopId=${own.id}&cursor=${page.body.nextCursor}`);
      expect(next.body.items).toHaveLength(1);
      expect([...page.body.items, ...next.body.items].map((o: { id: string }) => o.id).sort()).toEqual(mine.sort());
      expect((await list('status=nope')).status).toBe(400);
      expect((await list('from=yesterday')).status).toBe(400);
      expect((await list('unknown=1')).status).toBe(400);
      const other = await createOtherMerchant(t);
      expect((await t.http().get('/api/v1/orders').set(bearer(other.adminToken))).body.items).toEqual([]);
    });

    it('rejects unknown fields and malformed bodies on actions (400)', async () => {
      const id = await orderIn('paid');
      expect((await act(agent.token, id, 'audit', { carrier: 'SF', extra: 1 })).status).toBe(400);
      expect((await act(agent.token, id, 'hold', { reason: 'bored' })).status).toBe(400);
      expect((await act(agent.token, id, 'audit', { expectedVersion: 'one' })).status).toBe(400);
      const c = await orderIn('confirmed');
      expect((await act(warehouse.token, c, 'ship', { carrier: 'SF', trackingNo: 'bad tracking' })).status).toBe(400);
      expect((await act(warehouse.token, c, 'ship', { carrier: 'SF' })).status).toBe(400);
    });

    it('one tracking number is one parcel', async () => {
      const a = await orderIn('confirmed');
      const b = await orderIn('confirmed');
      expect((await act(warehouse.token, a, 'ship', { carrier: 'SF', trackingNo: 'SFDUP0001' })).status).toBe(200);
      const dup = await act(warehouse.token, b, 'ship', { carrier: 'sf', trackingNo: 'SFDUP0001' });
      expect(dup.status).toBe(422);
      expect(dup.body.message).toContain('already used');
    });

    it('settings: coverage list validated; order settings change the completion delay', async () => {
      expect((await t.http().put('/api/v1/settings/carrier-coverage').set(bearer(t.adminToken)).send({ carriers: [{ carrier: 'SF', provinces: ['广东'] }, { carrier: 'sf', provinces: [] }] })).status).toBe(400);
      expect((await t.http().get('/api/v1/settings/carrier-coverage').set(bearer(agent.token))).body.carriers[0]).toEqual({ carrier: 'SF', provinces: ['广东省', '浙江', '北京市'] });
      const s = await t.http().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ completeAfterDays: 7 });
      expect(s.body).toMatchObject({ completeAfterDays: 7 });
      expect((await t.http().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ completeAfterDays: 0 })).status).toBe(400);
      await t.http().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).send({ completeAfterDays: 15 });
    });
  });
});
