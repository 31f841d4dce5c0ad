import { DateTime } from 'luxon';
import { Role, systemCaller } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import type { CaseRow } from '../../src/kernel/state-machine/machine.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../../src/orders/order.machine.js';
import { OrderStatus } from '../../src/orders/order-status.js';
import { returnMachine } from '../../src/returns/return.machine.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SH = 'Asia/Shanghai';
const DAY = 86_400_000;
let seq = 0;

describe('follow-up calls (SPEC §10): one per resolved case of any module, results kept, unsatisfied opens a complaint', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let shopId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGISTICS_SCAN_CRON: '0 0 1 1 *' } });
    [agent, supervisor, finance] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Finance)]);
    shopId = (await createShop(t)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = () => t.http();
  const followUpsOf = async (caseId: string, token = agent.token) => {
    const res = await api().get(`/api/v1/follow-ups?sourceCaseId=${caseId}`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.items as Array<Record<string, any>>;
  };
  const followUp = (id: string, action: string, body: object, token = agent.token) => api().post(`/api/v1/follow-ups/${id}/${action}`).set(bearer(token)).send(body);

  /** [000] within 3 days of the resolution, at a time the customer may be called (quiet 21:00–09:00). */
  const expectCallableWithin3Days = (dueAt: string, resolvedAt: string) => {
    const due = new Date(dueAt).getTime();
    const from = new Date(resolvedAt).getTime();
    expect(due).toBeGreaterThan(from);
    expect(due).toBeLessThanOrEqual(from + 3 * DAY);
    const local = DateTime.fromMillis(due, { zone: SH });
    const minute = local.hour * 60 + local.minute;
    // the latest moment is the start of a quiet window (call before 21:00), never inside one
    expect(minute >= 9 * 60 && minute <= 21 * 60).toBe(true);
  };

  /** A refund-only return taken to `refunded` by an agent and finance. */
  const refundedReturn = async () => {
    const order = await insertPaidOrder(t, shopId, { total: 20_000, customerName: '赵六' });
    const c = await api().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 5_000 });
    expect(c.status).toBe(201);
    await api().post(`/api/v1/returns/${c.body.id}/approve`).set(bearer(agent.token)).send({}).expect(200);
    const refunding = await api().post(`/api/v1/returns/${c.body.id}/refund`).set(bearer(agent.token)).send({});
    expect(refunding.body.status).toBe('refunding');
    expect(await followUpsOf(c.body.id)).toEqual([]);
    await api().post(`/api/v1/refunds/${refunding.body.refunds[0].id}/record-manual`).set(bearer(finance.token)).send({ externalReference: `BANK-${++seq}` }).expect(200);
    const done = await api().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(done.body.status).toBe('refunded');
    return { order, returnId: c.body.id as string, resolvedAt: done.body.timeline.at(-1).at as string };
  };

  /** A paid order shipped by the platform, with its shipment (reship needs an order). */
  const shipped = async () => {
    const engine = t.app.get(StateMachineEngine);
    const platform = systemCaller(t.merchantId, 'platform');
    const now = new Date();
    const n = `${Date.now()}${++seq}`;
    const o = await engine.create(
      orderMachine,
      platform,
      {
        shop_id: shopId, platform: 'generic', platform_order_id: `FU-${n}`, order_number: `FU-${n}`, payment_method: 'prepaid', currency: 'CNY', items_amount: 9900,
        total_amount: 9900, ship_province: '四川省', ship_city: '成都', ship_address: '锦江区 1 号', customer_name: '孙七', customer_phone: '13900139000', placed_at: now, paid_at: now, platform_updated_at: now,
      },
      { status: OrderStatus.Paid },
    );
    await t.db.query(`INSERT INTO order_lines (merchant_id, order_id, line_no, sku, title, quantity, unit_price, amount) VALUES ($1, $2, 1, 'CUP', '保温杯', 1, 9900, 9900)`, [t.merchantId, o.row.id]);
    await engine.fire(orderMachine, o.row.id, 'platform-ship', platform, { input: { shipments: [{ carrier: 'yunda', trackingNo: `YD${n}` }] } });
    const [s] = await t.db.query(`SELECT id FROM shipments WHERE tracking_no = $1`, [`YD${n}`]);
    return { orderId: o.row.id as string, shipmentId: s.id as string };
  };
  const exception = async (shipmentId: string, kind = 'lost') => {
    const res = await api().post('/api/v1/logistics-exceptions').set(bearer(agent.token)).send({ shipmentId, kind });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const lx = (id: string, action: string, body: object) => api().post(`/api/v1/logistics-exceptions/${id}/${action}`).set(bearer(agent.token)).send(body);

  it('a refunded return gets exactly one follow-up, due within 3 days at a callable time; the same notice twice is still one', async () => {
    const { order, returnId, resolvedAt } = await refundedReturn();
    const items = await followUpsOf(returnId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      status: 'open', shopId, orderId: order.id, assigneeId: agent.id, result: null, complaintId: null,
      source: { module: 'return', caseId: returnId, collection: 'returns', round: 1 },
    });
    expectCallableWithin3Days(items[0].dueAt, resolvedAt);
    expect(new Date(items[0].source.resolvedAt).toISOString()).toBe(new Date(resolvedAt).toISOString());

    // At-least-once: the engine's notice of the same resolution delivered again.
    const engine = t.app.get(StateMachineEngine);
    const [row] = await t.db.query(`SELECT * FROM return_cases WHERE id = $1`, [returnId]);
    await t.db.transaction((m) =>
      engine.notify({ manager: m, machine: returnMachine, caller: systemCaller(t.merchantId), row: row as CaseRow, change: 'status', action: 'refund-succeeded', from: 'refunding', to: 'refunded', at: new Date(), event: null }),
    );
    expect(await followUpsOf(returnId)).toHaveLength(1);

    // Indexed for the worklist: an open record with its deadline, marked overdue by the sweeper once it passes.
    const [ix] = await t.db.query(`SELECT kind, status, tags, due_at, closed_at FROM case_index WHERE machine = 'follow_up' AND case_id = $1`, [items[0].id]);
    expect(ix).toMatchObject({ kind: 'record', status: 'open', tags: ['open'], closed_at: null });
    expect(ix.due_at.toISOString()).toBe(new Date(items[0].dueAt).toISOString());
    const swept = await t.app.get(DueSweeper).sweep(new Date(new Date(items[0].dueAt).getTime() + 60_000));
    expect(swept.filter((r) => r.id === items[0].id)).toEqual([{ machine: 'follow_up', id: items[0].id, outcome: 'marked' }]);
    // Orders are records: a follow-up neither blocks the order's completion nor lists as its case.
    const detail = await api().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(detail.body.relatedCases.map((c: { type: string }) => c.type)).toEqual(['return']);
  });

  it('a logistics case gets one follow-up when the reship goes out, none more at recall and close; a false alarm gets none', async () => {
    const a = await shipped();
    const id = await exception(a.shipmentId);
    expect((await lx(id, 'escalate', { reason: '快递丢件, 补发' })).body.status).toBe('reship_required');
    expect(await followUpsOf(id)).toEqual([]);
    const reshipped = await lx(id, 'reship', { reshipCost: 4500 });
    expect(reshipped.body.status).toBe('reshipped');
    const first = await followUpsOf(id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ source: { module: 'logistics_exception', collection: 'logistics-exceptions', round: 1 }, orderId: a.orderId });
    expect((await lx(id, 'recall', { backOfficeMessage: '请网点退回原件' })).body.status).toBe('recalling');
    expect((await lx(id, 'close', { outcome: 'original_returned', recovered: 1000 })).body.status).toBe('closed');
    expect((await followUpsOf(id)).map((f) => f.id)).toEqual([first[0].id]);

    const b = await shipped();
    const resolved = await exception(b.shipmentId, 'stranded');
    expect((await lx(resolved, 'resolve', {})).body).toMatchObject({ status: 'closed', outcome: 'resolved' });
    expect(await followUpsOf(resolved)).toHaveLength(1);

    const c = await shipped();
    const dismissed = await exception(c.shipmentId, 'stranded');
    expect((await lx(dismissed, 'dismiss', { reason: '客户已签收, 误报' })).body).toMatchObject({ status: 'closed', outcome: 'false_alarm' });
    expect(await followUpsOf(dismissed)).toEqual([]);
  });

  it('unsatisfied opens a complaint linked to the case and its order; the result is kept for the reports', async () => {
    const { order, returnId } = await refundedReturn();
    const [task] = await followUpsOf(returnId);
    const rec = await followUp(task.id, 'record', { result: 'unsatisfied', comment: '退款太慢, 等了一周' });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ status: 'done', result: 'unsatisfied', comment: '退款太慢, 等了一周', recordedBy: agent.id, dueAt: null, allowedActions: [] });
    expect(rec.body.complaintId).toEqual(expect.any(String));
    const complaint = await api().get(`/api/v1/complaints/${rec.body.complaintId}`).set(bearer(agent.token));
    expect(complaint.body).toMatchObject({
      status: 'received', shopId, orderId: order.id, channel: 'phone', category: 'after_sales', severity: 'normal', complainantName: '赵六',
      content: '退款太慢, 等了一周', assigneeId: agent.id, source: { module: 'return', caseId: returnId, followUpId: task.id },
    });
    expect(complaint.body.dueAt).not.toBeNull();
    const linked = await api().get(`/api/v1/complaints?sourceCaseId=${returnId}`).set(bearer(agent.token));
    expect(linked.body.items.map((c: { id: string }) => c.id)).toEqual([rec.body.complaintId]);
    expect((await followUp(task.id, 'record', { result: 'satisfied' })).status).toBe(409);
    // The resolution's notice again after the call was recorded: still that one follow-up.
    const [row] = await t.db.query(`SELECT * FROM return_cases WHERE id = $1`, [returnId]);
    await t.db.transaction((m) =>
      t.app.get(StateMachineEngine).notify({ manager: m, machine: returnMachine, caller: systemCaller(t.merchantId), row: row as CaseRow, change: 'status', action: 'refund-succeeded', from: 'refunding', to: 'refunded', at: new Date(), event: null }),
    );
    expect((await followUpsOf(returnId)).map((f) => f.id)).toEqual([task.id]);

    const [stored] = await t.db.query(`SELECT result, recorded_at, source_module FROM follow_ups WHERE id = $1`, [task.id]);
    expect(stored).toMatchObject({ result: 'unsatisfied', source_module: 'return' });
    expect(stored.recorded_at).toBeInstanceOf(Date);

    // satisfied and neutral open nothing
    const second = await refundedReturn();
    const [task2] = await followUpsOf(second.returnId);
    expect((await followUp(task2.id, 'record', { result: 'neutral' })).body).toMatchObject({ status: 'done', result: 'neutral', complaintId: null });
    expect((await api().get(`/api/v1/complaints?sourceCaseId=${second.returnId}`).set(bearer(agent.token))).body.items).toEqual([]);
  });

  it('the follow-up of a complaint drives the complaint: unsatisfied reopens it, and its next resolution is followed again', async () => {
    const act = (id: string, action: string, body: object, token = agent.token) => api().post(`/api/v1/complaints/${id}/${action}`).set(bearer(token)).send(body);
    const c = await api().post('/api/v1/complaints').set(bearer(agent.token)).send({ shopId, complainantName: '周八', channel: 'chat', content: '商品有划痕', category: 'product_quality' });
    const id = c.body.id as string;
    const toConfirmed = async (costEstimate: number) => {
      await act(id, 'propose', { plan: '换新', costEstimate }).expect(200);
      await act(id, 'approve', {}, supervisor.token).expect(200);
      await act(id, 'implement', {}).expect(200);
      return (await act(id, 'confirm', { acceptance: 'confirmed' }).expect(200)).body;
    };
    await act(id, 'assess', { founded: true, explanation: '属实' }).expect(200);
    await act(id, 'assign-department', { department: 'product' }).expect(200);
    await toConfirmed(2000);
    const [round1] = await followUpsOf(id);
    expect(round1).toMatchObject({ status: 'open', source: { module: 'complaint', round: 1 } });

    const rec = await followUp(round1.id, 'record', { result: 'unsatisfied', comment: '换的新品也有划痕' });
    expect(rec.body).toMatchObject({ status: 'done', result: 'unsatisfied', complaintId: null });
    const reopened = (await api().get(`/api/v1/complaints/${id}`).set(bearer(agent.token))).body;
    expect(reopened).toMatchObject({ status: 'investigating', followUpResult: 'unsatisfied', followUpComment: '换的新品也有划痕', reopenCount: 1 });
    expect(reopened.timeline.at(-1)).toMatchObject({ action: 'follow-up', from: 'awaiting_follow_up', to: 'investigating', data: { followUpId: round1.id } });
    expect((await api().get(`/api/v1/complaints?sourceCaseId=${id}`).set(bearer(agent.token))).body.items).toEqual([]);

    await toConfirmed(3000);
    const rounds = await followUpsOf(id);
    expect(rounds.map((f) => [f.source.round, f.status])).toEqual([
      [2, 'open'],
      [1, 'done'],
    ]);
    expect((await followUp(rounds[0].id, 'record', { result: 'satisfied' })).body.status).toBe('done');
    expect((await api().get(`/api/v1/complaints/${id}`).set(bearer(agent.token))).body).toMatchObject({ status: 'closed', followUpResult: 'satisfied', reopenCount: 1 });
  });

  it('a follow-up is assigned, rescheduled to the agreed time out of quiet hours, or dismissed with a reason', async () => {
    const { returnId } = await refundedReturn();
    const [task] = await followUpsOf(returnId);
    expect((await api().get(`/api/v1/follow-ups/${task.id}`).set(bearer(agent.token))).body.allowedActions).toEqual(['assign', 'record', 'reschedule', 'dismiss']);
    const assigned = await followUp(task.id, 'assign', { assigneeId: supervisor.id }, supervisor.token);
    expect(assigned.body).toMatchObject({ status: 'open', assigneeId: supervisor.id, version: 2 });
    const other = await createOtherMerchant(t);
    const [otherStaff] = await t.db.query(`SELECT id FROM staff WHERE merchant_id = $1`, [other.merchantId]);
    expect((await followUp(task.id, 'assign', { assigneeId: otherStaff.id })).status).toBe(422);
    expect((await followUp(task.id, 'assign', { assigneeId: agent.id }, finance.token)).status).toBe(403);

    expect((await followUp(task.id, 'reschedule', { at: new Date(Date.now() - DAY).toISOString() })).status).toBe(422);
    // The customer asked for 23:00 tomorrow: that is quiet time, so the call is due when it ends, 09:00.
    const tomorrow = DateTime.now().setZone(SH).plus({ days: 1 }).set({ hour: 23, minute: 0, second: 0, millisecond: 0 });
    const moved = await followUp(task.id, 'reschedule', { at: tomorrow.toISO(), note: '客户约明晚再打' });
    expect(moved.status).toBe(200);
    expect(new Date(moved.body.dueAt).toISOString()).toBe(tomorrow.plus({ days: 1 }).set({ hour: 9 }).toJSDate().toISOString());

    const noReason = await followUp(task.id, 'dismiss', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'reason', errors: ['reason is required'] }]);
    const dismissed = await followUp(task.id, 'dismiss', { reason: '客户要求不再来电' });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', dismissReason: '客户要求不再来电', dueAt: null });
    expect((await followUp(task.id, 'record', { result: 'satisfied' })).status).toBe(409);
    expect((await followUp(task.id, 'record', { result: 'great' })).status).toBe(400);
    const timeline = (await api().get(`/api/v1/follow-ups/${task.id}`).set(bearer(agent.token))).body.timeline;
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'assign', 'reschedule', 'dismiss']);
    expect(timeline[0].actor).toEqual({ type: 'system', id: null });
  });

  it('another merchant sees 404 and an empty list', async () => {
    const { returnId } = await refundedReturn();
    const [task] = await followUpsOf(returnId);
    const other = await createOtherMerchant(t);
    expect((await api().get(`/api/v1/follow-ups/${task.id}`).set(bearer(other.adminToken))).status).toBe(404);
    expect((await followUp(task.id, 'record', { result: 'unsatisfied' }, other.adminToken)).status).toBe(404);
    expect((await followUp(task.id, 'dismiss', { reason: 'x' }, other.adminToken)).status).toBe(404);
    expect((await api().get(`/api/v1/follow-ups?sourceCaseId=${returnId}`).set(bearer(other.adminToken))).body.items).toEqual([]);
    expect((await api().get(`/api/v1/follow-ups/${task.id}`).set(bearer(agent.token))).body).toMatchObject({ status: 'open', version: 1 });
  });
});
