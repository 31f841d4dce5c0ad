import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { bearer, newOrder, newReturn, newShop, newStaff, type NewOrder, type ShopInfo, type StaffLogin } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MIN = 60_000;
/** A Shanghai wall-clock time of October 2026 as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

/**
 * The agent KPI sheet [002 售前客服绩效核标准] for October 2026 in a Shanghai shop, for two agents
 * whose every component is exercised; the expected figures are worked out by hand in the comments.
 * Orders arrive by signed generic-platform webhooks, contacts, findings and reviews through the
 * API; the month's history the API cannot date in the past (refunds that succeeded, follow-up
 * calls closed, overdue marks) is written as those modules would have left it.
 */
describe('agent KPIs (GET /api/v1/reports/agent-kpis)', () => {
  let t: TestApp;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let warehouse: StaffLogin;
  let a: StaffLogin;
  let b: StaffLogin;
  let c: StaffLogin;
  let shop: ShopInfo;

  const post = (token: string, path: string, body: object) => t.http().post(path).set(bearer(token)).send(body);
  const sheet = (token: string, query: Record<string, string>) => t.http().get('/api/v1/reports/agent-kpis').query(query).set(bearer(token));
  const attribute = (token: string, orderId: string, body: object) => post(token, `/api/v1/orders/${orderId}/attribute`, body);
  const rowOf = (body: { agents: Array<{ agentId: string }> }, agentId: string) => body.agents.find((r) => r.agentId === agentId) as {
    agentId: string; total: number; payFactorPercent: number; components: Array<{ key: string; score: number; inputs: Record<string, unknown> }>;
  };
  const comp = (row: ReturnType<typeof rowOf>, key: string) => row.components.find((x) => x.key === key)!;

  /** A paid order placed (and paid) at `at`, attributed by a contact of `agent` 30 minutes before. */
  const dealOf = async (agent: StaffLogin, at: Date): Promise<NewOrder> => {
    const o = await newOrder(t, { shop, placedAt: at });
    await attribute(agent.token, o.id, { contactedAt: new Date(at.getTime() - 30 * MIN).toISOString() }).expect(200);
    return o;
  };
  const succeededRefund = (o: NewOrder, at: Date) => t.db.query(
    `INSERT INTO refunds (merchant_id, shop_id, order_id, status, version, amount, currency, source_type, reason, method, execution_state, succeeded_at)
     VALUES ($1, $2, $3, 'succeeded', 3, 1000, 'CNY', 'goodwill', 'test', 'manual', 'done', $4)`,
    [t.merchantId, o.shopId, o.id, at],
  );
  const serviceReview = async (rating: number, serviceCaused: boolean, responsible: StaffLogin, at: Date): Promise<string> => {
    const r = await post(supervisor.token, '/api/v1/reviews', { shopId: shop.id, platformReviewId: `R-${randomUUID()}`, rating, content: '客服态度', reviewedAt: at.toISOString() });
    expect(r.status).toBe(201);
    await post(supervisor.token, `/api/v1/reviews/${r.body.id}/log-contact`, { outcome: 'reached', channel: 'phone' }).expect(200);
    await post(supervisor.token, `/api/v1/reviews/${r.body.id}/diagnose`, {
      rootCause: serviceCaused ? 'service' : 'logistics', serviceCaused, ...(serviceCaused ? { responsibleStaffId: responsible.id } : {}),
    }).expect(200);
    return r.body.id as string;
  };
  const followUp = async (agent: StaffLogin, due: Date, closedAt: Date | null): Promise<string> => {
    const status = closedAt ? 'done' : 'open';
    const [f]: Array<{ id: string }> = await t.db.query(
      `INSERT INTO follow_ups (merchant_id, shop_id, status, version, due_at, assignee_id, source_module, source_case_id, source_collection, round,
                               source_version, resolved_at, result, recorded_at, recorded_by)
       VALUES ($1, $2, $3, 2, $4::timestamptz, $5::uuid, 'return', gen_random_uuid(), 'returns', 1, 3, $4::timestamptz, $6, $7::timestamptz, $5::uuid) RETURNING id`,
      [t.merchantId, shop.id, status, due, agent.id, closedAt ? 'satisfied' : null, closedAt],
    );
    await t.db.query(
      `INSERT INTO case_index (machine, case_id, kind, merchant_id, shop_id, status, tags, assignee_id, due_at, opened_at, closed_at, updated_at)
       VALUES ('follow_up', $1, 'record', $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz, $8::timestamptz, COALESCE($8::timestamptz, $7::timestamptz))`,
      [f.id, t.merchantId, shop.id, status, closedAt ? ['closed'] : ['open'], agent.id, due, closedAt],
    );
    return f.id;
  };
  const breach = (agent: StaffLogin, at: Date) => t.db.query(
    `INSERT INTO sla_breaches (merchant_id, shop_id, machine, case_id, status, assignee_id, due_at, marked_at) VALUES ($1, $2, 'return', gen_random_uuid(), 'requested', $3, $4::timestamptz, $4::timestamptz)`,
    [t.merchantId, shop.id, agent.id, at],
  );
  const unpaidTaskOf = async (orderId: string): Promise<string> => {
    const res = await t.http().get('/api/v1/tasks').query({ subjectId: orderId }).set(bearer(supervisor.token)).expect(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0].id as string;
  };

  const ids: Record<string, string | string[]> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    supervisor = await newStaff(t, { role: Role.Supervisor });
    finance = await newStaff(t, { role: Role.Finance });
    warehouse = await newStaff(t, { role: Role.Warehouse });
    a = await newStaff(t, { name: 'A 小安' });
    b = await newStaff(t, { name: 'B 小白' });
    c = await newStaff(t, { name: 'C 小陈' });
    shop = await newShop(t, { timezone: 'Asia/Shanghai' });

    // 六 deals of October (paid at placement): A gets A1–A3 and X, B gets B1–B5 and Y.
    const a1 = await dealOf(a, sh('2026-10-05T10:00:00'));
    await dealOf(a, sh('2026-10-06T10:00:00'));
    await dealOf(a, sh('2026-10-07T10:00:00'));
    // X: A agreed it, B only changed the price → A [002 争议]
    const x = await newOrder(t, { shop, placedAt: sh('2026-10-08T10:00:00') });
    await attribute(a.token, x.id, { contactedAt: sh('2026-10-08T09:00:00').toISOString() }).expect(200);
    await attribute(b.token, x.id, { contactedAt: sh('2026-10-08T09:40:00').toISOString(), assistOnly: true }).expect(200);
    const bDeals: NewOrder[] = [];
    for (let d = 1; d <= 5; d++) bDeals.push(await dealOf(b, sh(`2026-10-1${d}T15:00:00`)));
    // Y: A talked first without closing, the customer came back and closed with B → B
    const y = await newOrder(t, { shop, placedAt: sh('2026-10-20T10:00:00') });
    await attribute(a.token, y.id, { contactedAt: sh('2026-10-20T09:00:00').toISOString() }).expect(200);
    await attribute(b.token, y.id, { contactedAt: sh('2026-10-20T09:40:00').toISOString() }).expect(200);
    Object.assign(ids, { a1: a1.id, x: x.id, y: y.id, b1: bDeals[0].id });
    // Refunds: A1 twice in October (one refunded order), B1 in November (not October's).
    await succeededRefund(a1, sh('2026-10-09T10:00:00'));
    await succeededRefund(a1, sh('2026-10-10T10:00:00'));
    await succeededRefund(bDeals[0], sh('2026-11-02T10:00:00'));

    // 二 unpaid orders: the 20-minute timer puts a follow-up task on the list.
    const u1 = await newOrder(t, { shop, status: 'pending_payment', placedAt: sh('2026-10-10T10:00:00') });
    const u2 = await newOrder(t, { shop, status: 'pending_payment', placedAt: sh('2026-10-11T10:00:00') });
    const u3 = await newOrder(t, { shop, status: 'pending_payment', placedAt: sh('2026-10-12T10:00:00') });
    await t.app.get(DueSweeper).sweep(new Date());
    // U1: the duty task given to A, nobody called → A's
    await post(supervisor.token, `/api/v1/tasks/${await unpaidTaskOf(u1.id)}/assign`, { assigneeId: a.id }).expect(200);
    // U2: task unassigned; A called 30 min after placement (too late) → attributed to A, A's
    await attribute(a.token, u2.id, { contactedAt: new Date(sh('2026-10-11T10:00:00').getTime() + 30 * MIN).toISOString() }).expect(200);
    // U3: the duty task given to B, who called after 10 minutes → not lost
    await post(supervisor.token, `/api/v1/tasks/${await unpaidTaskOf(u3.id)}/assign`, { assigneeId: b.id }).expect(200);
    await attribute(b.token, u3.id, { contactedAt: new Date(sh('2026-10-12T10:00:00').getTime() + 10 * MIN).toISOString() }).expect(200);
    Object.assign(ids, { u1: u1.id, u2: u2.id });

    // 五 reviews left in October: A responsible for a 中评 and a 差评; a 差评 caused by logistics counts for nobody.
    ids.reviews = [await serviceReview(3, true, a, sh('2026-10-03T12:00:00')), await serviceReview(1, true, a, sh('2026-10-04T12:00:00'))];
    await serviceReview(2, false, b, sh('2026-10-05T12:00:00'));

    // 七 audit findings: A one general; B one serious and one general.
    const finding = async (agent: StaffLogin, severity: string, at: Date, orderId: string) => {
      const res = await post(supervisor.token, '/api/v1/audit-findings', { agentId: agent.id, severity, note: `${severity} 审单失误`, orderId, foundAt: at.toISOString() });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    ids.aFinding = await finding(a, 'general', sh('2026-10-15T11:00:00'), a1.id);
    ids.bFindings = [await finding(b, 'serious', sh('2026-10-16T11:00:00'), bDeals[1].id), await finding(b, 'general', sh('2026-10-17T11:00:00'), bDeals[2].id)];

    // 八 follow-up calls: A done the same day, done the next day, never done; B done by its local day's end.
    await followUp(a, sh('2026-10-20T15:00:00'), sh('2026-10-20T23:00:00'));
    ids.aLate = await followUp(a, sh('2026-10-21T15:00:00'), sh('2026-10-22T09:00:00'));
    ids.aOpen = await followUp(a, sh('2026-10-22T15:00:00'), null);
    // due 07:00 Shanghai (23:00Z the day before), done 10:00 Shanghai: on time in shop time, late on a UTC day
    await followUp(b, sh('2026-10-15T07:00:00'), sh('2026-10-15T10:00:00'));

    // SLA: one overdue mark for A, two for B in October.
    await breach(a, sh('2026-10-18T12:00:00'));
    await breach(b, sh('2026-10-18T12:00:00'));
    await breach(b, sh('2026-10-19T12:00:00'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the sheet of two agents: every component with its inputs, C and the pay factor', async () => {
    const res = await sheet(supervisor.token, { month: '2026-10', shopId: shop.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month: '2026-10', from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00', timezone: 'Asia/Shanghai', shopId: shop.id });
    // team: 1 refunded order (A1) / 10 paid deals (A: A1–A3, X; B: B1–B5, Y) = 0.1
    expect(res.body.teamRefundRate).toBe(0.1);
    const ra = rowOf(res.body, a.id);
    const rb = rowOf(res.body, b.id);
    expect(ra.components.map((x) => x.key)).toEqual(['lost_unpaid_orders', 'service_reviews', 'refund_rate', 'audit_errors', 'follow_ups_not_done', 'sla_breaches']);

    // 二 A: U1 (duty task, no call) and U2 (attributed, called after 30 min) → 2 × −0.5 = −1; B: U3 called in time → none, +1
    expect(comp(ra, 'lost_unpaid_orders')).toMatchObject({ score: -1, inputs: { lost: 2 } });
    expect([...(comp(ra, 'lost_unpaid_orders').inputs.orderIds as string[])].sort()).toEqual([ids.u1, ids.u2].sort());
    expect(comp(rb, 'lost_unpaid_orders')).toMatchObject({ score: 1, inputs: { lost: 0, orderIds: [] } });

    // 五 A: 中评 −0.5 + 差评 −1 = −1.5; B: the logistics 差评 is not service-caused → none, +1
    expect(comp(ra, 'service_reviews')).toMatchObject({ score: -1.5, inputs: { neutral: 1, bad: 1 } });
    expect([...(comp(ra, 'service_reviews').inputs.reviewIds as string[])].sort()).toEqual([...(ids.reviews as string[])].sort());
    expect(comp(rb, 'service_reviews')).toMatchObject({ score: 1, inputs: { neutral: 0, bad: 0 } });

    // 六 A: 1/4 = 0.25, 15 points above 0.1 → 150 steps × −0.2 = −30
    //    B: 0/6 = 0 (B1's refund is November's), 10 points below → 100 steps × +0.2 = +20
    expect(comp(ra, 'refund_rate')).toMatchObject({
      score: -30, inputs: { paidOrders: 4, refundedOrders: 1, rate: 0.25, teamRate: 0.1, differencePoints: 15, steps: 150, refundedOrderIds: [ids.a1] },
    });
    expect(comp(rb, 'refund_rate')).toMatchObject({ score: 20, inputs: { paidOrders: 6, refundedOrders: 0, rate: 0, differencePoints: -10, steps: 100 } });

    // 七 A: general −0.5; B: serious −2 + general −0.5 = −2.5
    expect(comp(ra, 'audit_errors')).toMatchObject({ score: -0.5, inputs: { serious: 0, general: 1, findingIds: [ids.aFinding], claimAuditErrorIds: [] } });
    expect(comp(rb, 'audit_errors')).toMatchObject({ score: -2.5, inputs: { serious: 1, general: 1 } });

    // 八 A: 3 due, 2 not done by the end of their day → −0.4; B: done the same Shanghai day → 0
    expect(comp(ra, 'follow_ups_not_done')).toMatchObject({ score: -0.4, inputs: { due: 3, notDone: 2, followUpIds: [ids.aLate, ids.aOpen] } });
    expect(comp(rb, 'follow_ups_not_done')).toMatchObject({ score: 0, inputs: { due: 1, notDone: 0 } });

    // SLA A: 1 × −0.2; B: 2 × −0.2 = −0.4
    expect(comp(ra, 'sla_breaches')).toMatchObject({ score: -0.2, inputs: { breaches: 1 } });
    expect(comp(rb, 'sla_breaches')).toMatchObject({ score: -0.4, inputs: { breaches: 2 } });

    // C: A −1 −1.5 −30 −0.5 −0.4 −0.2 = −33.6 → pay 66.4%; B +1 +1 +20 −2.5 +0 −0.4 = +19.1 → 119.1%
    expect([ra.total, ra.payFactorPercent]).toEqual([-33.6, 66.4]);
    expect([rb.total, rb.payFactorPercent]).toEqual([19.1, 119.1]);
    // an agent with nothing in the month: +1 for each "none" item (二, 五, 七), nothing else
    expect(rowOf(res.body, c.id)).toMatchObject({ total: 3, payFactorPercent: 103 });
  });

  it('[002 订单归属] attribution: assist-only does not take a deal, the closing agent does, paid orders only with a change; cases record the agent', async () => {
    const x = (await t.http().get(`/api/v1/orders/${ids.x}/attribution`).set(bearer(supervisor.token)).expect(200)).body;
    expect(x).toMatchObject({ agentId: a.id, contacts: [{ agentId: a.id, counts: true }, { agentId: b.id, assistOnly: true, counts: true }] });
    expect(x.decidedBy).toBe(x.contacts[0].id);
    expect((await t.http().get(`/api/v1/orders/${ids.y}`).set(bearer(supervisor.token))).body.assigneeId).toBe(b.id);

    // A case opened on A's order records A.
    const paid = await newOrder(t, { shop });
    const order = paid.id;
    const ret = await newReturn(t, { order: paid, requestedAmount: 100 });
    await attribute(a.token, order, { contactedAt: new Date(Date.now() - 120 * MIN).toISOString() }).expect(200);
    const ret2 = await newReturn(t, { order: paid, requestedAmount: 100 });

    // After payment a contact without a changed order is refused (严重作弊) and changes nothing.
    const refused = await attribute(b.token, order, {});
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/订单归属 3/);
    // An agent records only their own contacts.
    expect((await attribute(b.token, order, { agentId: a.id, orderChanged: true })).status).toBe(403);
    // The customer bought more on B's advice: B may claim it; the case opened before keeps A.
    await attribute(b.token, order, { orderChanged: true, note: '加购 2 瓶' }).expect(200);
    const after = (await t.http().get(`/api/v1/orders/${order}/attribution`).set(bearer(b.token)).expect(200)).body;
    expect(after.agentId).toBe(b.id);
    expect(after.contacts.map((k: { agentId: string; counts: boolean }) => [k.agentId, k.counts])).toEqual([[a.id, true], [b.id, true]]);
    const cases = Object.fromEntries(after.cases.map((k: { id: string; attributedAgentId: string | null }) => [k.id, k.attributedAgentId]));
    // the first return was opened before anyone was in contact; the second after A
    expect(cases).toEqual({ [ret.id]: null, [ret2.id]: a.id });

    expect((await attribute(a.token, order, { contactedAt: new Date(Date.now() + 60 * MIN).toISOString() })).status).toBe(422);
    expect((await attribute(supervisor.token, order, { agentId: warehouse.id })).status).toBe(422);
    expect((await attribute(warehouse.token, order, {})).status).toBe(403);
    expect((await t.http().get(`/api/v1/orders/${order}/attribution`).set(bearer(b.token))).body.contacts).toHaveLength(2);
  });

  it('months are the shop\'s: 2026-11-01T07:00 Shanghai (still October in UTC) is November\'s', async () => {
    const other = await newShop(t, { timezone: 'Asia/Shanghai' });
    const o = await newOrder(t, { shop: other });
    const finding = (at: string) => post(supervisor.token, '/api/v1/audit-findings', { agentId: c.id, severity: 'general', note: '备注不符', orderId: o.id, foundAt: at });
    const oct = (await finding('2026-10-31T23:30:00+08:00').expect(201)).body.id;
    const nov = (await finding('2026-11-01T07:00:00+08:00').expect(201)).body.id;
    const cOf = async (month: string) => {
      const res = await sheet(supervisor.token, { month, shopId: other.id }).expect(200);
      return comp(rowOf(res.body, c.id), 'audit_errors').inputs.findingIds;
    };
    expect(await cOf('2026-10')).toEqual([oct]);
    expect(await cOf('2026-11')).toEqual([nov]);
    const dec = await sheet(supervisor.token, { month: '2026-12', shopId: other.id }).expect(200);
    expect([dec.body.from, dec.body.to]).toEqual(['2026-12-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00']);
    expect(comp(rowOf(dec.body, c.id), 'audit_errors')).toMatchObject({ score: 1, inputs: { findingIds: [] } });
  });

  it('an overdue mark of a case is kept with its assignee and counts in the month it was made', async () => {
    const s3 = await newShop(t, { timezone: 'America/New_York' });
    const ret = await newReturn(t, { order: await newOrder(t, { shop: s3 }) });
    await post(supervisor.token, `/api/v1/returns/${ret.id}/assign`, { assigneeId: c.id }).expect(200);
    const due = new Date((await t.http().get(`/api/v1/returns/${ret.id}`).set(bearer(supervisor.token))).body.dueAt);
    const markedAt = new Date(due.getTime() + MIN);
    await t.app.get(DueSweeper).sweep(markedAt);
    const month = DateTime.fromJSDate(markedAt, { zone: 'America/New_York' }).toFormat('yyyy-MM');
    const res = await sheet(supervisor.token, { month, shopId: s3.id }).expect(200);
    expect(comp(rowOf(res.body, c.id), 'sla_breaches')).toMatchObject({ score: -0.2, inputs: { breaches: 1, cases: [{ module: 'return', id: ret.id, status: 'requested' }] } });
  });

  it('who may read it: supervisor, admin and finance all rows; an agent only their own; others 403', async () => {
    for (const token of [supervisor.token, finance.token, t.adminToken]) {
      const res = await sheet(token, { month: '2026-10', shopId: shop.id }).expect(200);
      expect(res.body.agents.map((r: { agentId: string }) => r.agentId)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    }
    const own = await sheet(a.token, { month: '2026-10', shopId: shop.id }).expect(200);
    expect(own.body.agents.map((r: { agentId: string }) => r.agentId)).toEqual([a.id]);
    expect(own.body.teamRefundRate).toBe(0.1);
    const denied = await sheet(warehouse.token, { month: '2026-10' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ statusCode: 403, error: expect.any(String), message: expect.any(String) });
    // audit findings: supervisors record them; an agent may list only their own
    expect((await post(a.token, '/api/v1/audit-findings', { agentId: b.id, severity: 'serious', note: 'x' })).status).toBe(403);
    const mine = await t.http().get('/api/v1/audit-findings').set(bearer(a.token)).expect(200);
    expect(mine.body.items.map((f: { agentId: string }) => f.agentId)).toEqual([a.id]);
    expect((await t.http().get('/api/v1/audit-findings').query({ agentId: b.id }).set(bearer(a.token))).status).toBe(403);
  });

  it('400 for a bad month (and nothing recorded for a bad finding)', async () => {
    for (const month of ['2026-13', '2026-1', '202610', 'October', '']) {
      const res = await sheet(supervisor.token, { month });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    }
    expect((await t.http().get('/api/v1/reports/agent-kpis').set(bearer(supervisor.token))).status).toBe(400);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM audit_findings');
    for (const body of [
      { agentId: a.id, severity: 'minor', note: 'x' },
      { agentId: a.id, severity: 'general', note: '' },
      { agentId: a.id, severity: 'general', note: 'x', foundAt: 'yesterday' },
    ]) expect((await post(supervisor.token, '/api/v1/audit-findings', body)).status).toBe(400);
    for (const body of [
      { agentId: supervisor.id, severity: 'general', note: 'not an agent' },
      { agentId: a.id, severity: 'general', note: 'x', foundAt: new Date(Date.now() + 3_600_000).toISOString() },
      { agentId: a.id, severity: 'general', note: 'x', orderId: randomUUID() },
    ]) expect((await post(supervisor.token, '/api/v1/audit-findings', body)).status).toBe(422);
    expect((await t.db.query('SELECT count(*)::int AS n FROM audit_findings'))[0].n).toBe(n);
  });
});
