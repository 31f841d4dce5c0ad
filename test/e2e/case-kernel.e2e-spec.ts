import { Role, systemCaller, type Caller } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { StateMachineEngine, type TransitionNotice } from '../../src/kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../../src/orders/order.machine.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL, widgetMachine, WidgetStatus, WidgetTestModule } from '../support/widget-machine.js';

const DAY = 24 * 3600_000;

/** The widget machine, allowed to open cases already submitted (as a scan opens cases in a working state). */
const submittedOnCreate = { ...widgetMachine, initial: [WidgetStatus.Draft, WidgetStatus.Submitted] };

interface IndexRow {
  machine: string;
  kind: string;
  case_id: string;
  merchant_id: string;
  shop_id: string | null;
  order_id: string | null;
  status: string;
  tags: string[];
  assignee_id: string | null;
  due_at: Date | null;
  on_due: Record<string, unknown> | null;
  next_sweep_at: Date | null;
  overdue_at: Date | null;
  opened_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
}

describe('the case kernel: assign, note, case index, list filters, due sweeper', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let warehouse: StaffLogin;
  let shopId: string;
  let engine: StateMachineEngine;
  let sweeper: DueSweeper;
  const notices: TransitionNotice[] = [];

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [WidgetTestModule] });
    await t.db.query(WIDGET_TABLE_SQL);
    [agent, supervisor, warehouse] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Warehouse)]);
    shopId = (await createShop(t, { timezone: 'Asia/Shanghai' })).id;
    engine = t.app.get(StateMachineEngine);
    sweeper = t.app.get(DueSweeper);
    engine.onTransition(async (n) => {
      notices.push(n);
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const newWidget = async (body: Record<string, unknown> = {}) => {
    const res = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({ shopId, amount: 100, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; version: number };
  };
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/widgets/${id}/${action}`).set(bearer(token)).send(body);
  const widget = async (id: string) => (await t.http().get(`/api/v1/widgets/${id}`).set(bearer(supervisor.token))).body;
  const indexOf = async (machine: string, id: string): Promise<IndexRow> => (await t.db.query('SELECT * FROM case_index WHERE machine = $1 AND case_id = $2', [machine, id]))[0];
  const caseRow = async (id: string) => (await t.db.query('SELECT * FROM test_widgets WHERE id = $1', [id]))[0];
  const system: () => Caller = () => systemCaller(t.merchantId);

  describe('assign', () => {
    it('assigns to a staff member of the same merchant, keeping the status; anyone else is a 422 and changes nothing', async () => {
      const w = await newWidget();
      const ok = await act(agent.token, w.id, 'assign', { assigneeId: agent.id, note: 'mine' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ status: 'draft', version: 2, assignee_id: agent.id });
      expect(ok.body.event).toMatchObject({ action: 'assign', from: 'draft', to: 'draft', note: 'mine', data: { input: { assigneeId: agent.id } } });
      expect((await indexOf('test_widget', w.id)).assignee_id).toBe(agent.id);

      const other = await createOtherMerchant(t);
      const [foreign] = await t.db.query('SELECT id FROM staff WHERE merchant_id = $1', [other.merchantId]);
      for (const assigneeId of [foreign.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const refused = await act(agent.token, w.id, 'assign', { assigneeId });
        expect(refused.status).toBe(422);
        expect(refused.body.message).toMatch(/not .*staff member/);
      }
      expect(await caseRow(w.id)).toMatchObject({ version: 2, assignee_id: agent.id });

      expect((await act(warehouse.token, w.id, 'assign', { assigneeId: warehouse.id })).status).toBe(403);
      const cleared = await act(supervisor.token, w.id, 'assign', { assigneeId: null });
      expect(cleared.body).toMatchObject({ status: 'draft', version: 3, assignee_id: null });
      expect((await indexOf('test_widget', w.id)).assignee_id).toBeNull();
    });

    it('a deactivated staff member cannot be assigned; a closed case cannot be reassigned (409 naming note)', async () => {
      const gone = await createStaff(t, Role.Agent);
      await t.db.query('UPDATE staff SET active = false WHERE id = $1', [gone.id]);
      const w = await newWidget();
      expect((await act(agent.token, w.id, 'assign', { assigneeId: gone.id })).status).toBe(422);
      await act(agent.token, w.id, 'submit');
      await act(supervisor.token, w.id, 'approve');
      await act(supervisor.token, w.id, 'close');
      const late = await act(agent.token, w.id, 'assign', { assigneeId: agent.id });
      expect(late.status).toBe(409);
      expect(late.body.details).toEqual({ status: 'closed', allowedActions: ['note'] });
    });

    it('case routes validate the body (400) and answer with the case', async () => {
      const order = await insertPaidOrder(t, shopId, { total: 3_000 });
      const c = await t.http().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 1_000 });
      expect(c.status).toBe(201);
      const assign = (body: object) => t.http().post(`/api/v1/returns/${c.body.id}/assign`).set(bearer(supervisor.token)).send(body);
      expect((await assign({})).status).toBe(400);
      expect((await assign({ assigneeId: 'nobody' })).status).toBe(400);
      expect((await assign({ assigneeId: supervisor.id, extra: 1 })).status).toBe(400);
      const ok = await assign({ assigneeId: supervisor.id, expectedVersion: 1 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'requested', version: 2, assigneeId: supervisor.id, allowedActions: ['approve', 'reject', 'cancel', 'assign', 'note'] });
      expect((await assign({ assigneeId: agent.id, expectedVersion: 1 })).status).toBe(409);
      const list = await t.http().get(`/api/v1/returns?assigneeId=${supervisor.id}`).set(bearer(agent.token));
      expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([c.body.id]);
    });
  });

  describe('note', () => {
    it('adds a timeline note through the engine (version bump, index updated) without changing the status, for any role, also on closed cases', async () => {
      const w = await newWidget();
      const n = await act(warehouse.token, w.id, 'note', { note: '客户来电询问进度' });
      expect(n.status).toBe(201);
      expect(n.body).toMatchObject({ status: 'draft', version: 2 });
      expect(n.body.event).toMatchObject({ action: 'note', from: 'draft', to: 'draft', note: '客户来电询问进度', actor: { type: 'staff', id: warehouse.id } });

      const order = await insertPaidOrder(t, shopId, { total: 3_000 });
      const c = await t.http().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: order.id, type: 'refund_only', reason: 'damaged', requestedAmount: 1_000 });
      const note = (body: object) => t.http().post(`/api/v1/returns/${c.body.id}/note`).set(bearer(agent.token)).send(body);
      expect((await note({})).status).toBe(400);
      expect((await note({ note: '' })).status).toBe(400);
      expect((await note({ note: 'x'.repeat(2001) })).status).toBe(400);
      expect((await note({ note: 'nul\u0000' })).status).toBe(400);
      await t.http().post(`/api/v1/returns/${c.body.id}/cancel`).set(bearer(agent.token)).send({}).expect(200);
      const closedAt = (await indexOf('return', c.body.id)).closed_at;
      expect(closedAt).not.toBeNull();
      const ok = await note({ note: '客户撤销后又来电' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'cancelled', version: 3, allowedActions: ['note'] });
      expect(ok.body.timeline.at(-1)).toMatchObject({ action: 'note', from: 'cancelled', to: 'cancelled', note: '客户撤销后又来电' });
      // a note does not reopen or re-close the case
      expect((await indexOf('return', c.body.id)).closed_at).toEqual(closedAt);
    });
  });

  describe('the case index', () => {
    it('follows the case through create and every transition, in the same transaction', async () => {
      const order = await insertPaidOrder(t, shopId, { total: 1_000 });
      const w = await newWidget({ orderId: order.id });
      const created = await indexOf('test_widget', w.id);
      const row = await caseRow(w.id);
      expect(created).toMatchObject({
        machine: 'test_widget', kind: 'case', merchant_id: t.merchantId, shop_id: shopId, order_id: order.id, status: 'draft', tags: ['open'],
        assignee_id: null, due_at: null, on_due: null, next_sweep_at: null, overdue_at: null, resolved_at: null, closed_at: null,
      });
      expect(created.opened_at).toEqual(row.created_at);

      const submitted = await act(agent.token, w.id, 'submit');
      const ix1 = await indexOf('test_widget', w.id);
      expect(ix1).toMatchObject({ status: 'submitted', tags: ['open'], on_due: { action: 'expire' } });
      expect(ix1.due_at).toEqual(new Date(submitted.body.due_at));
      expect(ix1.next_sweep_at).toEqual(new Date(submitted.body.due_at));

      await act(supervisor.token, w.id, 'approve');
      const ix2 = await indexOf('test_widget', w.id);
      expect(ix2).toMatchObject({ status: 'approved', tags: ['open', 'resolved'], on_due: { mark: 'overdue' }, closed_at: null });
      expect(ix2.resolved_at).not.toBeNull();

      await act(supervisor.token, w.id, 'close');
      const ix3 = await indexOf('test_widget', w.id);
      expect(ix3).toMatchObject({ status: 'closed', tags: ['closed', 'resolved'], due_at: null, on_due: null, next_sweep_at: null });
      // resolved_at is the first time the case was resolved
      expect(ix3.resolved_at).toEqual(ix2.resolved_at);
      expect(ix3.closed_at).not.toBeNull();

      // a refused transition leaves the index as it was
      expect((await act(supervisor.token, w.id, 'approve')).status).toBe(409);
      expect(await indexOf('test_widget', w.id)).toEqual(ix3);
    });

    it('createMany writes the index rows of all its cases in one go', async () => {
      const from = new Date(Date.now() - 3 * DAY);
      const results = await engine.createMany(
        submittedOnCreate,
        Array.from({ length: 300 }, (_, k) => ({ caller: system(), values: { shop_id: shopId, amount: k, order_id: null }, dueFrom: from })),
        { status: WidgetStatus.Submitted },
      );
      const ids = results.map((r) => r.row.id);
      const rows: IndexRow[] = await t.db.query('SELECT * FROM case_index WHERE machine = $1 AND case_id = ANY($2::uuid[])', ['test_widget', ids]);
      expect(rows).toHaveLength(300);
      const byId = new Map(rows.map((r) => [r.case_id, r]));
      for (const r of results) {
        expect(byId.get(r.row.id)).toMatchObject({ status: 'submitted', tags: ['open'], due_at: r.row.due_at, next_sweep_at: r.row.due_at, on_due: { action: 'expire' } });
      }
    });
  });

  describe('lists: the one filter builder', () => {
    it('filters by a status list, assignee, created range and overdue=true|false; bad values are 400', async () => {
      const past = await engine.createMany(
        submittedOnCreate,
        [1, 2].map((k) => ({ caller: system(), values: { shop_id: shopId, amount: 7000 + k, order_id: null }, dueFrom: new Date(Date.now() - 5 * DAY) })),
        { status: WidgetStatus.Submitted },
      );
      const fresh = await newWidget({ amount: 7003 });
      await act(agent.token, fresh.id, 'submit');
      await act(agent.token, fresh.id, 'assign', { assigneeId: supervisor.id });
      const draft = await newWidget({ amount: 7004 });
      const mine = new Set([...past.map((r) => r.row.id), fresh.id, draft.id]);
      const ids = async (q: string) => {
        const res = await t.http().get(`/api/v1/widgets?limit=100&${q}`).set(bearer(agent.token));
        expect(res.status).toBe(200);
        return (res.body.items as Array<{ id: string }>).map((w) => w.id).filter((id) => mine.has(id)).sort();
      };
      expect(await ids('overdue=true')).toEqual(past.map((r) => r.row.id).sort());
      expect(await ids('overdue=false')).toEqual([fresh.id, draft.id].sort());
      expect(await ids('status=draft')).toEqual([draft.id]);
      expect(await ids('status=draft,submitted&overdue=false')).toEqual([fresh.id, draft.id].sort());
      expect(await ids(`assigneeId=${supervisor.id}`)).toEqual([fresh.id]);
      expect(await ids(`from=${encodeURIComponent(new Date(Date.now() + DAY).toISOString())}`)).toEqual([]);
      for (const bad of ['overdue=maybe', 'status=nope', 'status=draft,nope', 'status=', 'assigneeId=me', 'from=yesterday']) {
        expect((await t.http().get(`/api/v1/widgets?${bad}`).set(bearer(agent.token))).status).toBe(400);
      }
      // the same builder serves the modules' lists
      expect((await t.http().get('/api/v1/returns?status=requested,approved&overdue=false').set(bearer(agent.token))).status).toBe(200);
      expect((await t.http().get('/api/v1/logistics-exceptions?overdue=true&status=open,urged').set(bearer(agent.token))).status).toBe(200);
      expect((await t.http().get('/api/v1/orders?overdue=maybe').set(bearer(agent.token))).status).toBe(400);
    });
  });

  describe('the due sweeper', () => {
    it('fires a timer action exactly once, whatever the number of concurrent sweeps', async () => {
      const [r] = await engine.createMany(
        submittedOnCreate,
        [{ caller: system(), values: { shop_id: shopId, amount: 1, order_id: null }, dueFrom: new Date(Date.now() - 5 * DAY) }],
        { status: WidgetStatus.Submitted },
      );
      const now = new Date();
      const runs = await Promise.all([sweeper.sweep(now), sweeper.sweep(now), sweeper.sweep(now)]);
      const mine = runs.flat().filter((x) => x.id === r.row.id);
      expect(mine.filter((x) => x.outcome === 'fired')).toHaveLength(1);
      const w = await widget(r.row.id);
      expect(w).toMatchObject({ status: 'rejected', version: 2 });
      expect(w.timeline.filter((e: { action: string }) => e.action === 'expire')).toEqual([
        expect.objectContaining({ from: 'submitted', to: 'rejected', note: 'no decision in time', actor: { type: 'system', id: null }, data: expect.objectContaining({ timer: true }) }),
      ]);
      expect((await indexOf('test_widget', r.row.id)).next_sweep_at).toBeNull();
    });

    it('a case that moved on before the sweep is left alone (the timer is moot)', async () => {
      const w = await newWidget();
      const submitted = await act(agent.token, w.id, 'submit');
      await act(supervisor.token, w.id, 'reject');
      await sweeper.sweep(new Date(new Date(submitted.body.due_at).getTime() + DAY));
      expect(await widget(w.id)).toMatchObject({ status: 'rejected', version: 3 });
    });

    it('marks a case overdue once: overdue_at set and one case.overdue notice, the status and version unchanged', async () => {
      const w = await newWidget();
      await act(agent.token, w.id, 'submit');
      const approved = await act(supervisor.token, w.id, 'approve');
      const due = new Date(approved.body.due_at);
      const at = new Date(due.getTime() + 1000);
      await Promise.all([sweeper.sweep(at), sweeper.sweep(at)]);
      await sweeper.sweep(at);
      const ix = await indexOf('test_widget', w.id);
      expect(ix.overdue_at).toEqual(at);
      expect(ix.next_sweep_at).toBeNull();
      expect(notices.filter((n) => n.change === 'overdue' && n.row.id === w.id)).toEqual([expect.objectContaining({ from: 'approved', to: 'approved', event: null })]);
      expect(await caseRow(w.id)).toMatchObject({ status: 'approved', version: 3 });
      // the next step clears the mark
      await act(supervisor.token, w.id, 'close');
      expect((await indexOf('test_widget', w.id)).overdue_at).toBeNull();
    });
  });

  describe('the order-completion guard reads the case index', () => {
    it('a delivered order waits while a case of any module about it is open, and completes once it closes', async () => {
      const order = await insertPaidOrder(t, shopId, { total: 2_000 });
      const platform = systemCaller(t.merchantId, 'platform');
      await engine.fire(orderMachine, order.id, 'platform-ship', platform, { input: { shipments: [] } });
      await engine.fire(orderMachine, order.id, 'deliver', platform, { input: { deliveredAt: new Date(Date.now() - 20 * DAY).toISOString() } });
      const w = await newWidget({ orderId: order.id });
      const outcome = async (at: Date) => (await sweeper.sweep(at)).find((r) => r.id === order.id)?.outcome;
      const now = new Date();
      expect(await outcome(now)).toBe('refused');
      const detail = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
      expect(detail.body).toMatchObject({ status: 'delivered', relatedCases: [expect.objectContaining({ type: 'test_widget', id: w.id, status: 'draft', open: true })] });

      await act(agent.token, w.id, 'submit');
      await act(supervisor.token, w.id, 'approve');
      await act(supervisor.token, w.id, 'close');
      expect(await outcome(new Date(now.getTime() + 11 * 60_000))).toBe('fired');
      const done = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
      expect(done.body).toMatchObject({ status: 'completed', relatedCases: [expect.objectContaining({ id: w.id, status: 'closed', open: false })] });
      expect(done.body.timeline.at(-1)).toMatchObject({ action: 'complete', actor: { type: 'system' }, data: expect.objectContaining({ timer: true }) });
    });
  });
});
