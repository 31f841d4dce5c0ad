import { randomUUID } from 'node:crypto';
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('refund ledger: written once, never above what was paid', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let shopId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [agent, supervisor, finance] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Finance)]);
    shopId = (await createShop(t, { platform: 'generic' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const goodwill = (token: string, body: object) => t.http().post('/api/v1/refunds').set(bearer(token)).send(body);

  it('a supervisor refunds goodwill (shipping included); finance records the manual payment; the refund is final', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 12_345, shipping: 1_000 });
    const res = await goodwill(supervisor.token, { orderId: order.id, amount: 1_500, shippingAmount: 1_000, reason: '快递延误补偿运费' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', amount: 1_500, shippingAmount: 1_000, currency: 'CNY', method: 'manual', executionState: 'manual', source: { type: 'goodwill', id: null } });

    const detail = await t.http().get(`/api/v1/refunds/${res.body.id}`).set(bearer(finance.token));
    expect(detail.body.allowedActions).toEqual(['record-manual', 'record-failure']);
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual(['create']);

    expect((await t.http().post(`/api/v1/refunds/${res.body.id}/record-manual`).set(bearer(agent.token)).send({ externalReference: 'X' })).status).toBe(403);
    const paid = await t.http().post(`/api/v1/refunds/${res.body.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'ALIPAY-2025-0001', expectedVersion: 1 });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', externalReference: 'ALIPAY-2025-0001', version: 2 });
    const again = await t.http().post(`/api/v1/refunds/${res.body.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'ALIPAY-2025-0002' });
    expect(again.status).toBe(409);
  });

  it('only supervisors make goodwill refunds; unknown fields and bad amounts are 400', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 5_000 });
    expect((await goodwill(agent.token, { orderId: order.id, amount: 100, reason: 'x' })).status).toBe(403);
    expect((await goodwill(finance.token, { orderId: order.id, amount: 100, reason: 'x' })).status).toBe(403);
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 1.5, reason: 'x' })).status).toBe(400);
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: '100', reason: 'x' })).status).toBe(400);
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 100, reason: 'x', extra: 1 })).status).toBe(400);
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 100, shippingAmount: 200, reason: 'x' })).status).toBe(400);
    expect((await goodwill(supervisor.token, { orderId: randomUUID(), amount: 100, reason: 'x' })).status).toBe(404);
  });

  it('refuses with 422 a refund above what is left of the paid amount, naming the amounts', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 10_000 });
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 6_000, reason: 'a' })).status).toBe(201);
    const over = await goodwill(supervisor.token, { orderId: order.id, amount: 4_001, reason: 'b' });
    expect(over.status).toBe(422);
    expect(over.body.message).toContain('above the 100.00 paid (40.00 left to refund)');
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 4_000, reason: 'c' })).status).toBe(201);
    const unpaid = await insertPaidOrder(t, shopId, { total: 10_000, paid: false });
    expect((await goodwill(supervisor.token, { orderId: unpaid.id, amount: 1, reason: 'd' })).status).toBe(422);
  });

  it('30 concurrent refund requests on one order never exceed the paid amount; the excess ones get 422', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 10_000 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => goodwill(supervisor.token, { orderId: order.id, amount: 700, reason: `concurrent ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(14); // 14 × 7.00 = 98.00 ≤ 100.00 < 15 × 7.00
    expect(statuses.filter((s) => s === 422)).toHaveLength(16);
    const [sum] = await t.db.query(`SELECT sum(amount)::int AS total, count(*)::int AS n FROM refunds WHERE order_id = $1 AND status IN ('pending','succeeded')`, [order.id]);
    expect(sum).toEqual({ total: 9_800, n: 14 });
  });

  it('a refund row is written once: money columns never change, rows are never deleted, a final status never moves', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 3_000 });
    const r = (await goodwill(supervisor.token, { orderId: order.id, amount: 1_000, reason: 'once' })).body;
    await expect(t.db.query('UPDATE refunds SET amount = 1 WHERE id = $1', [r.id])).rejects.toThrow(/written once/);
    await expect(t.db.query('DELETE FROM refunds WHERE id = $1', [r.id])).rejects.toThrow(/never deleted/);
    await t.http().post(`/api/v1/refunds/${r.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'B-1' }).expect(200);
    await expect(t.db.query(`UPDATE refunds SET status = 'pending' WHERE id = $1`, [r.id])).rejects.toThrow(/final/);
  });

  it('a failed refund no longer counts; its retry is a new row, and only one retry per failed row', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 2_000 });
    const r = (await goodwill(supervisor.token, { orderId: order.id, amount: 2_000, reason: 'full' })).body;
    expect((await goodwill(supervisor.token, { orderId: order.id, amount: 1, reason: 'more' })).status).toBe(422);
    expect((await t.http().post(`/api/v1/refunds/${r.id}/retry`).set(bearer(finance.token)).send({})).status).toBe(409);
    const failed = await t.http().post(`/api/v1/refunds/${r.id}/record-failure`).set(bearer(finance.token)).send({ reason: 'account closed' });
    expect(failed.body).toMatchObject({ status: 'failed', failureReason: 'account closed' });
    const retried = await t.http().post(`/api/v1/refunds/${r.id}/retry`).set(bearer(finance.token)).send({ note: 'customer gave a new account' });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'pending', amount: 2_000, retryOf: r.id });
    expect(retried.body.id).not.toBe(r.id);
    expect((await t.http().post(`/api/v1/refunds/${r.id}/retry`).set(bearer(finance.token)).send({})).status).toBe(409);
    const list = await t.http().get(`/api/v1/refunds?orderId=${order.id}`).set(bearer(finance.token));
    expect(list.body.items.map((x: { status: string }) => x.status).sort()).toEqual(['failed', 'pending']);
  });

  it('another merchant sees 404 for refunds and orders', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 2_000 });
    const r = (await goodwill(supervisor.token, { orderId: order.id, amount: 100, reason: 'x' })).body;
    const other = await createOtherMerchant(t);
    expect((await t.http().get(`/api/v1/refunds/${r.id}`).set(bearer(other.adminToken))).status).toBe(404);
    expect((await goodwill(other.adminToken, { orderId: order.id, amount: 100, reason: 'x' })).status).toBe(404);
    expect((await t.http().post(`/api/v1/refunds/${r.id}/record-manual`).set(bearer(other.adminToken)).send({ externalReference: 'x' })).status).toBe(404);
  });
});
