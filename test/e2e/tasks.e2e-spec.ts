import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { TaskKind } from '../../src/tasks/task.entity.js';
import { TasksService } from '../../src/tasks/tasks.service.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { postShopify, processDelivery, shopifyOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** SPEC §10: worklist tasks of any kind can be assigned, done or dismissed with a reason. */
describe('worklist tasks: assign, done, dismiss, filters, illegal transitions', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let warehouse: StaffLogin;
  let shop: { id: string; webhookSecret: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    [agent, supervisor, warehouse] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Warehouse)]);
    shop = await createShop(t, { platform: 'shopify' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/tasks/${id}/${action}`).set(bearer(token)).send(body);
  const list = async (query: string, token = agent.token) => {
    const res = await t.http().get(`/api/v1/tasks?${query}`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.items as Array<{ id: string; dueAt?: string }>;
  };
  let seq = 0;
  /** A task as a module creates one (through TasksService, the machine's create path). */
  const newTask = async (dueAt: Date | null) => {
    const subjectId = (await t.db.query('SELECT gen_random_uuid() AS id'))[0].id as string;
    const created = await t.app.get(TasksService).createOnce(t.db.manager, {
      merchantId: t.merchantId, shopId: shop.id, kind: TaskKind.UnpaidOrderFollowUp, subjectType: 'order', subjectId, title: `Follow up unpaid order #T-${++seq}`, dueAt, dedupeKey: subjectId,
    });
    expect(created).toBe(true);
    return (await list(`subjectId=${subjectId}`))[0].id;
  };

  it('"Follow up unpaid order #1004": assigned to an agent, done with a note; done again is 409', async () => {
    const placed = new Date(Date.now() - 21 * 60_000);
    const o = shopifyOrder({ name: '#1004', createdAt: placed });
    const res = await postShopify(t, shop.id, 'orders/create', o.body, { secret: shop.webhookSecret });
    await processDelivery(t, res.body.id);
    const [order] = await t.db.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shop.id, o.id]);
    await t.app.get(DueSweeper).sweep(new Date());
    const [task] = await list(`subjectId=${order.id}`);
    expect(task).toMatchObject({ title: 'Follow up unpaid order #1004', status: 'open', kind: 'unpaid_order_follow_up', assigneeId: null, version: 1, overdue: true });

    const detail = await t.http().get(`/api/v1/tasks/${task.id}`).set(bearer(supervisor.token));
    expect(detail.body.allowedActions).toEqual(['assign', 'done', 'dismiss']);
    expect((await t.http().get(`/api/v1/tasks/${task.id}`).set(bearer(warehouse.token))).body.allowedActions).toEqual(['done', 'dismiss']);

    expect((await act(warehouse.token, task.id, 'assign', { assigneeId: agent.id })).status).toBe(403);
    const other = await createOtherMerchant(t);
    const [foreignStaff] = await t.db.query('SELECT id FROM staff WHERE merchant_id = $1', [other.merchantId]);
    const foreign = await act(supervisor.token, task.id, 'assign', { assigneeId: foreignStaff.id });
    expect(foreign.status).toBe(422);
    expect(foreign.body.message).toBe(`assignee ${foreignStaff.id} is not an active staff member of this merchant`);
    expect((await act(supervisor.token, task.id, 'assign', { assigneeId: 'not-a-uuid' })).status).toBe(400);
    expect((await act(supervisor.token, task.id, 'assign', { assigneeId: agent.id, expectedVersion: 7 })).status).toBe(409);

    const assigned = await act(supervisor.token, task.id, 'assign', { assigneeId: agent.id, expectedVersion: 1 });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'open', assigneeId: agent.id, version: 2, dueAt: task.dueAt });
    expect((await list(`assigneeId=${agent.id}&status=open`)).map((x) => x.id)).toContain(task.id);

    const done = await act(agent.token, task.id, 'done', { note: '已电话联系，客户稍后付款' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', doneNote: '已电话联系，客户稍后付款', dueAt: null, overdue: false, allowedActions: [] });
    expect(done.body.doneAt).not.toBeNull();
    const again = await act(agent.token, task.id, 'done');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Cannot done a task in status done; allowed actions: none');
    expect((await act(agent.token, task.id, 'dismiss', { reason: 'late' })).status).toBe(409);
    expect((await act(supervisor.token, task.id, 'assign', { assigneeId: supervisor.id })).status).toBe(409);
    expect((await act(agent.token, task.id, 'resolve')).status).toBe(404);

    const [index] = await t.db.query(`SELECT kind, status, tags, assignee_id, closed_at, resolved_at FROM case_index WHERE machine = 'task' AND case_id = $1`, [task.id]);
    expect(index).toMatchObject({ kind: 'record', status: 'done', tags: ['closed', 'resolved'], assignee_id: agent.id });
    expect(index.closed_at).not.toBeNull();
    // A task is worklist work, not a case of the order.
    const orderDetail = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(orderDetail.body.relatedCases).toEqual([]);
  });

  it('dismissed with a reason (required); a dismissed task is final', async () => {
    const id = await newTask(new Date(Date.now() + 3600_000));
    const noReason = await act(agent.token, id, 'dismiss', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'reason', errors: ['reason is required'] }]);
    expect((await act(agent.token, id, 'dismiss', { reason: '' })).status).toBe(400);
    expect((await act(agent.token, id, 'dismiss', { reason: 'x', extra: 1 })).status).toBe(400);
    const dismissed = await act(warehouse.token, id, 'dismiss', { reason: '订单已由客户在平台取消' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', dismissReason: '订单已由客户在平台取消', doneAt: null, dueAt: null });
    expect(dismissed.body.dismissedAt).not.toBeNull();
    expect((await act(agent.token, id, 'done')).status).toBe(409);
    expect((await act(agent.token, id, 'dismiss', { reason: 'again' })).status).toBe(409);
    const [index] = await t.db.query(`SELECT tags FROM case_index WHERE machine = 'task' AND case_id = $1`, [id]);
    expect(index.tags).toEqual(['closed']);
  });

  it('lists filter by status, assignee, kind and overdue; the sweeper marks an open task overdue once', async () => {
    const late = await newTask(new Date(Date.now() - 3600_000));
    const later = await newTask(new Date(Date.now() + 3600_000));
    const dismissedLate = await newTask(new Date(Date.now() - 3600_000));
    await act(agent.token, dismissedLate, 'dismiss', { reason: 'dup' }).expect(200);
    await act(supervisor.token, later, 'assign', { assigneeId: supervisor.id }).expect(200);

    const overdue = (await list('overdue=true')).map((x) => x.id);
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(later);
    expect(overdue).not.toContain(dismissedLate);
    const notOverdue = (await list('overdue=false&status=open')).map((x) => x.id);
    expect(notOverdue).toContain(later);
    expect(notOverdue).not.toContain(late);
    expect((await list(`assigneeId=${supervisor.id}`)).map((x) => x.id)).toEqual([later]);
    expect((await list('status=dismissed')).map((x) => x.id)).toContain(dismissedLate);
    expect((await list('status=open,dismissed&kind=unpaid_order_follow_up')).map((x) => x.id)).toEqual(expect.arrayContaining([late, later, dismissedLate]));
    expect((await t.http().get('/api/v1/tasks?status=closed').set(bearer(agent.token))).status).toBe(400);
    expect((await t.http().get('/api/v1/tasks?kind=nope').set(bearer(agent.token))).status).toBe(400);
    expect((await t.http().get('/api/v1/tasks?overdue=maybe').set(bearer(agent.token))).status).toBe(400);

    const results = await t.app.get(DueSweeper).sweep(new Date());
    expect(results.filter((r) => r.id === late)).toEqual([{ machine: 'task', id: late, outcome: 'marked' }]);
    expect(results.find((r) => r.id === later)).toBeUndefined();
    expect((await t.app.get(DueSweeper).sweep(new Date())).find((r) => r.id === late)).toBeUndefined();
    const [index] = await t.db.query(`SELECT overdue_at FROM case_index WHERE machine = 'task' AND case_id = $1`, [late]);
    expect(index.overdue_at).not.toBeNull();
  });

  it('another merchant sees none of it: 404 on read and on every action', async () => {
    const id = await newTask(null);
    const other = await createOtherMerchant(t);
    expect((await t.http().get(`/api/v1/tasks/${id}`).set(bearer(other.adminToken))).status).toBe(404);
    for (const [action, body] of [['assign', { assigneeId: null }], ['done', {}], ['dismiss', { reason: 'x' }]] as const) {
      expect((await act(other.adminToken, id, action, body)).status).toBe(404);
    }
    expect((await list('', other.adminToken)).map((x) => x.id)).not.toContain(id);
    expect((await t.http().get(`/api/v1/tasks/${id}`).set(bearer(agent.token))).body).toMatchObject({ status: 'open', version: 1 });
    expect((await t.http().get('/api/v1/tasks/nope').set(bearer(agent.token))).status).toBe(404);
  });
});
