import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createShop, createStaff, newOrder, newReturn, newShop, type ShopInfo, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';

describe('return cases over HTTP: every lifecycle, the approval limit, illegal transitions', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let warehouse: StaffLogin;
  let finance: StaffLogin;
  let shopId: string;
  let shop: ShopInfo;

  beforeAll(async () => {
    t = await startTestApp();
    [agent, supervisor, warehouse, finance] = await Promise.all([
      createStaff(t, Role.Agent),
      createStaff(t, Role.Supervisor),
      createStaff(t, Role.Warehouse),
      createStaff(t, Role.Finance),
    ]);
    shop = await createShop(t, { platform: 'generic' });
    shopId = shop.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (token: string, body: object) => t.http().post('/api/v1/returns').set(bearer(token)).send(body);
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/returns/${id}/${action}`).set(bearer(token)).send(body);
  const path = (body: { timeline: Array<{ action: string; from: string | null; to: string }> }) => body.timeline.map((e) => `${e.action}:${e.from ?? ''}>${e.to}`);

  it('refund_only: requested → approved → refunding → refunded when finance records the payment', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 30_000 });
    const c = await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'not_as_described', requestedAmount: 12_000, description: '颜色与描述不符' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ status: 'requested', version: 1, type: 'refund_only', reason: 'not_as_described', requestedAmount: 12_000, currency: 'CNY', assigneeId: agent.id, cost: 0, recovered: 0 });
    expect(c.body.dueAt).not.toBeNull();
    expect(c.body.allowedActions).toEqual(['approve', 'reject', 'cancel', 'assign', 'note']);

    const approved = await act(agent.token, c.body.id, 'approve', { expectedVersion: 1 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedAmount: 12_000, approvedBy: agent.id, version: 2 });

    const refunding = await act(agent.token, c.body.id, 'refund', { amount: 10_000 });
    expect(refunding.status).toBe(200);
    expect(refunding.body.status).toBe('refunding');
    expect(refunding.body.refunds).toHaveLength(1);
    const refund = refunding.body.refunds[0];
    expect(refund).toMatchObject({ status: 'pending', amount: 10_000, source: { type: 'return', id: c.body.id }, method: 'manual', agentId: agent.id });

    await t.http().post(`/api/v1/refunds/${refund.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'WX-778899' }).expect(200);
    const done = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(done.body).toMatchObject({ status: 'refunded', cost: 10_000 });
    expect(path(done.body)).toEqual(['create:>requested', 'approve:requested>approved', 'refund:approved>refunding', 'refund-succeeded:refunding>refunded']);
    expect(done.body.timeline[3].actor).toEqual({ type: 'system', id: null });
    expect(done.body.allowedActions).toEqual(['note']);
  });

  it('return_refund: approve goes straight to awaiting_return; receive, inspect(pass), refund, refunded', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 20_000, lines: [{ title: '保温杯', sku: 'CUP-1', quantity: 2, unitPrice: 10_000 }] });
    const c = await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 10_000, lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
    expect(c.status).toBe(201);
    expect(c.body.lines).toEqual([
      {
        id: expect.any(String), orderLineId: order.lineIds[0], lineNo: 1, platformLineId: null, sku: 'CUP-1', title: '保温杯', quantity: 1, reason: 'quality',
        customerNote: null, platformReturnLineId: null, restocked: 0, damaged: 0, missing: null,
      },
    ]);
    const a = await act(agent.token, c.body.id, 'approve');
    expect(a.body.status).toBe('awaiting_return');
    expect((await act(agent.token, c.body.id, 'refund')).status).toBe(409);
    expect((await act(agent.token, c.body.id, 'receive', { returnTrackingNo: 'YT1' })).status).toBe(403);
    const r = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT9988776655', returnCarrier: '圆通' });
    expect(r.body).toMatchObject({ status: 'received', returnTrackingNo: 'YT9988776655', returnCarrier: '圆通' });
    // Without per-line counts the whole parcel counts as restocked.
    expect(r.body.lines[0]).toMatchObject({ restocked: 1, damaged: 0, missing: 0 });
    expect(r.body.receivedAt).not.toBeNull();
    const i = await act(warehouse.token, c.body.id, 'inspect', { result: 'pass', inspectionNote: '未拆封' });
    expect(i.body).toMatchObject({ status: 'inspected', inspectionResult: 'pass' });
    expect((await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token))).body.allowedActions).toEqual(['refund', 'close', 'assign', 'note']);
    expect((await act(agent.token, c.body.id, 'reject', { reason: 'no' })).status).toBe(422);
    expect((await act(warehouse.token, c.body.id, 'ship-exchange', { carrier: 'SF', trackingNo: 'SF1' })).status).toBe(422);
    const f = await act(agent.token, c.body.id, 'refund', { amount: 10_001 });
    expect(f.status).toBe(422);
    const refunding = await act(agent.token, c.body.id, 'refund');
    expect(refunding.body.status).toBe('refunding');
    await t.http().post(`/api/v1/refunds/${refunding.body.refunds[0].id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'BANK-1' }).expect(200);
    const done = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(done.body).toMatchObject({ status: 'refunded', cost: 10_000 });
    expect(path(done.body)).toEqual([
      'create:>requested',
      'approve:requested>awaiting_return',
      'receive:awaiting_return>received',
      'inspect:received>inspected',
      'refund:inspected>refunding',
      'refund-succeeded:refunding>refunded',
    ]);
  });

  it('exchange: approve → awaiting_return → received → inspected(pass) → exchange_shipped (shipment created) → completed', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 8_800 });
    const bad = await create(agent.token, { orderId: order.id, type: 'exchange', reason: 'wrong_item', requestedAmount: 100, lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
    expect(bad.status).toBe(400);
    const c = await create(agent.token, { orderId: order.id, type: 'exchange', reason: 'wrong_item', lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
    expect(c.status).toBe(201);
    expect(c.body.requestedAmount).toBe(0);
    expect((await act(agent.token, c.body.id, 'approve')).body.status).toBe('awaiting_return');
    await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'ZTO-1' }).expect(200);
    await act(warehouse.token, c.body.id, 'inspect', { result: 'pass' }).expect(200);
    expect((await act(agent.token, c.body.id, 'refund')).status).toBe(422);
    const shipped = await act(warehouse.token, c.body.id, 'ship-exchange', { carrier: '韵达', trackingNo: `YD${Date.now()}` });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('exchange_shipped');
    const [shipment] = await t.db.query('SELECT order_id, carrier, carrier_name FROM shipments WHERE id = $1', [shipped.body.exchangeShipmentId]);
    // filed by logistics (the one writer of shipments) under the canonical code, the name kept beside it (SPEC §6)
    expect(shipment).toEqual({ order_id: order.id, carrier: 'yunda', carrier_name: '韵达' });
    const done = await act(agent.token, c.body.id, 'complete');
    expect(done.body.status).toBe('completed');
    expect(path(done.body).map((p: string) => p.split(':')[0])).toEqual(['create', 'approve', 'receive', 'inspect', 'ship-exchange', 'complete']);
  });

  it('a failed inspection goes back to the agent, who rejects it with a reason', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 5_000 });
    const c = await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'changed_mind', requestedAmount: 5_000, lines: [{ orderLineId: order.lineIds[0], quantity: 2 }] });
    await act(agent.token, c.body.id, 'approve').expect(200);
    await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT2' }).expect(200);
    expect((await act(warehouse.token, c.body.id, 'inspect', { result: 'fail' })).status).toBe(400);
    const i = await act(warehouse.token, c.body.id, 'inspect', { result: 'fail', inspectionNote: '商品已使用' });
    expect(i.body.allowedActions).toEqual(['note']);
    const ai = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(ai.body.allowedActions).toEqual(['reject', 'close', 'assign', 'note']);
    expect((await act(agent.token, c.body.id, 'refund')).status).toBe(422);
    expect((await act(agent.token, c.body.id, 'reject', {})).status).toBe(400);
    const r = await act(agent.token, c.body.id, 'reject', { reason: '商品已使用，不符合退货条件' });
    expect(r.body).toMatchObject({ status: 'rejected', rejectReason: '商品已使用，不符合退货条件' });
  });

  it('approval limit: an agent approves up to 500.00; above it 403 naming the limit, a supervisor may; the limit is configurable', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 100_000 });
    const c = await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 80_000 });
    const denied = await act(agent.token, c.body.id, 'approve');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('approving 800.00 needs a supervisor: agents may approve up to 500.00');
    const partial = await act(agent.token, c.body.id, 'approve', { amount: 50_000 });
    expect(partial.status).toBe(200);
    expect(partial.body.approvedAmount).toBe(50_000);

    const c2 = await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 30_000 });
    expect((await act(supervisor.token, c2.body.id, 'approve', { amount: 30_001 })).status).toBe(422);
    expect((await act(supervisor.token, c2.body.id, 'approve')).body.status).toBe('approved');

    expect((await t.http().put('/api/v1/settings/returns').set(bearer(agent.token)).send({ agentApprovalLimit: 1 })).status).toBe(403);
    const set = await t.http().put('/api/v1/settings/returns').set(bearer(t.adminToken)).send({ agentApprovalLimit: 10_000 });
    expect(set.body).toEqual({ agentApprovalLimit: 10_000 });
    const c3 = await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 10_001 });
    expect((await act(agent.token, c3.body.id, 'approve')).body.message).toBe('approving 100.01 needs a supervisor: agents may approve up to 100.00');
    await t.http().put('/api/v1/settings/returns').set(bearer(t.adminToken)).send({ agentApprovalLimit: 50_000 }).expect(200);
  });

  it('cancel from requested/approved/awaiting_return only; wrong roles 403; stale version 409', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 9_000 });
    const c = await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'logistics', requestedAmount: 1_000, lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
    expect((await act(warehouse.token, c.body.id, 'approve')).status).toBe(403);
    expect((await act(agent.token, c.body.id, 'receive', { returnTrackingNo: 'x' })).status).toBe(403);
    const illegal = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'x' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.message).toContain('status requested');
    await act(agent.token, c.body.id, 'approve').expect(200);
    expect((await act(agent.token, c.body.id, 'cancel', { expectedVersion: 1 })).status).toBe(409);
    const cancelled = await act(agent.token, c.body.id, 'cancel', { reason: '买家撤销申请', expectedVersion: 2 });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '买家撤销申请', dueAt: null });
    expect((await act(agent.token, c.body.id, 'cancel')).status).toBe(409);
    expect((await act(agent.token, c.body.id, 'explode')).status).toBe(404);
  });

  it('refuses bad registrations: lines missing or foreign, quantities too high, amounts above what is left', async () => {
    const order = await newOrder(t, { shop, lines: [{ quantity: 2, unitPrice: 2_000 }] });
    const other = await newOrder(t, { shop, lines: [{ quantity: 2, unitPrice: 2_000 }] });
    expect((await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 100 })).status).toBe(400);
    expect((await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'quality' })).status).toBe(400);
    expect((await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'bored', requestedAmount: 1 })).status).toBe(400);
    expect((await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 100, lines: [{ orderLineId: other.lineIds[0], quantity: 1 }] })).status).toBe(422);
    expect((await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 100, lines: [{ orderLineId: order.lineIds[0], quantity: 3 }] })).status).toBe(422);
    expect((await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'quality', requestedAmount: 4_001 })).status).toBe(422);
    expect((await create(warehouse.token, { orderId: order.id, type: 'refund_only', reason: 'quality', requestedAmount: 1 })).status).toBe(403);
    const tenant = await createOtherMerchant(t);
    expect((await create(tenant.adminToken, { orderId: order.id, type: 'refund_only', reason: 'quality', requestedAmount: 1 })).status).toBe(404);
  });

  it('the refund action is refused (422) and nothing changes when the order is already refunded in full', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 6_000 });
    const c = await create(agent.token, { orderId: order.id, type: 'refund_only', reason: 'missing_item', requestedAmount: 6_000 });
    await act(agent.token, c.body.id, 'approve').expect(200);
    await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: order.id, amount: 1_000, reason: 'goodwill first' }).expect(201);
    const res = await act(agent.token, c.body.id, 'refund');
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('50.00 left to refund');
    const after = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(after.body).toMatchObject({ status: 'approved', version: 2, refunds: [] });
    expect((await act(agent.token, c.body.id, 'refund', { amount: 5_000 })).body.status).toBe('refunding');
  });

  it('an open return keeps its delivered order from completing and shows on the order; once it ends the order completes', async () => {
    // the platform reports the order delivered 20 days ago (completion is due after 15)
    const order = await newOrder(t, { shop, status: 'delivered', lines: [{ unitPrice: 8_000 }], placedAt: new Date(Date.now() - 20 * 24 * 3600_000) });
    const c = await create(agent.token, { orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 8_000, lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
    expect(c.status).toBe(201);
    const sweeper = t.app.get(DueSweeper);
    const outcome = async (at: Date) => (await sweeper.sweep(at)).find((r) => r.id === order.id)?.outcome;
    const now = new Date();
    expect(await outcome(now)).toBe('refused');
    const detail = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(detail.body.status).toBe('delivered');
    expect(detail.body.relatedCases).toEqual([expect.objectContaining({ type: 'return', id: c.body.id, status: 'requested', open: true })]);
    expect((await act(agent.token, c.body.id, 'cancel', {})).status).toBe(200);
    // looked at again after the retry delay (10 min)
    expect(await outcome(new Date(now.getTime() + 60_000))).toBeUndefined();
    expect(await outcome(new Date(now.getTime() + 11 * 60_000))).toBe('fired');
    const after = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(after.body.status).toBe('completed');
    expect(after.body.relatedCases).toEqual([expect.objectContaining({ id: c.body.id, status: 'cancelled', open: false })]);
  });

  it('lists with filters and cursor; serves the machine at /meta/state-machines', async () => {
    // its own cases, in a shop of its own: three refunds and an exchange
    const own = await newShop(t);
    const mine = [];
    for (let k = 0; k < 3; k++) mine.push((await newReturn(t, { order: await newOrder(t, { shop: own }) })).id);
    await newReturn(t, { type: 'exchange', order: await newOrder(t, { shop: own }) });
    const list = await t.http().get(`/api/v1/returns?limit=2&type=refund_only&shopId=${own.id}`).set(bearer(agent.token));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.every((r: { type: string }) => r.type === 'refund_only')).toBe(true);
    const next = await t.http().get(`/api/v1/returns?limit=2&type=refund_only&shopId=${own.id}&cursor=${list.body.nextCursor}`).set(bearer(agent.token));
    expect(next.body.items).toHaveLength(1);
    expect([...list.body.items, ...next.body.items].map((r: { id: string }) => r.id).sort()).toEqual(mine.sort());
    expect((await t.http().get('/api/v1/returns?status=nope').set(bearer(agent.token))).status).toBe(400);
    const meta = await t.http().get('/api/v1/meta/state-machines').set(bearer(agent.token));
    const m = meta.body.find((x: { name: string }) => x.name === 'return');
    expect(m.actions.find((a: { name: string }) => a.name === 'approve')).toMatchObject({ to: ['approved', 'awaiting_return'], guards: ['throwIfAboveRequested', 'throwIfOverApprovalLimit'] });
    expect(meta.body.find((x: { name: string }) => x.name === 'refund')).toBeDefined();
  });
});
