import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { MachineRegistry } from '../../src/kernel/state-machine/machine-registry.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import { EventLogRetention } from '../../src/events/event-log-retention.service.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL, WidgetTestModule } from '../support/widget-machine.js';

interface Received {
  path: string;
  raw: string;
  headers: IncomingHttpHeaders;
  answered: number;
}
interface SentEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, any>;
}

const DAY = 24 * 3600_000;
const SECRET = 'all-events-secret-0123456789';
const FLAKY_SECRET = 'flaky-endpoint-secret-0123456789';
/** The fake shop refuses refunds of this amount (its refund webhook answers 422). */
const REFUSED_AMOUNT = 777;

/** What a receiver does: recompute the HMAC over "<t>.<raw body>" with its secret. */
function verify(r: Received, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-signature']));
  return m !== null && createHmac('sha256', secret).update(`${m[1]}.${r.raw}`).digest('hex') === m[2];
}

describe('outbound events of every module: signed, retried, logged and re-sendable (SPEC §4, issue 14 item 4)', () => {
  let t: TestApp;
  let server: Server;
  let base = '';
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let shopId: string;
  /** Answers to give, per path, before answering normally. */
  const failNext: Record<string, number> = {};
  const got: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        let answered = 204;
        let body = '';
        if ((failNext[path] ?? 0) > 0) {
          failNext[path]--;
          answered = 500;
        } else if (path === '/refunds') {
          // The generic shop's refund webhook (docs/refunds.md): refunds the amount or refuses it.
          const data = JSON.parse(raw).data as { refundId: string; amountMinor: number };
          answered = data.amountMinor === REFUSED_AMOUNT ? 422 : 200;
          body = answered === 200 ? JSON.stringify({ platformRefundId: `PR-${data.refundId.slice(0, 8)}` }) : '{"error":"refund window closed"}';
        }
        got.push({ path, raw, headers: req.headers, answered });
        res.writeHead(answered, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    t = await startTestApp({ extraModules: [WidgetTestModule], env: { OUTBOX_BACKOFF_MS: '1' } });
    await t.db.query(WIDGET_TABLE_SQL);
    [agent, supervisor] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor)]);
    shopId = (await createShop(t, { platform: 'generic' })).id;
    await t.http().put(`/api/v1/refund-channels/${shopId}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: `${base}/refunds` }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => server.close(r));
  });

  /** Runs the outbox until no event delivery or refund execution is left to try. */
  const drain = async () => {
    const outbox = t.app.get(OutboxService);
    for (let i = 0; i < 50; i++) {
      await outbox.dispatch();
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind IN ('event.deliver', 'refund.execute') AND status = 'pending'`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the outbox did not drain');
  };
  const delivered = (path: string) => got.filter((g) => g.path === path && g.answered < 300);
  const events = (path: string) => delivered(path).map((g) => ({ g, e: JSON.parse(g.raw) as SentEvent }));
  const register = async (path: string, secret: string, types: string[] = []) => {
    const res = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `${base}${path}`, secret, events: types });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const act = (collection: string, id: string, action: string, body: object, token = agent.token) =>
    t.http().post(`/api/v1/${collection}/${id}/${action}`).set(bearer(token)).send(body);

  it('delivers every event type signed: case.created, case.status_changed, case.overdue, refund.succeeded, refund.failed, complaint.serious, review.revised', async () => {
    await register('/all', SECRET);

    // A case of the test machine: created, then a status change.
    const w = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await act('widgets', w.body.id, 'submit', {}).expect(201);

    // A 2-star review of an order, its first contact overdue; the customer is won back with a
    // refund the shop's refund webhook pays, then revises to 5 stars.
    const order = await insertPaidOrder(t, shopId, { total: 30_000 });
    const review = await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({
      shopId, orderId: order.id, platformReviewId: `R-${randomUUID()}`, rating: 2, content: '包装破损', reviewedAt: new Date(Date.now() - 2 * DAY).toISOString(),
    });
    expect(review.status).toBe(201);
    const complaint = await t.http().post('/api/v1/complaints').set(bearer(agent.token)).send({
      shopId, complainantName: '王小红', channel: 'phone', content: '收到的奶粉已过期', category: 'product_quality', severity: 'serious',
    });
    expect(complaint.status).toBe(201);
    // Far enough ahead that every deadline above has passed: each module's overdue mark is an event.
    const swept = await t.app.get(DueSweeper).sweep(new Date(Date.now() + 30 * DAY));
    expect(swept.filter((s) => s.outcome === 'marked').map((s) => s.machine).sort()).toEqual(expect.arrayContaining(['complaint', 'review']));

    await act('reviews', review.body.id, 'log-contact', { outcome: 'reached', channel: 'chat' }).expect(200);
    await act('reviews', review.body.id, 'diagnose', { rootCause: 'product_quality', serviceCaused: false }).expect(200);
    await act('reviews', review.body.id, 'offer-remedy', { type: 'refund', amount: 4_000, description: '部分退款' }, supervisor.token).expect(200);
    const accepted = await act('reviews', review.body.id, 'accept', {});
    expect(accepted.status).toBe(200);
    const remedyRefundId = accepted.body.refundId as string;
    expect(remedyRefundId).toEqual(expect.any(String));
    // A goodwill refund the shop refuses.
    const refused = await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: order.id, amount: REFUSED_AMOUNT, reason: '运费补偿' });
    expect(refused.status).toBe(201);
    await drain(); // executes both refunds through the shop's webhook
    await act('reviews', review.body.id, 'revise', { rating: 5, content: '客服很负责' }).expect(200);
    await drain();

    const all = events('/all');
    for (const { g, e } of all) {
      expect(verify(g, SECRET)).toBe(true);
      expect(g.headers['x-event-id']).toBe(e.id);
      expect(g.headers['x-event-type']).toBe(e.type);
      expect(g.headers['content-type']).toBe('application/json');
    }
    const ofType = (type: string) => all.map((x) => x.e).filter((e) => e.type === type);
    expect(new Set(all.map((x) => x.e.type))).toEqual(new Set(EVENT_TYPES.filter((x) => x !== 'inventory.corrected')));

    expect(ofType('case.created').find((e) => e.data.id === w.body.id)?.data).toMatchObject({ caseType: 'test_widget', collection: 'widgets', from: null, to: 'draft' });
    expect(ofType('case.status_changed').find((e) => e.data.id === w.body.id)?.data).toMatchObject({ action: 'submit', from: 'draft', to: 'submitted', version: 2 });
    const overdue = ofType('case.overdue');
    expect(overdue.find((e) => e.data.id === review.body.id)?.data).toMatchObject({ caseType: 'review', collection: 'reviews', shopId, orderId: order.id, from: 'open', to: 'open' });
    expect(overdue.find((e) => e.data.id === complaint.body.id)?.data).toMatchObject({ caseType: 'complaint', collection: 'complaints', shopId, from: 'received' });
    expect(ofType('complaint.serious').map((e) => e.data.id)).toEqual([complaint.body.id]);

    // Exactly one event per refund, whatever the way it ended.
    expect(ofType('refund.succeeded').map((e) => e.data)).toEqual([
      expect.objectContaining({
        id: remedyRefundId, orderId: order.id, shopId, status: 'succeeded', amount: 4_000, currency: 'CNY', method: 'webhook',
        source: { type: 'review', id: review.body.id }, platformRefundId: `PR-${remedyRefundId.slice(0, 8)}`, failureReason: null,
      }),
    ]);
    expect(ofType('refund.failed').map((e) => e.data)).toEqual([
      expect.objectContaining({
        id: refused.body.id, orderId: order.id, status: 'failed', amount: REFUSED_AMOUNT, source: { type: 'goodwill', id: null }, platformRefundId: null,
        failureReason: 'refund webhook answered 422',
      }),
    ]);
    expect(ofType('review.revised').map((e) => e.data)).toEqual([
      expect.objectContaining({ id: review.body.id, orderId: order.id, shopId, oldRating: 2, newRating: 5, fromStatus: 'awaiting_revision', content: '客服很负责' }),
    ]);
    // Each event reached the endpoint once.
    expect(new Set(all.map((x) => x.e.id)).size).toBe(all.length);
  });

  it('case.overdue can be reported for every machine that marks cases overdue: each table has what the event carries', async () => {
    const marking = t.app.get(MachineRegistry).all().filter((m) => Object.values(m.states).some((st) => st.onDue && 'mark' in st.onDue));
    expect(marking.map((m) => m.name)).toEqual(expect.arrayContaining(['claim', 'complaint', 'follow_up', 'logistics_exception', 'return', 'review', 'task']));
    for (const m of marking) {
      const cols: Array<{ column_name: string }> = await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [m.table]);
      const names = cols.map((c) => c.column_name);
      // The sweeper hands the listener the locked case row; orderId is null where a table has no order (tasks).
      expect({ machine: m.name, missing: ['id', 'merchant_id', 'shop_id', 'status', 'version', 'due_at'].filter((c) => !names.includes(c)) }).toEqual({ machine: m.name, missing: [] });
    }
  });

  it('a delivery answered 500 is retried, then succeeds and is not sent again; the log shows both attempts', async () => {
    const endpointId = await register('/flaky', FLAKY_SECRET, ['case.created']);
    failNext['/flaky'] = 1;
    const w = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await drain();
    await drain();
    const tries = got.filter((g) => g.path === '/flaky' && JSON.parse(g.raw).data.id === w.body.id);
    expect(tries.map((g) => g.answered)).toEqual([500, 204]);
    expect(tries.every((g) => verify(g, FLAKY_SECRET))).toBe(true);
    const eventId = JSON.parse(tries[0].raw).id as string;
    expect(JSON.parse(tries[1].raw).id).toBe(eventId);

    const log = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(t.adminToken));
    expect(log.status).toBe(200);
    expect(log.body.items.map((d: Record<string, unknown>) => ({ ...d, durationMs: typeof d.durationMs, attemptedAt: typeof d.attemptedAt, id: typeof d.id }))).toEqual([
      { id: 'string', endpointId, eventId, eventType: 'case.created', attempt: 2, resend: false, outcome: 'succeeded', statusCode: 204, failureReason: null, durationMs: 'number', attemptedAt: 'string' },
      { id: 'string', endpointId, eventId, eventType: 'case.created', attempt: 1, resend: false, outcome: 'failed', statusCode: 500, failureReason: 'HTTP 500', durationMs: 'number', attemptedAt: 'string' },
    ]);
    // One page at a time, newest first.
    const first = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=1`).set(bearer(t.adminToken));
    const second = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=1&cursor=${first.body.nextCursor}`).set(bearer(t.adminToken));
    expect([first.body.items[0].attempt, second.body.items[0].attempt, second.body.nextCursor]).toEqual([2, 1, null]);
    const failedOnly = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?outcome=failed`).set(bearer(t.adminToken));
    expect(failedOnly.body.items.map((d: { attempt: number }) => d.attempt)).toEqual([1]);

    const [row] = await t.db.query(`SELECT attempts, status FROM outbox WHERE kind = 'event.deliver' AND payload->>'endpointId' = $1 AND payload->'event'->>'id' = $2`, [endpointId, eventId]);
    expect(row).toEqual({ attempts: 2, status: 'done' });
    await drain();
    expect(got.filter((g) => g.path === '/flaky' && g.answered < 300 && JSON.parse(g.raw).id === eventId)).toHaveLength(1);
    const [{ endpointFailures }] = await t.db.query(`SELECT consecutive_failures AS "endpointFailures" FROM webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(endpointFailures).toBe(0);
  });

  it('resends a logged delivery with the same event id and body, once per request; shows the event as sent', async () => {
    const endpointId = await register('/resend', SECRET, ['case.created']);
    const w = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await drain();
    const [original] = got.filter((g) => g.path === '/resend' && JSON.parse(g.raw).data.id === w.body.id);
    const sent = JSON.parse(original.raw) as SentEvent;
    const [delivery] = (await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(t.adminToken))).body.items;

    const detail = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries/${delivery.id}`).set(bearer(t.adminToken));
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: delivery.id, eventId: sent.id, outcome: 'succeeded', event: sent });

    const resend = await t.http().post(`/api/v1/webhook-endpoints/${endpointId}/deliveries/${delivery.id}/resend`).set(bearer(t.adminToken)).send({});
    expect(resend.status).toBe(202);
    expect(resend.body).toEqual({ eventId: sent.id, endpointId, eventType: 'case.created', queued: true });
    // Still queued: a second click is refused rather than sent twice.
    const again = await t.http().post(`/api/v1/webhook-endpoints/${endpointId}/deliveries/${delivery.id}/resend`).set(bearer(t.adminToken)).send({});
    expect(again.status).toBe(409);
    await drain();

    const copies = got.filter((g) => g.path === '/resend' && g.headers['x-event-id'] === sent.id);
    expect(copies).toHaveLength(2);
    expect(copies[1].raw).toBe(original.raw);
    expect(verify(copies[1], SECRET)).toBe(true);
    const log = (await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?eventId=${sent.id}`).set(bearer(t.adminToken))).body.items;
    expect(log.map((d: { attempt: number; resend: boolean; outcome: string }) => [d.attempt, d.resend, d.outcome])).toEqual([[2, true, 'succeeded'], [1, false, 'succeeded']]);

    // An inactive endpoint gets nothing: resending is refused until it is re-enabled.
    await t.http().patch(`/api/v1/webhook-endpoints/${endpointId}`).set(bearer(t.adminToken)).send({ active: false }).expect(200);
    const paused = await t.http().post(`/api/v1/webhook-endpoints/${endpointId}/deliveries/${delivery.id}/resend`).set(bearer(t.adminToken)).send({});
    expect(paused.status).toBe(422);
    expect(paused.body.message).toContain('inactive');
  });

  it('another merchant\'s endpoints and deliveries answer 404; only admins read the log; bad filters are 400', async () => {
    const endpointId = await register('/tenancy', SECRET, ['case.created']);
    await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await drain();
    const [delivery] = (await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(t.adminToken))).body.items;
    expect(delivery).toBeDefined();

    const other = await createOtherMerchant(t);
    const theirs = await t.http().post('/api/v1/webhook-endpoints').set(bearer(other.adminToken)).send({ url: `${base}/theirs`, secret: SECRET });
    expect(theirs.status).toBe(201);
    const as = (token: string) => ({
      list: (ep: string) => t.http().get(`/api/v1/webhook-endpoints/${ep}/deliveries`).set(bearer(token)),
      get: (ep: string, d: string) => t.http().get(`/api/v1/webhook-endpoints/${ep}/deliveries/${d}`).set(bearer(token)),
      resend: (ep: string, d: string) => t.http().post(`/api/v1/webhook-endpoints/${ep}/deliveries/${d}/resend`).set(bearer(token)).send({}),
    });
    const o = as(other.adminToken);
    expect([
      (await o.list(endpointId)).status,
      (await o.get(endpointId, delivery.id)).status,
      (await o.resend(endpointId, delivery.id)).status,
      // their own endpoint with our delivery
      (await o.get(theirs.body.id, delivery.id)).status,
      (await o.resend(theirs.body.id, delivery.id)).status,
    ]).toEqual([404, 404, 404, 404, 404]);
    expect((await o.list(theirs.body.id)).body.items).toEqual([]);

    const me = as(t.adminToken);
    expect((await me.get(endpointId, 'not-a-uuid')).status).toBe(404);
    expect((await me.get(endpointId, randomUUID())).status).toBe(404);
    expect((await me.list('not-a-uuid')).status).toBe(404);
    expect((await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?outcome=exploded`).set(bearer(t.adminToken))).status).toBe(400);
    expect((await as(agent.token).list(endpointId)).status).toBe(403);
  });

  it('forgets events older than 30 days with their delivery log, and keeps newer ones', async () => {
    const endpointId = await register('/retention', SECRET, ['case.created']);
    await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await drain();
    const log = (await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(t.adminToken))).body.items as Array<{ id: string; eventId: string }>;
    expect(log).toHaveLength(2);
    const [recent, old] = log;
    await t.db.query(`UPDATE outbound_events SET created_at = now() - interval '31 days' WHERE id = $1`, [old.eventId]);

    expect(await t.app.get(EventLogRetention).prune()).toBe(1);
    const after = (await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(t.adminToken))).body.items as Array<{ id: string }>;
    expect(after.map((d) => d.id)).toEqual([recent.id]);
    expect((await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries/${old.id}`).set(bearer(t.adminToken))).status).toBe(404);
  });
});
