import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Global, Module } from '@nestjs/common';
import { EventsService } from '../../src/events/events.service.js';
import { OUTBOUND_RESOLVER } from '../../src/kernel/http/safe-http.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createShop } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SECRET_BODY = 'root:x:0:0:INTERNAL-SECRET-7f3a';

/** A real listener on 127.0.0.1 standing in for an internal service: records what reaches it. */
class Listener {
  server!: Server;
  port = 0;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  constructor(private readonly answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const a = this.answer(req);
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/**
 * DNS of the made-up names below, for the whole app (a global provider of OUTBOUND_RESOLVER):
 * `rebind.example.com` answers a public address at first and loopback afterwards; `intranet.example.com`
 * answers a private one. Everything else does not resolve.
 */
const dnsAnswers: Record<string, string[][]> = {};
const fakeResolver = async (host: string): Promise<LookupAddress[]> => {
  const list = dnsAnswers[host.replace(/\.$/, '')];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  const next = list.length > 1 ? list.shift()! : list[0];
  return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

@Global()
@Module({ providers: [{ provide: OUTBOUND_RESOLVER, useValue: fakeResolver }], exports: [OUTBOUND_RESOLVER] })
class FakeDnsModule {}

const REFUSED_SPELLINGS = [
  'http://127.0.0.1:3599',
  'http://127.1/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://localhost/',
  'http://localhost./',
  'http://api.localhost/',
  'http://0.0.0.0/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.0.1/',
  'http://100.64.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://intranet.example.com/hooks', // resolves to 10.20.30.40
];

const settleRefund = async (t: TestApp, id: string) => {
  const outbox = t.app.get(OutboxService);
  for (let i = 0; i < 100; i++) {
    await outbox.dispatch();
    const [row] = await t.db.query('SELECT status, failure_reason FROM refunds WHERE id = $1', [id]);
    if (row.status !== 'pending') return row as { status: string; failure_reason: string | null };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`refund ${id} did not settle`);
};

/** Runs the dispatcher until the endpoint's deliveries gave up (bounded). */
const drainDead = async (t: TestApp, endpointId: string) => {
  for (let i = 0; i < 100; i++) {
    await t.app.get(OutboxService).dispatch();
    const [row] = await t.db.query(`SELECT status, attempts, last_error FROM outbox WHERE kind = 'event.deliver' AND payload->>'endpointId' = $1`, [endpointId]);
    if (row?.status === 'dead') return row as { attempts: number; last_error: string };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the delivery did not give up');
};

describe('merchant-set URLs with no host allowed (SPEC §4)', () => {
  let t: TestApp;
  let internal: Listener;
  let endpointId: string;
  let shopifyShopId: string;
  let genericShopId: string;

  beforeAll(async () => {
    dnsAnswers['intranet.example.com'] = [['10.20.30.40']];
    internal = await new Listener(() => ({ status: 500, body: SECRET_BODY })).start();
    t = await startTestApp({ env: { OUTBOUND_ALLOWED_HOSTS: '', JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '3' }, extraModules: [FakeDnsModule] });
    const e = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'https://hooks.example.com/after-sales' });
    expect(e.status).toBe(201);
    endpointId = e.body.id;
    shopifyShopId = (await createShop(t, { platform: 'shopify' })).id;
    genericShopId = (await createShop(t, { platform: 'generic' })).id;
    await t.http().put(`/api/v1/refund-channels/${shopifyShopId}`).set(bearer(t.adminToken)).send({ apiBaseUrl: 'https://shop.example.com', accessToken: 'shpat_x' }).expect(200);
    await t.http().put(`/api/v1/refund-channels/${genericShopId}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: 'https://erp.example.com/refunds' }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await internal.stop();
  });

  it.each(REFUSED_SPELLINGS)('refuses %s at save time with a 400 naming the field, and keeps what was saved', async (url) => {
    const fieldOf = (res: { body: { details?: Array<{ field: string }> } }) => res.body.details?.map((d) => d.field);

    const create = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url });
    expect(create.status).toBe(400);
    expect(fieldOf(create)).toEqual(['url']);

    const patch = await t.http().patch(`/api/v1/webhook-endpoints/${endpointId}`).set(bearer(t.adminToken)).send({ url, description: 'changed' });
    expect(patch.status).toBe(400);
    expect(fieldOf(patch)).toEqual(['url']);
    const endpoint = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}`).set(bearer(t.adminToken));
    expect(endpoint.body).toMatchObject({ url: 'https://hooks.example.com/after-sales', description: null });

    const api = await t.http().put(`/api/v1/refund-channels/${shopifyShopId}`).set(bearer(t.adminToken)).send({ apiBaseUrl: url, accessToken: 'shpat_new' });
    expect(api.status).toBe(400);
    expect(fieldOf(api)).toEqual(['apiBaseUrl']);
    const hook = await t.http().put(`/api/v1/refund-channels/${genericShopId}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: url });
    expect(hook.status).toBe(400);
    expect(fieldOf(hook)).toEqual(['refundWebhookUrl']);

    const [shopify, generic] = await Promise.all(
      [shopifyShopId, genericShopId].map(async (id) => (await t.http().get(`/api/v1/refund-channels/${id}`).set(bearer(t.adminToken))).body),
    );
    expect(shopify).toMatchObject({ apiBaseUrl: 'https://shop.example.com', hasAccessToken: true });
    expect(generic).toMatchObject({ refundWebhookUrl: 'https://erp.example.com/refunds' });
    const [{ token }] = await t.db.query(`SELECT platform_config->>'accessToken' AS token FROM shops WHERE id = $1`, [shopifyShopId]);
    expect(token).toBe('shpat_x');
  });

  it('says why in the message', async () => {
    const res = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(res.body).toMatchObject({ statusCode: 400, message: 'url is not allowed: it points at a link-local address (cloud metadata lives there)' });
  });

  it('refuses again at connect time: a name public when saved and loopback when called (rebinding) gets no delivery', async () => {
    const receiver = await new Listener(() => ({ status: 204 })).start();
    try {
      dnsAnswers['rebind.example.com'] = [['93.184.216.34'], ['127.0.0.1']];
      const res = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `http://rebind.example.com:${receiver.port}/events` });
      expect(res.status).toBe(201);
      await t.db.transaction((m) => t.app.get(EventsService).publish(m, t.merchantId, 'case.created', { id: 'x' }));
      expect(await drainDead(t, res.body.id)).toMatchObject({ attempts: 3 });
      expect(receiver.requests).toEqual([]);
      const read = await t.http().get(`/api/v1/webhook-endpoints/${res.body.id}`).set(bearer(t.adminToken));
      expect(read.body).toMatchObject({ consecutiveFailures: 3, lastFailureReason: 'endpoint: address not allowed: "rebind.example.com" resolves to a loopback address' });
    } finally {
      await receiver.stop();
    }
  });

  it('a refund channel stored before the rule (pointing at loopback) fails the refund without sending the token; no remote body in the reason', async () => {
    // The smallest input, as a row written before save-time checks existed.
    await t.db.query(`UPDATE shops SET platform_config = platform_config || $2::jsonb WHERE id = $1`, [
      shopifyShopId,
      JSON.stringify({ apiBaseUrl: `http://127.0.0.1:${internal.port}`, accessToken: 'shpat_must_not_leave' }),
    ]);
    const order = await insertPaidOrder(t, shopifyShopId, { total: 5_000, platformOrderId: '820982911946154999' });
    const created = await t.http().post('/api/v1/refunds').set(bearer(t.adminToken)).send({ orderId: order.id, amount: 1_000, reason: '补偿' });
    expect(created.status).toBe(201);
    const row = await settleRefund(t, created.body.id);
    expect(row).toEqual({ status: 'failed', failure_reason: 'Shopify refund API: address not allowed: it points at a loopback address' });
    expect(internal.requests).toEqual([]);
  });
});

describe('merchant-set URLs on allowed hosts: no redirects, no remote body shown (SPEC §4)', () => {
  let t: TestApp;
  let target: Listener;
  let redirector: Listener;
  let failing: Listener;

  beforeAll(async () => {
    target = await new Listener(() => ({ status: 200, body: '{"platformRefundId":"STOLEN"}' })).start();
    redirector = await new Listener(() => ({ status: 307, headers: { location: `http://127.0.0.1:${target.port}/collect` } })).start();
    let n = 0;
    // Shopify-like: transactions answer, refund creations fail with a body that must stay unseen.
    failing = await new Listener((req) => {
      if (req.url?.endsWith('/transactions.json')) return { status: 200, body: '{"transactions":[]}' };
      n++;
      return n === 1 ? { status: 422, body: `{"errors":"${SECRET_BODY}"}` } : { status: 500, body: SECRET_BODY };
    }).start();
    t = await startTestApp({ env: { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([target.stop(), redirector.stop(), failing.stop()]);
  });

  it('the generic refund webhook does not follow a redirect, so its signature never reaches the target', async () => {
    const shop = await createShop(t, { platform: 'generic' });
    await t.http().put(`/api/v1/refund-channels/${shop.id}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: `http://127.0.0.1:${redirector.port}/refunds` }).expect(200);
    const order = await insertPaidOrder(t, shop.id, { total: 5_000 });
    const created = await t.http().post('/api/v1/refunds').set(bearer(t.adminToken)).send({ orderId: order.id, amount: 700, reason: '补偿' });
    const row = await settleRefund(t, created.body.id);
    expect(row).toEqual({ status: 'failed', failure_reason: 'refund webhook answered 307 (redirects are not followed)' });
    expect(redirector.requests).toHaveLength(1);
    expect(redirector.requests[0].headers['x-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(target.requests).toEqual([]);
  });

  it('a refusal or a server error shows the status, never the answer body: refund, API, outbox record', async () => {
    const shop = await createShop(t, { platform: 'shopify' });
    await t.http().put(`/api/v1/refund-channels/${shop.id}`).set(bearer(t.adminToken)).send({ apiBaseUrl: `http://127.0.0.1:${failing.port}`, accessToken: 'shpat_y' }).expect(200);
    const first = await t.http().post('/api/v1/refunds').set(bearer(t.adminToken)).send({ orderId: (await insertPaidOrder(t, shop.id, { total: 5_000, platformOrderId: '820982911946155001' })).id, amount: 500, reason: 'a' });
    expect(await settleRefund(t, first.body.id)).toEqual({ status: 'failed', failure_reason: 'Shopify refund API answered 422' });
    const second = await t.http().post('/api/v1/refunds').set(bearer(t.adminToken)).send({ orderId: (await insertPaidOrder(t, shop.id, { total: 5_000, platformOrderId: '820982911946155002' })).id, amount: 500, reason: 'b' });
    expect(await settleRefund(t, second.body.id)).toEqual({ status: 'failed', failure_reason: 'gave up after 3 attempts: Shopify refund API answered 500' });

    const shown = JSON.stringify([
      (await t.http().get(`/api/v1/refunds/${first.body.id}`).set(bearer(t.adminToken))).body,
      (await t.http().get(`/api/v1/refunds/${second.body.id}`).set(bearer(t.adminToken))).body,
      await t.db.query(`SELECT last_error, result FROM outbox`),
      await t.db.query(`SELECT note, data FROM timeline_events`),
    ]);
    expect(shown).toContain('answered 500');
    expect(shown).not.toContain('INTERNAL-SECRET');
  });

  it('an event endpoint answering 500 with a body records the status only', async () => {
    const e = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: `http://127.0.0.1:${failing.port}/events` });
    await t.db.transaction((m) => t.app.get(EventsService).publish(m, t.merchantId, 'case.created', { id: 'y' }));
    expect(await drainDead(t, e.body.id)).toEqual({ status: 'dead', attempts: 3, last_error: 'endpoint: HTTP 500' });
    const read = await t.http().get(`/api/v1/webhook-endpoints/${e.body.id}`).set(bearer(t.adminToken));
    expect(read.body).toMatchObject({ consecutiveFailures: 3, lastFailureReason: 'endpoint: HTTP 500' });
    expect(JSON.stringify(read.body)).not.toContain('INTERNAL-SECRET');
  });
});
