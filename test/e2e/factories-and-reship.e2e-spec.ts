import { Role, type Caller } from '../../src/kernel/auth/roles.js';
import { ReshipOrdersService } from '../../src/orders/reship-orders.service.js';
import { bearer, newOrder, newReturn, newShipment, newShop, newStaff } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The test factories go through the real API and webhooks; the reship order is an orders service any module calls. */
describe('test factories and ReshipOrdersService', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const detail = async (id: string) => (await t.http().get(`/api/v1/orders/${id}`).set(bearer(t.adminToken))).body;

  it('newOrder reports an order through the signed generic webhook: defaults, overrides and the platform facts', async () => {
    const shop = await newShop(t);
    const paid = await newOrder(t, { shop });
    expect(paid).toMatchObject({ shopId: shop.id, status: 'paid', totalAmount: 19_900, trackingNo: null });
    expect(paid.lineIds).toHaveLength(1);
    const o = await detail(paid.id);
    expect(o.timeline.map((e: { action: string }) => e.action)).toEqual(['create']);
    expect(o.shippingAddress.province).toBe('广东省');

    const two = await newOrder(t, { shop, status: 'shipped', lines: [{ quantity: 2, unitPrice: 1_000 }, { sku: 'LID', title: '杯盖', unitPrice: 500 }], shipping: 800, province: '浙江' });
    expect(two).toMatchObject({ status: 'shipped', totalAmount: 3_300 });
    expect(two.lineIds).toHaveLength(2);
    const shipped = await detail(two.id);
    expect(shipped.shipments).toEqual([expect.objectContaining({ trackingNo: two.trackingNo, carrier: 'shunfeng', source: 'platform' })]);
    expect((await newOrder(t, { shop, status: 'pending_payment' })).status).toBe('pending_payment');
    expect((await newOrder(t, { shop, status: 'delivered' })).status).toBe('delivered');
  });

  it('newShipment, newReturn and newStaff go through the staff API', async () => {
    const order = await newOrder(t);
    const parcel = await newShipment(t, { order, carrier: '圆通' });
    expect(parcel).toMatchObject({ shopId: order.shopId, orderId: order.id, carrier: 'yuantong', status: 'pending_pickup' });
    const agent = await newStaff(t);
    expect(agent.role).toBe(Role.Agent);
    const ret = await newReturn(t, { order, token: agent.token });
    expect(ret).toMatchObject({ status: 'requested', version: 1, orderId: order.id });
    const exchange = await newReturn(t, { type: 'exchange', reason: 'wrong_item' });
    expect(exchange.status).toBe('requested');
  });

  it('createReship: a free paid order of the chosen lines, linked to the original, recorded on its timeline, in the caller\'s transaction', async () => {
    const original = await newOrder(t, { lines: [{ sku: 'A', quantity: 3, unitPrice: 1_000 }, { sku: 'B', quantity: 1, unitPrice: 2_500 }], shipping: 600 });
    const caller: Caller = { type: 'system', merchantId: t.merchantId };
    const source = '00000000-0000-4000-8000-000000000001';
    const reship = await t.db.transaction((m) =>
      t.app.get(ReshipOrdersService).createReship(m, {
        merchantId: t.merchantId, orderId: original.id, reason: 'claim 1: broken', sourceId: source, caller, cost: 1_800,
        lines: [{ orderLineId: original.lineIds[0], quantity: 2 }], data: { claimId: source },
      }),
    );
    expect(reship.orderNumber).toBe(`${original.orderNumber}-R1`);
    const r = await detail(reship.id);
    expect(r).toMatchObject({ status: 'paid', itemsAmount: 2_000, discountAmount: 2_000, totalAmount: 0, shippingAddress: { province: '广东省' } });
    expect((await t.db.query('SELECT reship_of FROM orders WHERE id = $1', [reship.id]))[0].reship_of).toBe(original.id);
    expect(r.lines).toEqual([expect.objectContaining({ sku: 'A', quantity: 2, amount: 2_000 })]);
    const o = await detail(original.id);
    expect(o.timeline.at(-1)).toMatchObject({ action: 'reship-created', data: { reshipOrderId: reship.id, claimId: source, cost: 1_800 } });

    // a line of another order, or more than was ordered: refused, nothing written
    const other = await newOrder(t);
    const attempt = (lines: Array<{ orderLineId: string; quantity: number }>) =>
      t.db.transaction((m) => t.app.get(ReshipOrdersService).createReship(m, { merchantId: t.merchantId, orderId: original.id, reason: 'x', sourceId: other.id, caller, lines }));
    await expect(attempt([{ orderLineId: other.lineIds[0], quantity: 1 }])).rejects.toThrow(/is not a line of order/);
    await expect(attempt([{ orderLineId: original.lineIds[1], quantity: 2 }])).rejects.toThrow(/must be 1..1/);
    expect((await t.db.query('SELECT count(*)::int AS n FROM orders WHERE reship_of = $1', [original.id]))[0].n).toBe(1);
  });
});
