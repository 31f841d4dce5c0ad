import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { DateTime } from 'luxon';
import { complaintMachine } from '../../src/complaints/complaint.machine.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SH = 'Asia/Shanghai';
const at = (local: string) => DateTime.fromISO(local, { zone: SH }).toJSDate();
const DAY = 86_400_000;

/** A valid body for every action, so that only the status decides (409), never validation (400). */
const BODIES: Record<string, object> = {
  assess: { founded: true, explanation: '核实属实' },
  'assign-department': { department: 'warehouse' },
  propose: { plan: '补发并致歉', costEstimate: 3000 },
  approve: {},
  'reject-plan': { reason: '方案不够' },
  implement: {},
  confirm: { acceptance: 'confirmed' },
  'follow-up': { result: 'satisfied' },
  close: {},
  'mark-serious': {},
};

describe('complaints (SPEC §10): the six steps of [000], deadlines on the shop calendar, serious alerts', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let warehouse: StaffLogin;
  let shopId: string;
  let server: Server;
  let endpointUrl = '';
  const received: Array<{ raw: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ raw, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpointUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/supervisors`;
    t = await startTestApp({ env: { OUTBOX_BACKOFF_MS: '1' } });
    [agent, supervisor, warehouse] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Warehouse)]);
    shopId = (await createShop(t)).id;
    // Weekdays only, so that a weekend is closed; the default mainland-China days (国庆 10-01..07) stay.
    const cal = await t.http().patch('/api/v1/settings/calendar').set(bearer(t.adminToken)).send({ weeklyHours: { saturday: [], sunday: [] } });
    expect(cal.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => server.close(r));
  });

  const create = (body: object, token = agent.token) => t.http().post('/api/v1/complaints').set(bearer(token)).send(body);
  const act = (id: string, action: string, body: object = {}, token = agent.token) => t.http().post(`/api/v1/complaints/${id}/${action}`).set(bearer(token)).send(body);
  const get = (id: string, token = agent.token) => t.http().get(`/api/v1/complaints/${id}`).set(bearer(token));
  const base = (extra: object = {}) => ({ shopId, complainantName: '王小红', channel: 'phone', content: '客服态度差，挂我电话', category: 'service_attitude', ...extra });
  const path = (body: { timeline: Array<{ action: string; from: string | null; to: string }> }) => body.timeline.map((e) => `${e.action}:${e.from ?? ''}>${e.to}`);

  /** A complaint walked to `status` by the happy path (founded unless `explained`). */
  const inStatus = async (status: string): Promise<{ id: string; version: number }> => {
    const c = await create(base());
    expect(c.status).toBe(201);
    const id = c.body.id as string;
    const steps: Record<string, Array<[string, object, string]>> = {
      received: [],
      explained: [['assess', { founded: false, explanation: '订单显示已按约定时间发货' }, agent.token]],
      investigating: [['assess', BODIES.assess, agent.token]],
      plan_proposed: [['assess', BODIES.assess, agent.token], ['assign-department', BODIES['assign-department'], agent.token], ['propose', BODIES.propose, agent.token]],
    };
    steps.approved = [...steps.plan_proposed, ['approve', {}, supervisor.token]];
    steps.implemented = [...steps.approved, ['implement', {}, agent.token]];
    steps.awaiting_follow_up = [...steps.implemented, ['confirm', BODIES.confirm, agent.token]];
    steps.closed = [...steps.awaiting_follow_up, ['follow-up', BODIES['follow-up'], agent.token]];
    let version = 1;
    for (const [action, body, token] of steps[status]) {
      const r = await act(id, action, body, token);
      expect(r.status).toBe(200);
      version = r.body.version;
    }
    expect((await get(id)).body.status).toBe(status);
    return { id, version };
  };

  it('registers a complaint with the 登记表 fields; the first response is due 12 business hours after reportedAt, across a night', async () => {
    // Tue 2026-11-24 10:00: 8 h until 18:00, then 4 h from Wed 09:00 → Wed 13:00.
    const c = await create(base({ reportedAt: '2026-11-24T10:00:00+08:00', complainantPhone: '138 0013 8000' }));
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      status: 'received', version: 1, shopId, orderId: null, complainantName: '王小红', complainantPhone: '138 0013 8000', complainantPhoneE164: '+8613800138000',
      channel: 'phone', category: 'service_attitude', severity: 'normal', assigneeId: agent.id, createdBy: agent.id, founded: null, cost: 0, currency: 'CNY',
    });
    expect(new Date(c.body.reportedAt).toISOString()).toBe(at('2026-11-24T10:00').toISOString());
    expect(new Date(c.body.dueAt).toISOString()).toBe(at('2026-11-25T13:00').toISOString());
    expect(c.body.allowedActions).toEqual(['assess', 'mark-serious', 'assign', 'note']);
    const [ix] = await t.db.query(`SELECT kind, status, tags, due_at, on_due FROM case_index WHERE machine = 'complaint' AND case_id = $1`, [c.body.id]);
    expect(ix).toMatchObject({ kind: 'case', status: 'received', tags: ['open'], on_due: { mark: 'overdue' } });
    expect(ix.due_at.toISOString()).toBe(at('2026-11-25T13:00').toISOString());
  });

  it('counts the 12 business hours across a weekend and across the National Day holiday (国庆 10-01..07)', async () => {
    // Fri 2026-11-20 17:00: 1 h Friday, Saturday and Sunday closed, 9 h Monday, 2 h Tuesday → Tue 11:00.
    const weekend = await create(base({ reportedAt: '2026-11-20T17:00:00+08:00' }));
    expect(new Date(weekend.body.dueAt).toISOString()).toBe(at('2026-11-24T11:00').toISOString());
    // Wed 2026-09-30 17:00: 1 h, then seven holidays (a weekend among them), 9 h Thu 10-08, 2 h Fri 10-09 → Fri 11:00.
    const holiday = await create(base({ reportedAt: '2026-09-30T17:00:00+08:00' }));
    expect(new Date(holiday.body.dueAt).toISOString()).toBe(at('2026-10-09T11:00').toISOString());
    // Those deadlines passed long ago: the sweeper marks them overdue, once.
    expect(holiday.body.overdue).toBe(true);
    const results = await t.app.get(DueSweeper).sweep(new Date());
    expect(results.filter((r) => r.id === holiday.body.id)).toEqual([{ machine: 'complaint', id: holiday.body.id, outcome: 'marked' }]);
    expect((await t.app.get(DueSweeper).sweep(new Date())).filter((r) => r.id === holiday.body.id)).toEqual([]);
  });

  it('runs the six steps: founded, department and person, plan rejected then approved by a supervisor, implemented, accepted, followed up', async () => {
    const order = await insertPaidOrder(t, shopId, { total: 19_900, customerName: '李四' });
    const c = await create(base({ orderId: order.orderNumber, category: 'wrong_or_missing', content: '少发了一个杯盖' }));
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ orderId: order.id, shopId });
    const id = c.body.id as string;

    const assessed = await act(id, 'assess', { founded: true, explanation: '仓库出库记录缺少杯盖, 投诉成立', expectedVersion: 1 });
    expect(assessed.status).toBe(200);
    expect(assessed.body).toMatchObject({ status: 'investigating', founded: true, assessment: '仓库出库记录缺少杯盖, 投诉成立', assessedBy: agent.id, dueAt: null });
    expect(assessed.body.firstResponseAt).not.toBeNull();

    const early = await act(id, 'propose', BODIES.propose);
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/department first/);
    const other = await createOtherMerchant(t);
    const [otherStaff] = await t.db.query(`SELECT id FROM staff WHERE merchant_id = $1`, [other.merchantId]);
    expect((await act(id, 'assign-department', { department: 'warehouse', responsibleStaffId: otherStaff.id })).status).toBe(422);
    const dep = await act(id, 'assign-department', { department: 'warehouse', responsibleStaffId: warehouse.id });
    expect(dep.body).toMatchObject({ status: 'investigating', department: 'warehouse', responsibleStaffId: warehouse.id, version: 3 });

    const proposed = await act(id, 'propose', { plan: '补发杯盖', costEstimate: 800 });
    expect(proposed.body).toMatchObject({ status: 'plan_proposed', plan: '补发杯盖', planCostEstimate: 800, proposedBy: agent.id });
    expect(proposed.body.allowedActions).toEqual(['mark-serious', 'assign', 'note']);
    expect((await act(id, 'approve', {})).status).toBe(403);
    expect((await act(id, 'reject-plan', { reason: 'no' })).status).toBe(403);
    expect((await get(id, supervisor.token)).body.allowedActions).toEqual(['approve', 'reject-plan', 'mark-serious', 'assign', 'note']);

    const rejected = await act(id, 'reject-plan', { reason: '只补杯盖不够, 需致歉并补偿' }, supervisor.token);
    expect(rejected.body).toMatchObject({ status: 'investigating', planRejectionReason: '只补杯盖不够, 需致歉并补偿', plan: '补发杯盖' });
    const revised = await act(id, 'propose', { plan: '补发杯盖并赠送10元券', costEstimate: 1800 });
    expect(revised.body).toMatchObject({ status: 'plan_proposed', planCostEstimate: 1800, planRejectionReason: null });
    const approved = await act(id, 'approve', {}, supervisor.token);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: supervisor.id });

    const implemented = await act(id, 'implement', { actualCost: 1500 });
    expect(implemented.body).toMatchObject({ status: 'implemented', cost: 1500 });
    const confirmed = await act(id, 'confirm', { acceptance: 'signed' });
    expect(confirmed.body).toMatchObject({ status: 'awaiting_follow_up', acceptance: 'signed' });
    // [000] 三天之内回访, never while the customer rests (quiet 21:00–09:00): by 3 days later at
    // the latest, at a time of day one may call (the quiet window's start at the latest).
    const confirmedAt = new Date(confirmed.body.confirmedAt).getTime();
    const due = new Date(confirmed.body.dueAt);
    expect(due.getTime()).toBeGreaterThan(confirmedAt);
    expect(due.getTime()).toBeLessThanOrEqual(confirmedAt + 3 * DAY);
    const local = DateTime.fromJSDate(due, { zone: SH });
    expect(local.hour * 60 + local.minute).toBeGreaterThanOrEqual(9 * 60);
    expect(local.hour * 60 + local.minute).toBeLessThanOrEqual(21 * 60);

    // The follow-up task of the resolution has the same deadline; the complaint's own step records it.
    const tasks = await t.http().get(`/api/v1/follow-ups?sourceCaseId=${id}`).set(bearer(agent.token));
    expect(tasks.body.items).toHaveLength(1);
    expect(tasks.body.items[0]).toMatchObject({ status: 'open', source: { module: 'complaint', caseId: id, collection: 'complaints', round: 1 }, orderId: order.id });
    expect(tasks.body.items[0].dueAt).toBe(confirmed.body.dueAt);

    const done = await act(id, 'follow-up', { result: 'satisfied', comment: '很满意, 谢谢' });
    expect(done.body).toMatchObject({ status: 'closed', followUpResult: 'satisfied', followUpComment: '很满意, 谢谢', reopenCount: 0, dueAt: null });
    expect(done.body.allowedActions).toEqual(['note']);
    const task = await t.http().get(`/api/v1/follow-ups/${tasks.body.items[0].id}`).set(bearer(agent.token));
    expect(task.body).toMatchObject({ status: 'done', result: 'satisfied', comment: '很满意, 谢谢', recordedBy: agent.id });
    expect(path(done.body)).toEqual([
      'create:>received',
      'assess:received>investigating',
      'assign-department:investigating>investigating',
      'propose:investigating>plan_proposed',
      'reject-plan:plan_proposed>investigating',
      'propose:investigating>plan_proposed',
      'approve:plan_proposed>approved',
      'implement:approved>implemented',
      'confirm:implemented>awaiting_follow_up',
      'follow-up:awaiting_follow_up>closed',
    ]);
  });

  it('an unfounded complaint is explained, with the explanation kept, and closes by hand or by itself after 3 days', async () => {
    const a = await inStatus('explained');
    const explained = (await get(a.id)).body;
    expect(explained).toMatchObject({ status: 'explained', founded: false, assessment: '订单显示已按约定时间发货' });
    expect(explained.allowedActions).toEqual(['close', 'mark-serious', 'assign', 'note']);
    expect((await act(a.id, 'close')).body.status).toBe('closed');

    const b = await inStatus('explained');
    const dueAt = new Date((await get(b.id)).body.dueAt);
    const swept = await t.app.get(DueSweeper).sweep(new Date(dueAt.getTime() + 60_000));
    expect(swept.filter((r) => r.id === b.id)).toEqual([{ machine: 'complaint', id: b.id, outcome: 'fired' }]);
    const closed = (await get(b.id)).body;
    expect(closed.status).toBe('closed');
    expect(closed.timeline.at(-1)).toMatchObject({ action: 'close', actor: { type: 'system', id: null }, note: 'no answer to the explanation within 3 days' });
  });

  it('only a supervisor approves; every action outside its states answers 409 and changes nothing', async () => {
    const proposed = await inStatus('plan_proposed');
    const forbidden = await act(proposed.id, 'approve', {}, agent.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: expect.any(String) });
    expect((await act(proposed.id, 'approve', {}, warehouse.token)).status).toBe(403);

    const statuses = Object.keys(complaintMachine.states);
    const actions = Object.keys(BODIES);
    let checked = 0;
    for (const status of statuses) {
      const c = await inStatus(status);
      for (const action of actions) {
        const def = complaintMachine.actions[action];
        if ((def.from as readonly string[]).includes(status)) continue;
        const res = await act(c.id, action, BODIES[action], supervisor.token);
        expect({ status, action, code: res.status }).toEqual({ status, action, code: 409 });
        expect(res.body.message).toContain(`in status ${status}`);
        checked++;
      }
      // the kernel's assign ends with the case too
      if (complaintMachine.states[status as keyof typeof complaintMachine.states].terminal) {
        expect((await act(c.id, 'assign', { assigneeId: agent.id }, supervisor.token)).status).toBe(409);
      }
      const after = (await get(c.id)).body;
      expect({ status, version: after.version }).toEqual({ status: after.status, version: c.version });
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('a serious complaint reaches the supervisors\' endpoint at once, signed; raising one later does too', async () => {
    const ep = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: endpointUrl, secret: 'supervisor-secret-0123456789', events: ['complaint.serious'] });
    expect(ep.status).toBe(201);
    const c = await create(base({ severity: 'serious', category: 'product_quality', content: '收到的奶粉已过期, 孩子已食用' }));
    expect(c.body.severity).toBe('serious');
    const [queued] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'event.deliver' AND payload->'event'->'data'->>'id' = $1`, [c.body.id]);
    expect(queued.n).toBe(1);

    const normal = await create(base());
    expect((await act(normal.body.id, 'mark-serious', { note: '顾客称要投诉到消协' })).body).toMatchObject({ severity: 'serious', status: 'received', version: 2 });
    expect((await act(normal.body.id, 'mark-serious')).status).toBe(422);

    const outbox = t.app.get(OutboxService);
    for (let i = 0; i < 20 && received.length < 2; i++) {
      await outbox.dispatch();
      await new Promise((r) => setTimeout(r, 20));
    }
    const events = received.map((r) => ({ ...r, event: JSON.parse(r.raw) }));
    expect(events.map((e) => [e.event.type, e.event.data.id])).toEqual([
      ['complaint.serious', c.body.id],
      ['complaint.serious', normal.body.id],
    ]);
    expect(events[0].event.data).toMatchObject({ collection: 'complaints', severity: 'serious', category: 'product_quality', status: 'received', shopId });
    for (const e of events) {
      const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(e.headers['x-signature']))!;
      expect(createHmac('sha256', 'supervisor-secret-0123456789').update(`${ts}.${e.raw}`).digest('hex')).toBe(v1);
    }
    // The worklist reads severity: serious complaints first.
    const serious = await t.http().get('/api/v1/complaints?severity=serious').set(bearer(supervisor.token));
    expect(serious.body.items.map((i: { id: string }) => i.id).sort()).toEqual([c.body.id, normal.body.id].sort());
  });

  it('refuses bad registrations (400/404/422) without writing anything; another merchant sees 404', async () => {
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM complaints`))[0].n as number;
    const before = await count();
    const noShop = await create({ complainantName: 'x', channel: 'phone', content: 'y', category: 'other' });
    expect(noShop.status).toBe(400);
    expect(noShop.body.details).toEqual([{ field: 'shopId', errors: ['shopId is required when no orderId is given'] }]);
    expect((await create(base({ channel: 'fax' }))).status).toBe(400);
    expect((await create(base({ severity: 'urgent' }))).status).toBe(400);
    expect((await create(base({ extra: 1 }))).status).toBe(400);
    const missing = await create({ shopId, channel: 'phone', content: 'y', category: 'other' });
    expect(missing.body.details).toEqual([{ field: 'complainantName', errors: ['complainantName is required'] }]);
    expect((await create(base({ reportedAt: new Date(Date.now() + DAY).toISOString() }))).status).toBe(400);
    const other = await createOtherMerchant(t);
    const otherShop = await createShop(t, {}, other.adminToken);
    expect((await create(base({ shopId: otherShop.id }))).status).toBe(404);
    expect((await create(base({ orderId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
    const order = await insertPaidOrder(t, shopId);
    const secondShop = await createShop(t);
    expect((await create(base({ orderId: order.id, shopId: secondShop.id }))).status).toBe(422);
    expect((await create(base({ assigneeId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(422);
    expect((await create(base(), warehouse.token)).status).toBe(403);
    expect(await count()).toBe(before);

    const mine = await create(base());
    expect((await get(mine.body.id, other.adminToken)).status).toBe(404);
    expect((await act(mine.body.id, 'assess', BODIES.assess, other.adminToken)).status).toBe(404);
    const list = await t.http().get('/api/v1/complaints').set(bearer(other.adminToken));
    expect(list.body.items).toEqual([]);
    expect((await get(mine.body.id)).body.version).toBe(1);
  });
});
