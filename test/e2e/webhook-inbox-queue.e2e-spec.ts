import { randomUUID } from 'node:crypto';
import { bearer, createShop } from '../support/factories.js';
import { postGeneric, waitProcessed } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The inbox is the queue (SPEC §13; issue 9 fault 7, issue 15 item 1): one row per accepted
// delivery, claimed by workers under a short lease, woken by NOTIFY, retried with backoff.

const order = (orderId: string) => ({
  orderId,
  orderNumber: orderId,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  currency: 'CNY',
  paymentMethod: 'prepaid',
  paidAt: new Date().toISOString(),
  amounts: { items: '199.00', total: '199.00' },
  lines: [{ id: 'L1', sku: 'SKU-1', title: '保温杯', quantity: 1, unitPrice: '199.00' }],
  customer: { name: '王五', phone: '13700137000' },
  shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', address: '科技园 1 号' },
});

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what} not reached within ${timeoutMs} ms: ${JSON.stringify(v)}`);
  }
}

describe('the webhook inbox is the queue: leases, instances, retries', () => {
  // `front` only accepts (no workers); `worker` and `worker2` process, all on one database.
  let front: TestApp;
  let worker: TestApp | undefined;
  let worker2: TestApp | undefined;
  let shop: { id: string; webhookSecret: string };
  const workerEnv = { WEBHOOK_RETRY_BACKOFF_MS: '300', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_LEASE_SECONDS: '3' };

  const deliver = async (orderId: string) => {
    const res = await postGeneric(front, shop.id, { id: `evt_${randomUUID()}`, topic: 'order.created', data: order(orderId) }, { secret: shop.webhookSecret });
    expect(res.status).toBe(200);
    return res.body.id as string;
  };
  const delivery = async (id: string) =>
    (await front.db.query('SELECT status, attempts, last_error, locked_until, processed_at FROM webhook_deliveries WHERE id = $1', [id]))[0] as {
      status: string;
      attempts: number;
      last_error: string | null;
      locked_until: Date | null;
      processed_at: Date | null;
    };

  beforeAll(async () => {
    front = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    shop = await createShop(front, { platform: 'generic' });
  });
  afterAll(async () => {
    await worker2?.close();
    await worker?.close();
    await front?.close();
  });

  it('accepting costs the inbox row alone: no pg-boss job per delivery', async () => {
    const id = await deliver('Q-ROW-1');
    expect(await delivery(id)).toMatchObject({ status: 'received', attempts: 0, locked_until: null });
    const jobs = await front.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'deliveryId' = $1`, [id]);
    expect(jobs[0].n).toBe(0);
  });

  it('leaves a delivery another (dead) worker holds until its lease ends, then takes it over', async () => {
    const id = await deliver('Q-LEASE-1');
    // As if an instance had claimed it and died.
    const [[lease]] = await front.db.query(`UPDATE webhook_deliveries SET locked_until = now() + interval '2 seconds' WHERE id = $1 RETURNING locked_until`, [id]);
    worker = await startTestApp({ databaseUrl: front.databaseUrl, env: workerEnv });
    expect(await waitProcessed(worker, id, 20_000)).toBe('processed');
    const d = await delivery(id);
    expect(d.processed_at!.getTime()).toBeGreaterThanOrEqual(new Date(lease.locked_until).getTime());
    expect(d).toMatchObject({ attempts: 1, locked_until: null });
  });

  it('processes each delivery once with two worker instances on one database', async () => {
    worker2 = await startTestApp({ databaseUrl: front.databaseUrl, env: workerEnv });
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => deliver(`Q-TWO-${i}`)));
    const rows = await until(
      'all processed',
      async () => (await front.db.query(`SELECT status, attempts, order_id FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ status: string; attempts: number; order_id: string }>,
      (rs) => rs.every((r) => r.status !== 'received'),
    );
    // One attempt each: no delivery was claimed by both instances.
    expect(rows.filter((r) => r.status !== 'processed' || r.attempts !== 1)).toEqual([]);
    const orders = await front.db.query(`SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND platform_order_id LIKE 'Q-TWO-%'`, [shop.id]);
    expect(orders[0].n).toBe(60);
    await worker2.close();
    worker2 = undefined;
  });

  describe('a delivery that fails', () => {
    beforeAll(async () => {
      // A real database failure for chosen orders, not a mock: inserting them raises.
      await front.db.query(`
        CREATE FUNCTION test_refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.platform_order_id LIKE 'Q-FAIL-%' THEN RAISE EXCEPTION 'simulated outage for %', NEW.platform_order_id; END IF;
          RETURN NEW;
        END $$`);
      await front.db.query(`CREATE TRIGGER test_refuse_order BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION test_refuse_order()`);
    });
    afterAll(async () => {
      await front.db.query('DROP TRIGGER IF EXISTS test_refuse_order ON orders');
      await front.db.query('DROP FUNCTION IF EXISTS test_refuse_order()');
    });

    it('is kept waiting with its error and a later attempt time, and applied once the cause is gone', async () => {
      const id = await deliver('Q-FAIL-1');
      const failed = await until('first failure', () => delivery(id), (d) => d.attempts >= 1);
      expect(failed).toMatchObject({ status: 'received', locked_until: null, last_error: expect.stringContaining('simulated outage for Q-FAIL-1') });
      const [{ later }] = await front.db.query('SELECT available_at > created_at AS later FROM webhook_deliveries WHERE id = $1', [id]);
      expect(later).toBe(true);
      await front.db.query(`CREATE OR REPLACE FUNCTION test_refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.platform_order_id LIKE 'Q-FAIL-2%' THEN RAISE EXCEPTION 'simulated outage for %', NEW.platform_order_id; END IF; RETURN NEW; END $$`);
      expect(await waitProcessed(worker!, id, 20_000)).toBe('processed');
      const done = await delivery(id);
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(done.last_error).toBeNull();
      const orders = await front.db.query(`SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND platform_order_id = 'Q-FAIL-1'`, [shop.id]);
      expect(orders[0].n).toBe(1);
    });

    it('is left failed after the last attempt, and an admin replay applies it', async () => {
      const id = await deliver('Q-FAIL-2');
      await until('first failure', () => delivery(id), (d) => d.attempts >= 1);
      // Skip ahead to the last attempt rather than wait out the backoff.
      await front.db.query(`UPDATE webhook_deliveries SET attempts = 4 WHERE id = $1 AND status = 'received'`, [id]);
      const failed = await until('failed for good', () => delivery(id), (d) => d.status !== 'received');
      expect(failed).toMatchObject({ status: 'failed', attempts: 5, last_error: expect.stringContaining('simulated outage for Q-FAIL-2') });

      await front.db.query('DROP TRIGGER test_refuse_order ON orders');
      const replay = await front.http().post(`/api/v1/webhook-deliveries/${id}/replay`).set(bearer(front.adminToken));
      expect(replay.status).toBe(200);
      expect(replay.body.status).toBe('processed');
    });
  });

  it('wakes idle workers by NOTIFY when a delivery commits (their poll here is a minute)', async () => {
    const solo = await startTestApp({ env: { JOBS_POLL_SECONDS: '60' } });
    try {
      const soloShop = await createShop(solo, { platform: 'generic' });
      const post = (orderId: string) =>
        postGeneric(solo, soloShop.id, { id: `evt_${randomUUID()}`, topic: 'order.created', data: order(orderId) }, { secret: soloShop.webhookSecret });
      // The first may still meet the workers' first claim; by the second they have all gone idle.
      const first = await post('Q-NOTIFY-1');
      expect(await waitProcessed(solo, first.body.id, 20_000)).toBe('processed');
      const second = await post('Q-NOTIFY-2');
      expect(second.status).toBe(200);
      expect(await waitProcessed(solo, second.body.id, 20_000)).toBe('processed');
    } finally {
      await solo.close();
    }
  });
});
