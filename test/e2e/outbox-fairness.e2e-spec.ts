import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EventsService } from '../../src/events/events.service.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createOtherMerchant, createShop } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Accepts every request and never answers: the worst endpoint a merchant can register. */
class BlackHole {
  server!: Server;
  url = '';
  private readonly open = new Set<Socket>();
  /** Requests received and still waiting for an answer. */
  waiting = 0;
  maxWaiting = 0;

  async start(): Promise<this> {
    this.server = createServer((req) => {
      this.waiting++;
      this.maxWaiting = Math.max(this.maxWaiting, this.waiting);
      req.socket.once('close', () => this.waiting--);
      req.resume();
    });
    this.server.on('connection', (s: Socket) => {
      this.open.add(s);
      s.once('close', () => this.open.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A healthy receiver: generic refund webhooks (signature checked) and events. */
class Receiver {
  server!: Server;
  url = '';
  secret = '';
  failWith = 0;
  refunds: string[] = [];
  events: Array<{ type: string; data: Record<string, unknown> }> = [];

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (this.failWith) return void res.writeHead(this.failWith).end('down for maintenance: internal detail');
        if (req.url === '/refunds') {
          const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
          if (!m || createHmac('sha256', this.secret).update(`${m[1]}.${body}`).digest('hex') !== m[2]) return void res.writeHead(401).end();
          this.refunds.push(String(req.headers['idempotency-key']));
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformRefundId: `R-${this.refunds.length}` }));
        }
        this.events.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const waitFor = async (what: string, cond: () => Promise<boolean> | boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('one merchant never stalls another (SPEC §4)', () => {
  let t: TestApp;
  let hole: BlackHole;
  let good: Receiver;

  beforeAll(async () => {
    [hole, good] = await Promise.all([new BlackHole().start(), new Receiver().start()]);
    // Background dispatch as in production; a call waits up to 30 s, far beyond the bound below.
    t = await startTestApp({ env: { HTTP_TIMEOUT_MS: '30000' } });
  });
  afterAll(async () => {
    await hole.stop(); // the stuck calls fail at once, so the app's shutdown does not wait for them
    await t?.close();
    await good.stop();
  });

  it("merchant A's refund and event go through while merchant B's refund channels and endpoints accept and never answer", async () => {
    // Merchant B: two shops whose refund webhook is a black hole, three event endpoints likewise,
    // six refunds and 40 events (120 deliveries) queued.
    const b = await createOtherMerchant(t);
    const bShops = [await createShop(t, { platform: 'generic' }, b.adminToken), await createShop(t, { platform: 'generic' }, b.adminToken)];
    for (const s of bShops) await t.http().put(`/api/v1/refund-channels/${s.id}`).set(bearer(b.adminToken)).send({ refundWebhookUrl: `${hole.url}/refunds` }).expect(200);
    for (let i = 0; i < 3; i++) await t.http().post('/api/v1/webhook-endpoints').set(bearer(b.adminToken)).send({ url: `${hole.url}/events/${i}` }).expect(201);
    for (const s of bShops) {
      for (let i = 0; i < 3; i++) {
        const order = await insertPaidOrder(t, s.id, { total: 5_000 });
        await t.http().post('/api/v1/refunds').set(bearer(b.adminToken)).send({ orderId: order.id, amount: 100, reason: 'b' }).expect(201);
      }
    }
    const events = t.app.get(EventsService);
    for (let i = 0; i < 40; i++) await t.db.transaction((m) => events.publish(m, b.merchantId, 'case.created', { n: i }));
    await waitFor('merchant B holding slots', () => hole.waiting >= 6, 10_000);

    // Merchant A: one refund on a generic shop, and an event endpoint.
    const aShop = await createShop(t, { platform: 'generic' });
    good.secret = aShop.webhookSecret;
    await t.http().put(`/api/v1/refund-channels/${aShop.id}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: `${good.url}/refunds` }).expect(200);
    await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `${good.url}/events`, events: ['refund.succeeded', 'case.created'] }).expect(201);
    const order = await insertPaidOrder(t, aShop.id, { total: 5_000 });
    const refund = await t.http().post('/api/v1/refunds').set(bearer(t.adminToken)).send({ orderId: order.id, amount: 1_200, reason: 'a' });
    expect(refund.status).toBe(201);

    await waitFor(
      "merchant A's refund",
      async () => (await t.http().get(`/api/v1/refunds/${refund.body.id}`).set(bearer(t.adminToken))).body.status === 'succeeded',
      10_000,
    );
    await waitFor("merchant A's case.created event", () => good.events.some((e) => e.type === 'case.created' && e.data.id === refund.body.id), 10_000);
    expect(good.refunds).toEqual([refund.body.id]);
    // B's calls are still stuck (they time out after 30 s): A went past them, not after them.
    expect(hole.waiting).toBeGreaterThan(0);
    // Bounded: B holds at most half of each pool (refunds 4 → 2, the rest 8 → 4).
    expect(hole.maxWaiting).toBeLessThanOrEqual(6);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE merchant_id = $1 AND status = 'pending'`, [b.merchantId]);
    expect(n).toBeGreaterThan(100);
  });
});

describe('a failing event endpoint backs off alone and is disabled after a run of failures', () => {
  let t: TestApp;
  let receiver: Receiver;
  let outbox: OutboxService;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1', EVENT_ENDPOINT_DISABLE_AFTER: '3' } });
    outbox = t.app.get(OutboxService);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const publish = () => t.db.transaction((m) => t.app.get(EventsService).publish(m, t.merchantId, 'case.created', { at: Date.now() }));
  const read = async (id: string) => (await t.http().get(`/api/v1/webhook-endpoints/${id}`).set(bearer(t.adminToken))).body;

  it('disables the endpoint after 3 failed attempts in a row, tells the merchant, and resumes when re-enabled', async () => {
    const created = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `${receiver.url}/events` });
    const id = created.body.id as string;
    receiver.failWith = 503;
    expect(await publish()).toBe(1);
    await waitFor('the endpoint disabled', async () => {
      await outbox.dispatch();
      return (await read(id)).active === false;
    }, 10_000);

    const disabled = await read(id);
    expect(disabled).toMatchObject({
      active: false,
      consecutiveFailures: 3,
      lastFailureReason: 'endpoint: HTTP 503',
      disabledReason: 'disabled after 3 failed deliveries in a row; last: endpoint: HTTP 503',
    });
    expect(new Date(disabled.disabledAt).getTime()).toBeGreaterThan(0);
    expect(JSON.stringify(disabled)).not.toContain('internal detail');
    // The delivery already queued ends skipped once its lane's pause is over.
    const queued = async () => (await t.db.query(`SELECT status, attempts, result FROM outbox WHERE kind = 'event.deliver' AND payload->>'endpointId' = $1`, [id]))[0];
    await waitFor('the queued delivery settled', async () => {
      await outbox.dispatch();
      return (await queued()).status === 'done';
    }, 10_000);
    expect(await queued()).toEqual({ status: 'done', attempts: 4, result: { skipped: 'endpoint removed or inactive' } });
    // While disabled nothing is queued for it.
    expect(await publish()).toBe(0);

    receiver.failWith = 0;
    const reenabled = await t.http().patch(`/api/v1/webhook-endpoints/${id}`).set(bearer(t.adminToken)).send({ active: true });
    expect(reenabled.status).toBe(200);
    expect(reenabled.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null });
    expect(await publish()).toBe(1);
    const before = receiver.events.length;
    await waitFor('a delivery after re-enabling', async () => {
      await outbox.dispatch();
      return receiver.events.length > before;
    }, 10_000);
    expect((await read(id)).consecutiveFailures).toBe(0);
  });

  it('a manual pause is not a disablement', async () => {
    const created = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `${receiver.url}/events` });
    const paused = await t.http().patch(`/api/v1/webhook-endpoints/${created.body.id}`).set(bearer(t.adminToken)).send({ active: false });
    expect(paused.body).toMatchObject({ active: false, disabledAt: null, disabledReason: null });
  });
});
