import { DateTime } from 'luxon';
import { AGENT_PLUS, type Caller, Role } from '../../src/kernel/auth/roles.js';
import { CalendarService } from '../../src/kernel/calendar/calendar.service.js';
import { defineMachine } from '../../src/kernel/state-machine/machine.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL, widgetMachine, WidgetStatus, WidgetTestModule } from '../support/widget-machine.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const local = (s: string, zone = SH) => DateTime.fromISO(s, { zone }).toJSDate();
const wall = (d: Date | string | null, zone = SH) => (d ? DateTime.fromJSDate(new Date(d)).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : null);

/** A case that can wait on the customer and come back to the same step, or go on to another. */
const ticketMachine = defineMachine({
  name: 'test_ticket',
  table: 'test_tickets',
  collection: 'tickets',
  description: 'Test-only machine with a waiting_customer state',
  kind: 'case',
  states: {
    open: { description: 'first answer due in 8 business hours', tags: ['open'], due: { kind: 'businessHours', hours: 8 }, onDue: { mark: 'overdue' } },
    pending: { description: 'waiting for the customer', tags: ['waiting_customer'], due: { kind: 'days', days: 3 } },
    parked: { description: 'waiting for the customer, second stage', tags: ['waiting_customer'] },
    working: { description: 'being worked on: 4 h', tags: ['open'], due: { kind: 'hours', hours: 4 } },
    closed: { description: 'done', tags: ['closed'], terminal: true },
  },
  initial: ['open'],
  actions: {
    'ask-customer': { description: 'ask the customer', from: ['open', 'working'], to: 'pending', actors: AGENT_PLUS },
    park: { description: 'still waiting', from: ['pending'], to: 'parked', actors: AGENT_PLUS },
    'log-contact': { description: 'a call', from: ['pending'], to: 'stay', actors: AGENT_PLUS },
    'customer-replied': { description: 'back to the step it left', from: ['pending', 'parked'], to: 'open', actors: AGENT_PLUS },
    'start-work': { description: 'on to another step', from: ['pending'], to: 'working', actors: AGENT_PLUS },
    close: { description: 'close', from: ['open', 'working'], to: 'closed', actors: AGENT_PLUS },
  },
});

/**
 * Item 4 of issue 10: every deadline of the engine reads the merchant's business calendar
 * (holidays, make-up working days, per-weekday hours, quiet hours) in the shop's timezone, and
 * time spent waiting on the customer does not count (SPEC §4).
 */
