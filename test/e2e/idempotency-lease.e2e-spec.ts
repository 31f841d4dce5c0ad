import { randomUUID } from 'node:crypto';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { requestHash } from '../../src/kernel/idempotency/idempotency.interceptor.js';
import { bearer } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A test-only POST whose requests wait until the test opens the gate (a request still running). */
const gate: { open?: () => void; entered?: () => void } = {};

@Controller('api/v1/test-slow')
class SlowController {
  @Post()
  async run(@Body() body: Record<string, unknown>): Promise<{ ran: string; body: Record<string, unknown> }> {
    const released = new Promise<void>((resolve) => (gate.open = resolve));
    gate.entered?.();
    await released;
    return { ran: randomUUID(), body };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('Idempotency-Key leases (issue 9, fault 8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { IDEMPOTENCY_LEASE_SECONDS: '1' }, extraModules: [SlowModule] });
  });
  afterAll(async () => {
    gate.open?.();
    await t?.close();
  });

  const shopBody = (name: string) => ({ name, platform: 'generic', webhookSecret: 'secret-lease-1' });

  /** The row a request leaves behind when its process dies mid-request: in progress, its lease still running. */
  async function leaveStuckKey(key: string, body: unknown, leaseSecondsLeft: number): Promise<void> {
    await t.db.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, expires_at, lease_id, locked_until)
       VALUES ($1, $2, $3, 'in_progress', now() + interval '24 hours', $4, now() + make_interval(secs => $5))`,
      [t.merchantId, key, requestHash('POST', '/api/v1/shops', body), randomUUID(), leaseSecondsLeft],
    );
  }

  it('a key left in progress by a dead request answers 409 with Retry-After while its lease runs, then a retry takes it over and runs once', async () => {
    const body = shopBody('Stuck key shop');
    await leaveStuckKey('stuck-1', body, 60);
    const during = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'stuck-1').send(body);
    expect(during.status).toBe(409);
    expect(during.body.message).toMatch(/still in progress; retry after \d+ s/);
    const retryAfter = Number(during.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Stuck key shop'`))[0].n).toBe(0);

    // The lease of the dead request runs out (no heartbeat renews it).
    await t.db.query(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = 'stuck-1'`);
    const after = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'stuck-1').send(body);
    expect(after.status).toBe(201);
    const replay = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'stuck-1').send(body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(after.body.id);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Stuck key shop'`))[0].n).toBe(1);
    const [row] = await t.db.query(`SELECT state FROM idempotency_keys WHERE merchant_id = $1 AND key = 'stuck-1'`, [t.merchantId]);
    expect(row.state).toBe('done');
  });

  it('an expired key is still bound to its request: another body answers 422 and does nothing', async () => {
    await leaveStuckKey('stuck-2', shopBody('First body'), 0);
    const other = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'stuck-2').send(shopBody('Other body'));
    expect(other.status).toBe(422);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name IN ('First body', 'Other body')`))[0].n).toBe(0);
  });

  it('a request that runs longer than the lease keeps its key (heartbeat): a retry meanwhile answers 409, then replays', async () => {
    const entered = new Promise<void>((resolve) => (gate.entered = resolve));
    const first = t.http().post('/api/v1/test-slow').set(bearer(t.adminToken)).set('Idempotency-Key', 'slow-1').send({ n: 1 }).then((r) => r);
    await entered;
    // Three lease lengths: without renewal the key would have lapsed and been taken over.
    await new Promise((r) => setTimeout(r, 3000));
    const meanwhile = await t.http().post('/api/v1/test-slow').set(bearer(t.adminToken)).set('Idempotency-Key', 'slow-1').send({ n: 1 });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers['retry-after']).toEqual(expect.any(String));
    gate.open!();
    const done = await first;
    expect(done.status).toBe(201);
    const replay = await t.http().post('/api/v1/test-slow').set(bearer(t.adminToken)).set('Idempotency-Key', 'slow-1').send({ n: 1 });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(done.body);
  });
});
