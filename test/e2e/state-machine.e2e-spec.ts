import fc from 'fast-check';
import { Role, type Caller } from '../../src/kernel/auth/roles.js';
import { DomainError } from '../../src/kernel/errors/domain-errors.js';
import { targetsOf } from '../../src/kernel/state-machine/machine.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { CalendarService } from '../../src/kernel/calendar/calendar.service.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL, widgetMachine, WidgetStatus, WidgetTestModule } from '../support/widget-machine.js';

/** The widget machine, allowed to open cases already submitted (as a scan opens cases in a working state). */
const submittedOnCreate = { ...widgetMachine, initial: [WidgetStatus.Draft, WidgetStatus.Submitted] };

describe('state-machine engine on PostgreSQL (test-only machine)', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let supervisor2: StaffLogin;
  let shopId: string;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [WidgetTestModule] });
    await t.db.query(WIDGET_TABLE_SQL);
    agent = await createStaff(t, Role.Agent);
    supervisor = await createStaff(t, Role.Supervisor);
    supervisor2 = await createStaff(t, Role.Supervisor);
    shopId = (await createShop(t, { timezone: 'Asia/Shanghai' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const newWidget = async (amount = 100) => {
    const res = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({ shopId, amount });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; version: number };
  };
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/widgets/${id}/${action}`).set(bearer(token)).send(body);

  it('serves the registered machine at /api/v1/meta/state-machines', async () => {
    const res = await t.http().get('/api/v1/meta/state-machines').set(bearer(agent.token));
    expect(res.status).toBe(200);
    const m = res.body.find((x: { name: string }) => x.name === 'test_widget');
    expect(m.collection).toBe('widgets');
    expect(m.states.map((s: { name: string }) => s.name)).toEqual(['draft', 'submitted', 'approved', 'rejected', 'closed']);
    const approve = m.actions.find((a: { name: string }) => a.name === 'approve');
    expect(approve).toMatchObject({ from: ['submitted'], to: ['approved'], actors: ['supervisor', 'admin'], guards: ['throwIfOverLimit'] });
    expect(m.diagram).toContain('submitted --> approved: approve');
  });

  it('runs a lifecycle: writes status, bumps version, appends the timeline, sets dueAt', async () => {
    const w = await newWidget();
    expect(w).toMatchObject({ status: 'draft', version: 1 });
    const submitted = await act(agent.token, w.id, 'submit', { note: 'please look' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', version: 2 });
    const at = new Date(submitted.body.event.at);
    // deadlines read the merchant's business calendar in the shop's zone
    const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, 'Asia/Shanghai');
    expect(new Date(submitted.body.due_at).toISOString()).toBe(cal.addBusinessHours(at, 12).toISOString());

    const approved = await act(supervisor.token, w.id, 'approve', { expectedVersion: 2 });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ status: 'approved', version: 3 });
    expect(new Date(approved.body.due_at).toISOString()).toBe(cal.cutoff1600(new Date(approved.body.event.at)).toISOString());

    const closed = await act(supervisor.token, w.id, 'close');
    expect(closed.body).toMatchObject({ status: 'closed', version: 4, due_at: null });

    const detail = await t.http().get(`/api/v1/widgets/${w.id}`).set(bearer(supervisor.token));
    expect(detail.body.timeline.map((e: { action: string; from: string | null; to: string }) => [e.action, e.from, e.to])).toEqual([
      ['create', null, 'draft'],
      ['submit', 'draft', 'submitted'],
      ['approve', 'submitted', 'approved'],
      ['close', 'approved', 'closed'],
    ]);
    expect(detail.body.timeline[1]).toMatchObject({ note: 'please look', actor: { type: 'staff', id: agent.id } });
    // a closed case only takes notes
    expect(detail.body.allowedActions).toEqual(['note']);
  });

  it('answers 409 to an illegal action, naming the status and the allowed actions, and changes nothing', async () => {
    const w = await newWidget();
    const res = await act(supervisor.token, w.id, 'approve');
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('status draft');
    expect(res.body.message).toContain('allowed actions: submit');
    expect(res.body.details).toEqual({ status: 'draft', allowedActions: ['submit', 'assign', 'note'] });
    const [row] = await t.db.query('SELECT status, version FROM test_widgets WHERE id = $1', [w.id]);
    expect(row).toEqual({ status: 'draft', version: 1 });
  });

  it('answers 403 to a role that may not fire the action', async () => {
    const w = await newWidget();
    await act(agent.token, w.id, 'submit');
    const res = await act(agent.token, w.id, 'approve');
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/role agent may not approve/);
    const [row] = await t.db.query('SELECT status, version FROM test_widgets WHERE id = $1', [w.id]);
    expect(row).toEqual({ status: 'submitted', version: 2 });
  });

  it('answers 409 to a stale expectedVersion', async () => {
    const w = await newWidget();
    await act(agent.token, w.id, 'submit');
    const res = await act(supervisor.token, w.id, 'approve', { expectedVersion: 1 });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('version 2');
  });

  it('answers 422 when a guard refuses, writing nothing', async () => {
    const w = await newWidget(5000);
    await act(agent.token, w.id, 'submit');
    const res = await act(supervisor.token, w.id, 'approve');
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('approval limit');
    const [row] = await t.db.query('SELECT status, version FROM test_widgets WHERE id = $1', [w.id]);
    expect(row).toEqual({ status: 'submitted', version: 2 });
    const events = await t.db.query('SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = $1', [w.id]);
    expect(events[0].n).toBe(2);
  });

  it('lets exactly one of two concurrent actions win; the other gets 409', async () => {
    for (let round = 0; round < 10; round++) {
      const w = await newWidget();
      await act(agent.token, w.id, 'submit');
      const [a, b] = await Promise.all([act(supervisor.token, w.id, 'approve'), act(supervisor2.token, w.id, 'reject')]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([201, 409]);
      const winner = a.status === 201 ? a.body.status : b.body.status;
      const [row] = await t.db.query('SELECT status, version FROM test_widgets WHERE id = $1', [w.id]);
      expect(row).toEqual({ status: winner, version: 3 });
      const events = await t.db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = $1 AND action IN ('approve','reject')`, [w.id]);
      expect(events[0].n).toBe(1);
    }
  });

  it('answers 404 for another merchant\'s case and for unknown actions', async () => {
    const w = await newWidget();
    const other = await createOtherMerchant(t);
    expect((await act(other.adminToken, w.id, 'submit')).status).toBe(404);
    expect((await t.http().get(`/api/v1/widgets/${w.id}`).set(bearer(other.adminToken))).status).toBe(404);
    expect((await act(agent.token, w.id, 'explode')).status).toBe(404);
    expect((await act(agent.token, 'not-a-uuid', 'submit')).status).toBe(404);
  });

  it('keeps the timeline immutable', async () => {
    const w = await newWidget();
    await expect(t.db.query(`UPDATE timeline_events SET note = 'rewritten' WHERE subject_id = $1`, [w.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM timeline_events WHERE subject_id = $1', [w.id])).rejects.toThrow(/append-only/);
  });

  it('createMany opens many cases in one go with the same deadlines and timeline as create, and refuses a foreign shop', async () => {
    const engine = t.app.get(StateMachineEngine);
    const caller: Caller = { type: 'system', merchantId: t.merchantId };
    const before = new Date('2026-03-02T01:00:00Z');
    const results = await engine.createMany(
      submittedOnCreate,
      Array.from({ length: 1200 }, (_, k) => ({ caller, values: { shop_id: shopId, amount: k }, note: `bulk ${k}`, dueFrom: before })),
      { status: WidgetStatus.Submitted },
    );
    expect(results).toHaveLength(1200);
    expect(results.map((r) => Number(r.row.amount))).toEqual(Array.from({ length: 1200 }, (_, k) => k));
    const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, 'Asia/Shanghai');
    const due = cal.addBusinessHours(before, 12).toISOString();
    expect(results.every((r) => new Date(r.row.due_at as Date).toISOString() === due && r.row.version === 1)).toBe(true);
    const ids = results.map((r) => r.row.id);
    const events: Array<{ subject_id: string; note: string; to_status: string }> = await t.db.query(
      `SELECT subject_id, note, to_status FROM timeline_events WHERE subject_id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(events).toHaveLength(1200);
    expect(events.every((e, k) => e.subject_id === ids[k] && e.note === `bulk ${k}` && e.to_status === 'submitted')).toBe(true);
    expect(results.every((r, k) => r.event.note === `bulk ${k}`)).toBe(true);

    const other = await createOtherMerchant(t);
    await expect(
      engine.createMany(submittedOnCreate, [{ caller: { type: 'system', merchantId: other.merchantId }, values: { shop_id: shopId, amount: 1 } }], { status: WidgetStatus.Submitted }),
    ).rejects.toThrow(/shop .* not found/);
  });

  it('property: any random sequence of actions visits only the table\'s transitions, versions strictly increase', async () => {
    const engine = t.app.get(StateMachineEngine);
    const actions = Object.keys(widgetMachine.actions);
    const callers: Caller[] = [
      { type: 'staff', merchantId: t.merchantId, staffId: agent.id, role: Role.Agent },
      { type: 'staff', merchantId: t.merchantId, staffId: supervisor.id, role: Role.Supervisor },
      { type: 'staff', merchantId: t.merchantId, role: Role.Warehouse },
      { type: 'system', merchantId: t.merchantId },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ action: fc.constantFrom(...actions), caller: fc.nat(callers.length - 1) }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(100, 5000),
        async (steps, amount) => {
          const created = await engine.create(widgetMachine, callers[0], { shop_id: shopId, amount }, { status: WidgetStatus.Draft });
          let status = created.row.status;
          let version = created.row.version;
          for (const step of steps) {
            const def = widgetMachine.actions[step.action];
            try {
              const r = await engine.fire(widgetMachine, created.row.id, step.action, callers[step.caller]);
              expect(def.from).toContain(status);
              expect(targetsOf(def)).toContain(r.to);
              expect(r.row.version).toBe(version + 1);
              status = r.row.status;
              version = r.row.version;
            } catch (err) {
              expect(err).toBeInstanceOf(DomainError);
              expect([403, 409, 422]).toContain((err as DomainError).status);
            }
            const [row] = await t.db.query('SELECT status, version FROM test_widgets WHERE id = $1', [created.row.id]);
            expect(row).toEqual({ status, version });
            expect(Object.keys(widgetMachine.states)).toContain(row.status);
          }
          const events: Array<{ action: string; from_status: string | null; to_status: string; version: number }> = await t.db.query(
            'SELECT action, from_status, to_status, version FROM timeline_events WHERE subject_id = $1 ORDER BY id',
            [created.row.id],
          );
          for (let i = 1; i < events.length; i++) {
            const def = widgetMachine.actions[events[i].action];
            expect(def.from).toContain(events[i].from_status);
            expect(targetsOf(def)).toContain(events[i].to_status);
            expect(events[i].from_status).toBe(events[i - 1].to_status);
            expect(events[i].version).toBeGreaterThan(events[i - 1].version);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
