import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createOtherMerchant, createStaff } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL, WidgetTestModule } from '../support/widget-machine.js';

describe('outbound events to merchant endpoints (SPEC §4)', () => {
  let t: TestApp;
  let server: Server;
  let url = '';
  let failNext = 0;
  const got: Array<{ raw: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end();
          return;
        }
        got.push({ raw, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/events`;
    t = await startTestApp({ extraModules: [WidgetTestModule], env: { OUTBOX_BACKOFF_MS: '1' } });
    await t.db.query(WIDGET_TABLE_SQL);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => server.close(r));
  });

  const drain = async () => {
    const outbox = t.app.get(OutboxService);
    for (let i = 0; i < 20; i++) {
      await outbox.dispatch();
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'event.deliver' AND status = 'pending'`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('registers an endpoint (admin only), shows the secret once, and validates the URL', async () => {
    const agent = await createStaff(t, Role.Agent);
    expect((await t.http().post('/api/v1/webhook-endpoints').set(bearer(agent.token)).send({ url })).status).toBe(403);
    expect((await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'ftp://x' })).status).toBe(400);
    expect((await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url, events: ['order.exploded'] })).status).toBe(400);
    const res = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url, secret: 'endpoint-secret-0123456789', events: ['case.status_changed'] });
    expect(res.status).toBe(201);
    expect(res.body.secret).toBe('endpoint-secret-0123456789');
    const read = await t.http().get(`/api/v1/webhook-endpoints/${res.body.id}`).set(bearer(t.adminToken));
    expect(read.body.secret).toBeUndefined();
    const other = await createOtherMerchant(t);
    expect((await t.http().get(`/api/v1/webhook-endpoints/${res.body.id}`).set(bearer(other.adminToken))).status).toBe(404);
  });

  it('delivers a signed case.status_changed event per transition, retrying a failing endpoint', async () => {
    const agent = await createStaff(t, Role.Agent);
    const w = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    failNext = 1;
    await t.http().post(`/api/v1/widgets/${w.body.id}/submit`).set(bearer(agent.token)).send({});
    await drain();
    const mine = got.filter((g) => JSON.parse(g.raw).data.id === w.body.id);
    // subscribed to status changes only: no case.created
    expect(mine).toHaveLength(1);
    const event = JSON.parse(mine[0].raw);
    expect(event).toMatchObject({ type: 'case.status_changed', data: { caseType: 'test_widget', from: 'draft', to: 'submitted', action: 'submit', version: 2 } });
    const sig = String(mine[0].headers['x-signature']);
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig)!;
    expect(createHmac('sha256', 'endpoint-secret-0123456789').update(`${ts}.${mine[0].raw}`).digest('hex')).toBe(v1);
    expect(mine[0].headers['x-event-id']).toBe(event.id);
    const [row] = await t.db.query(`SELECT attempts, status FROM outbox WHERE kind = 'event.deliver' AND payload->'event'->>'id' = $1`, [event.id]);
    expect(row).toEqual({ attempts: 2, status: 'done' });
  });

  it('sends nothing to an inactive endpoint', async () => {
    const list = await t.http().get('/api/v1/webhook-endpoints').set(bearer(t.adminToken));
    for (const e of list.body.items) await t.http().patch(`/api/v1/webhook-endpoints/${e.id}`).set(bearer(t.adminToken)).send({ active: false });
    const before = got.length;
    const agent = await createStaff(t, Role.Agent);
    const w = await t.http().post('/api/v1/widgets').set(bearer(agent.token)).send({});
    await t.http().post(`/api/v1/widgets/${w.body.id}/submit`).set(bearer(agent.token)).send({});
    await drain();
    expect(got.length).toBe(before);
  });
});
