import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { RefundExecutionService } from '../../src/refunds/refund-execution.service.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { FakeShopify, insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A generic shop's refund endpoint: checks the signature, refunds once per Idempotency-Key. */
class GenericReceiver {
  server!: Server;
  url = '';
  secret = '';
  calls: Array<{ headers: IncomingMessage['headers']; body: string; validSignature: boolean }> = [];
  private readonly done = new Map<string, string>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
        const valid = !!m && createHmac('sha256', this.secret).update(`${m[1]}.${body}`).digest('hex') === m[2];
        this.calls.push({ headers: req.headers, body, validSignature: valid });
        if (!valid) return void res.writeHead(401).end();
        const key = String(req.headers['idempotency-key']);
        if (!this.done.has(key)) this.done.set(key, `G-${this.done.size + 1}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformRefundId: this.done.get(key) }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/refunds`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const shopifyOrderId = () => (820982911946154508n + BigInt(Math.floor(Math.random() * 1e9))).toString();

describe('refund execution through the outbox: Shopify API, signed webhook, never twice', () => {
  let t: TestApp;
  let supervisor: StaffLogin;
  let agent: StaffLogin;
  let warehouse: StaffLogin;
  let outbox: OutboxService;
  let execution: RefundExecutionService;
  const shopify = new FakeShopify();
  const receiver = new GenericReceiver();
  let shopifyShopId: string;
  let genericShopId: string;

  beforeAll(async () => {
    await Promise.all([shopify.start(), receiver.start()]);
    t = await startTestApp({ env: { OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '5', HTTP_TIMEOUT_MS: '400', JOBS_ENABLED: 'false' } });
    outbox = t.app.get(OutboxService);
    execution = t.app.get(RefundExecutionService);
    [supervisor, agent, warehouse] = await Promise.all([createStaff(t, Role.Supervisor), createStaff(t, Role.Agent), createStaff(t, Role.Warehouse)]);
    shopifyShopId = (await createShop(t, { platform: 'shopify' })).id;
    const generic = await createShop(t, { platform: 'generic' });
    genericShopId = generic.id;
    receiver.secret = generic.webhookSecret;
    const ch = await t.http().put(`/api/v1/refund-channels/${shopifyShopId}`).set(bearer(t.adminToken)).send({ apiBaseUrl: shopify.baseUrl, accessToken: shopify.accessToken });
    expect(ch.body).toMatchObject({ method: 'shopify', hasAccessToken: true, apiBaseUrl: shopify.baseUrl });
    expect(ch.body.accessToken).toBeUndefined();
    await t.http().put(`/api/v1/refund-channels/${genericShopId}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: receiver.url }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([shopify.stop(), receiver.stop()]);
  });

  const refundOn = async (shopId: string, amount: number, platformOrderId = shopifyOrderId()) => {
    const order = await insertPaidOrder(t, shopId, { total: 50_000, platformOrderId });
    const res = await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: order.id, amount, reason: '补偿' });
    expect(res.status).toBe(201);
    return { refund: res.body as { id: string; method: string; executionState: string }, order };
  };
  const refundRow = async (id: string) => (await t.db.query('SELECT status, platform_refund_id, execution_attempts, failure_reason FROM refunds WHERE id = $1', [id]))[0];
  /** Runs the outbox dispatcher until the refund is final (bounded). */
  const settle = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      await outbox.dispatch();
      const row = await refundRow(id);
      if (row.status !== 'pending') return row;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`refund ${id} did not settle`);
  };

  it('executes a Shopify refund once; running the job again, concurrently or after success, pays nothing more', async () => {
    const { refund, order } = await refundOn(shopifyShopId, 1_234);
    expect(refund).toMatchObject({ method: 'shopify', executionState: 'queued' });
    const before = shopify.createCalls;
    const runs = await Promise.allSettled([execution.execute(refund.id), execution.execute(refund.id), execution.execute(refund.id)]);
    expect(runs.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'succeeded')).toHaveLength(1);
    expect(shopify.createCalls - before).toBe(1);

    // The outbox delivers at least once: run the message again, and the handler directly twice more.
    await t.db.query(`UPDATE outbox SET status = 'pending', available_at = now() WHERE kind = 'refund.execute' AND dedupe_key = $1`, [refund.id]);
    await outbox.dispatch();
    expect(await execution.execute(refund.id)).toMatchObject({ outcome: 'skipped', detail: 'refund is already succeeded' });
    expect(await execution.execute(refund.id)).toMatchObject({ outcome: 'skipped' });
    expect(shopify.createCalls - before).toBe(1);

    const made = shopify.refundsOf(order.platformOrderId);
    expect(made).toHaveLength(1);
    expect(made[0].amount).toBe('12.34');
    expect(made[0].body).toMatchObject({
      refund: { currency: 'CNY', notify: false, transactions: [{ kind: 'refund', gateway: 'shopify_payments', amount: '12.34', parent_id: (BigInt(order.platformOrderId) + 7n).toString() }] },
    });
    const row = await refundRow(refund.id);
    expect(row).toMatchObject({ status: 'succeeded', platform_refund_id: made[0].id });
    const detail = await t.http().get(`/api/v1/refunds/${refund.id}`).set(bearer(supervisor.token));
    expect(detail.body).toMatchObject({ status: 'succeeded', executionState: 'done', platformRefundId: made[0].id });
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'succeed']);
  });

  it('retries with backoff when the platform fails twice, then succeeds, paying once', async () => {
    const { refund, order } = await refundOn(shopifyShopId, 2_000);
    shopify.failNext = 2;
    const before = shopify.createCalls;
    const row = await settle(refund.id);
    expect(row.status).toBe('succeeded');
    expect(row.execution_attempts).toBe(3);
    expect(shopify.createCalls - before).toBe(3);
    expect(shopify.refundsOf(order.platformOrderId)).toHaveLength(1);
    const [msg] = await t.db.query(`SELECT status, attempts FROM outbox WHERE kind = 'refund.execute' AND dedupe_key = $1`, [refund.id]);
    expect(msg).toEqual({ status: 'done', attempts: 3 });
  });

  it('when the platform made the refund but its answer was lost, the retry finds it instead of paying again', async () => {
    const { refund, order } = await refundOn(shopifyShopId, 3_000);
    shopify.slowNextMs = 1_000; // above HTTP_TIMEOUT_MS=400
    const before = shopify.createCalls;
    await expect(execution.execute(refund.id)).rejects.toThrow(/timeout|ECONNABORTED/i);
    expect(shopify.refundsOf(order.platformOrderId)).toHaveLength(1);
    const out = await execution.execute(refund.id, 2);
    expect(out).toMatchObject({ outcome: 'succeeded', detail: 'found on the platform', platformRefundId: shopify.refundsOf(order.platformOrderId)[0].id });
    expect(shopify.createCalls - before).toBe(1);
  });

  it('a refusal (422) fails the refund at once with the platform\'s reason; a retry is a new row that succeeds', async () => {
    const { refund } = await refundOn(shopifyShopId, 4_000);
    shopify.rejectNext = 1;
    const row = await settle(refund.id);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toContain('answered 422');
    const retry = await t.http().post(`/api/v1/refunds/${refund.id}/retry`).set(bearer(supervisor.token)).send({});
    expect(retry.status).toBe(201);
    expect((await settle(retry.body.id)).status).toBe('succeeded');
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS and marks the refund failed', async () => {
    const { refund } = await refundOn(shopifyShopId, 500);
    shopify.failNext = 5;
    const row = await settle(refund.id);
    expect(row).toMatchObject({ status: 'failed', execution_attempts: 5 });
    expect(row.failure_reason).toMatch(/^gave up after 5 attempts: Shopify refund API answered 503/);
    shopify.failNext = 0;
  });

  it('generic shops: a signed refund.requested webhook with the refund id as Idempotency-Key', async () => {
    const { refund, order } = await refundOn(genericShopId, 990);
    expect(refund.method).toBe('webhook');
    const row = await settle(refund.id);
    expect(row).toMatchObject({ status: 'succeeded', platform_refund_id: 'G-1' });
    const call = receiver.calls[receiver.calls.length - 1];
    expect(call.validSignature).toBe(true);
    expect(call.headers['idempotency-key']).toBe(refund.id);
    expect(JSON.parse(call.body)).toMatchObject({ topic: 'refund.requested', data: { refundId: refund.id, orderId: order.platformOrderId, amount: '9.90', amountMinor: 990, currency: 'CNY' } });
  });

  it('a return_refund on a Shopify shop ends refunded by itself once the platform confirms', async () => {
    const order = await insertPaidOrder(t, shopifyShopId, { total: 7_000, platformOrderId: shopifyOrderId() });
    const c = await t.http().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: order.id, type: 'return_refund', reason: 'leaking', requestedAmount: 7_000, lines: [{ orderLineId: order.lineIds[0], quantity: 2 }] });
    const act = (token: string, action: string, body: object = {}) => t.http().post(`/api/v1/returns/${c.body.id}/${action}`).set(bearer(token)).send(body).expect(200);
    await act(agent.token, 'approve');
    await act(warehouse.token, 'receive', { returnTrackingNo: 'SF123' });
    await act(warehouse.token, 'inspect', { result: 'pass' });
    const refunding = await act(agent.token, 'refund');
    expect(refunding.body.refunds[0]).toMatchObject({ method: 'shopify', amount: 7_000 });
    await settle(refunding.body.refunds[0].id);
    const done = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(done.body).toMatchObject({ status: 'refunded', cost: 7_000 });
    expect(done.body.refunds[0]).toMatchObject({ status: 'succeeded', platformRefundId: shopify.refundsOf(order.platformOrderId)[0].id });
  });
});