describe('deadlines on the business calendar, and the SLA pause of waiting_customer states', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let shopId: string;
  let nyShopId: string;
  let engine: StateMachineEngine;
  let caller: Caller;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [WidgetTestModule], env: { JOBS_ENABLED: 'false' } });
    await t.db.query(WIDGET_TABLE_SQL);
    await t.db.query(WIDGET_TABLE_SQL.replace('test_widgets', 'test_tickets'));
    agent = await createStaff(t, Role.Agent);
    shopId = (await createShop(t, { timezone: SH })).id;
    nyShopId = (await createShop(t, { timezone: NY })).id;
    engine = t.app.get(StateMachineEngine);
    caller = { type: 'staff', merchantId: t.merchantId, staffId: agent.id, role: Role.Agent };
  });
  afterAll(async () => {
    await t?.close();
  });

  const submittedOnCreate = { ...widgetMachine, initial: [WidgetStatus.Draft, WidgetStatus.Submitted] };
  const openWidget = async (shop: string, dueFrom: Date) =>
    (await engine.create(submittedOnCreate, { type: 'system', merchantId: t.merchantId }, { shop_id: shop, amount: 1 }, { status: WidgetStatus.Submitted, dueFrom })).row;
  const holiday = async (date: string) => {
    const res = await t.http().put(`/api/v1/calendar/days/${date}`).set(bearer(t.adminToken)).send({ kind: 'holiday', name: 'company day off' });
    expect(res.status).toBe(200);
  };

  it('12 business hours skip 春节 2026 and count its 调休 Saturday (default mainland-China days)', async () => {
    const w = await openWidget(shopId, local('2026-02-13T17:00'));
    expect(wall(w.due_at)).toBe('2026-02-24T11:00');
  });

  it("a day off the merchant adds moves the deadline of a transition fired over HTTP", async () => {
    const widget = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({ shopId, amount: 1 });
    const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, SH);
    // The day the deadline would fall on today becomes a day off: the deadline moves past it.
    const before = cal.addBusinessHours(new Date(), 12);
    const dayOff = cal.localDate(before);
    await holiday(dayOff);
    const submitted = await t.http().post(`/api/v1/widgets/${widget.body.id}/submit`).set(bearer(agent.token)).send({});
    expect(submitted.status).toBe(201);
    const after = await t.app.get(CalendarService).forMerchant(t.merchantId, SH);
    expect(after.isWorkingDay(dayOff)).toBe(false);
    expect(new Date(submitted.body.due_at).toISOString()).toBe(after.addBusinessHours(new Date(submitted.body.event.at), 12).toISOString());
    expect(wall(submitted.body.due_at)!.slice(0, 10)).not.toBe(dayOff);
    expect(new Date(submitted.body.due_at).getTime()).toBeGreaterThan(before.getTime());
  });

  it('per-weekday hours of the merchant and the shop timezone: a New York shop reads the same rules at its own 09:00', async () => {
    const res = await t.http().patch('/api/v1/settings/calendar').set(bearer(t.adminToken)).send({ weeklyHours: { sunday: [] } });
    expect(res.status).toBe(200);
    // Friday 6 Mar 17:00 New York + 12 h: 1 h Friday, 9 h Saturday, Sunday closed, 2 h Monday
    expect(wall((await openWidget(nyShopId, local('2026-03-06T17:00', NY))).due_at, NY)).toBe('2026-03-09T11:00');
    // the same rule in Shanghai: Friday 6 Mar 17:00 Shanghai
    expect(wall((await openWidget(shopId, local('2026-03-06T17:00'))).due_at)).toBe('2026-03-09T11:00');
    expect((await t.http().patch('/api/v1/settings/calendar').set(bearer(t.adminToken)).send({ weeklyHours: { sunday: [{ start: '09:00', end: '18:00' }] } })).status).toBe(200);
  });

  describe('SLA pause', () => {
    const index = async (id: string) => (await t.db.query('SELECT sla_paused, due_at FROM case_index WHERE machine = $1 AND case_id = $2', ['test_ticket', id]))[0];
    const fire = (id: string, action: string, at: string) => engine.fire(ticketMachine, id, action, caller, { now: local(at) });
    const open = async (at: string) => (await engine.create(ticketMachine, caller, { shop_id: shopId }, { status: 'open', now: local(at) })).row;

    it('re-entering the step it left gets the budget it had: 4 business hours left at the pause, counted again from the reply', async () => {
      const c = await open('2026-03-09T10:00'); // Monday: due 18:00
      expect(wall(c.due_at)).toBe('2026-03-09T18:00');
      const waiting = await fire(c.id, 'ask-customer', '2026-03-09T14:00');
      expect(wall(waiting.row.due_at)).toBe('2026-03-12T14:00'); // the waiting state's own rule
      expect(await index(c.id)).toMatchObject({ sla_paused: { state: 'open', dueAt: local('2026-03-09T18:00').toISOString(), pausedAt: local('2026-03-09T14:00').toISOString() } });
      // a call while waiting keeps both the deadline and the pause
      await fire(c.id, 'log-contact', '2026-03-10T11:00');
      await fire(c.id, 'park', '2026-03-10T12:00');
      expect((await index(c.id)).sla_paused).toMatchObject({ state: 'open', pausedAt: local('2026-03-09T14:00').toISOString() });
      const back = await fire(c.id, 'customer-replied', '2026-03-11T16:00');
      // Wednesday 16:00 + 4 business hours: 2 h Wednesday, 2 h Thursday
      expect(wall(back.row.due_at)).toBe('2026-03-12T11:00');
      expect(await index(c.id)).toMatchObject({ sla_paused: null, due_at: back.row.due_at });
    });

    it('a day off after the reply does not count either', async () => {
      await holiday('2026-03-19');
      const c = await open('2026-03-16T10:00'); // Monday, due 18:00
      await fire(c.id, 'ask-customer', '2026-03-16T14:00');
      const back = await fire(c.id, 'customer-replied', '2026-03-18T16:00');
      // 2 h Wednesday, Thursday off, 2 h Friday
      expect(wall(back.row.due_at)).toBe('2026-03-20T11:00');
    });

    it('going on to another step restarts: that step\'s own deadline from the reply', async () => {
      const c = await open('2026-03-23T10:00');
      await fire(c.id, 'ask-customer', '2026-03-23T14:00');
      const working = await fire(c.id, 'start-work', '2026-03-25T16:00');
      expect(wall(working.row.due_at)).toBe('2026-03-25T20:00');
      expect((await index(c.id)).sla_paused).toBeNull();
      // and that step pauses in its turn; coming back to it resumes its elapsed-time budget (3 h left)
      await fire(c.id, 'ask-customer', '2026-03-25T17:00');
      expect((await index(c.id)).sla_paused).toMatchObject({ state: 'working' });
      expect(wall((await fire(c.id, 'start-work', '2026-03-26T10:00')).row.due_at)).toBe('2026-03-26T13:00');
    });

    it('a deadline already missed when the wait began stays missed', async () => {
      const c = await open('2026-03-30T10:00'); // due 18:00
      await fire(c.id, 'ask-customer', '2026-03-30T19:00');
      const back = await fire(c.id, 'customer-replied', '2026-04-01T10:00');
      expect(wall(back.row.due_at)).toBe('2026-03-30T18:00');
    });
  });
});
