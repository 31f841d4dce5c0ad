import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import {
  buildDist,
  connectToDataDir,
  genericOrderDelivery,
  inParallel,
  login,
  postmasterPid,
  type ServiceProcess,
  spawnService,
  startService,
  waitUntil,
} from '../support/service-process.js';

// SPEC §13 reliability and shutdown, with real processes: `node dist/src/main.js` on an embedded
// PostgreSQL under one data folder, killed (SIGKILL) and stopped (SIGTERM) under load.
// Issue 9 faults 6 (restart after a crash), 7 (recovery of a dead instance's work) and 9 (SIGTERM).

const SECRET = 'crash-webhook-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  kind: 'delivery' | 'hold';
  key: string;
  status: number | null;
  body: string;
}

describe('crash safety with real processes on one data folder (SPEC §13)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aso-crash-'));
  let svc: ServiceProcess | undefined;
  let shopId: string;

  beforeAll(() => buildDist(), 240_000);

  afterAll(async () => {
    if (svc && svc.child.exitCode === null) {
      svc.child.kill('SIGTERM');
      await Promise.race([svc.exited, sleep(20_000)]);
      if (svc.child.exitCode === null) svc.child.kill('SIGKILL');
    }
    // A failed test may leave its PostgreSQL behind: stop it (fast shutdown).
    const pm = postmasterPid(dataDir);
    if (pm) {
      process.kill(pm, 'SIGINT');
      for (let i = 0; i < 100 && postmasterPid(dataDir); i++) await sleep(200);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const post = async (path: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; body: string }> => {
    try {
      const res = await fetch(`${svc!.base}${path}`, { method: 'POST', headers, body });
      return { status: res.status, body: await res.text() };
    } catch {
      return { status: null, body: '' }; // the connection went away with the process
    }
  };

  it('SIGKILL mid-load: the next start on the same data folder succeeds and every acknowledged delivery is processed exactly once', async () => {
    svc = await startService(dataDir);
    const token = await login(svc.base);
    const shop = await post('/api/v1/shops', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ name: 'Crash shop', platform: 'generic', webhookSecret: SECRET }));
    expect(shop.status).toBe(201);
    shopId = JSON.parse(shop.body).id;

    const total = 500;
    const killAfter = 200;
    const victim = svc;
    let answered = 0;
    const sent: Sent[] = [];
    await inParallel(
      Array.from({ length: total }, (_, i) => async () => {
        const d = genericOrderDelivery(SECRET, `K-${i}`);
        const res = await post(`/webhooks/generic/${shopId}`, d.headers, d.body);
        sent.push({ kind: 'delivery', key: d.deliveryId, ...res });
        if (++answered === killAfter) victim.child.kill('SIGKILL');
      }),
      40,
    );
    await victim.exited;
    const acked = sent.filter((s) => s.status !== null && s.status >= 200 && s.status < 300).map((s) => s.key);
    // Everything answered before the kill was accepted; the kill came mid-load.
    expect(sent.filter((s) => s.status !== null && (s.status < 200 || s.status >= 300))).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(killAfter);
    expect(acked.length).toBeLessThan(total);
    // The crash left the killed instance's PostgreSQL running on the folder (what made restarts fail).
    const orphan = postmasterPid(dataDir);
    expect(orphan).not.toBeNull();

    svc = await startService(dataDir);
    expect(svc.output()).toContain(`Stopping PostgreSQL (process ${orphan})`);
    expect(postmasterPid(dataDir)).not.toBe(orphan);

    const db = await connectToDataDir(dataDir);
    try {
      // Work the dead instance had claimed comes back after its short lease, not after minutes.
      const rows = await waitUntil(
        'all stored deliveries processed',
        async () =>
          (
            await db.query(
              `SELECT d.delivery_id, d.status, d.result->>'outcome' AS outcome, d.order_id,
                      (SELECT count(*)::int FROM timeline_events e WHERE e.subject_id = d.order_id) AS events
                 FROM webhook_deliveries d WHERE d.shop_id = $1`,
              [shopId],
            )
          ).rows as Array<{ delivery_id: string; status: string; outcome: string | null; order_id: string | null; events: number }>,
        (rs) => rs.length > 0 && rs.every((r) => r.status !== 'received'),
      );
      const stored = new Map(rows.map((r) => [r.delivery_id, r]));
      const missing = acked.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // Exactly once: each delivery created its own order, with one creation on its timeline.
      const wrong = rows.filter((r) => r.status !== 'processed' || r.outcome !== 'created' || !r.order_id || r.events !== 1);
      expect(wrong).toEqual([]);
      const orders = await db.query(`SELECT count(*)::int AS n, count(DISTINCT platform_order_id)::int AS distinct_ids FROM orders WHERE shop_id = $1`, [shopId]);
      expect(orders.rows[0]).toEqual({ n: rows.length, distinct_ids: rows.length });
    } finally {
      await db.end();
    }
  }, 240_000);

  it('refuses a second instance on the data folder while the first runs, saying why', async () => {
    expect(svc?.child.exitCode).toBeNull();
    const second = await spawnService(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Failed to start: The data folder .* is in use by another running instance \(process \d+/);
    expect(second.output()).not.toContain('undefined');
    expect((await fetch(`${svc!.base}/health`)).status).toBe(200);
  }, 60_000);

  it('SIGTERM under load: nothing sent before it gets a 500; refused requests had no effect; no work is failed by the shutdown', async () => {
    expect(svc?.child.exitCode).toBeNull();
    const token = await login(svc!.base);
    const db = await connectToDataDir(dataDir);
    db.on('error', () => undefined); // the server goes away with the service at the end
    const all = (await db.query(`SELECT id FROM orders WHERE shop_id = $1 AND status = 'paid' ORDER BY id LIMIT 150`, [shopId])).rows.map((r) => r.id as string);
    expect(all.length).toBeGreaterThanOrEqual(110);
    // Requests whose clients give up while their handlers are still at work: the test holds
    // these orders' rows locked, so their holds wait in the database when the signal comes.
    const abandoned = all.slice(0, 10);
    const paid = all.slice(10);
    await db.query('BEGIN');
    await db.query('SELECT id FROM orders WHERE id = ANY($1::uuid[]) FOR UPDATE', [abandoned]);

    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const victim = svc!;
    let answered = 0;
    let signalled = false;
    let shutdown: Promise<void> | undefined;
    const sent: Sent[] = [];
    const abandonAndSignal = async () => {
      const { port } = new URL(victim.base);
      const body = '{"reason":"customer_contact_needed"}';
      const clients = abandoned.map((id) => {
        const socket = connect(Number(port), '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(
          `POST /api/v1/orders/${id}/hold HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return socket;
      });
      await waitUntil(
        'the abandoned holds waiting on their rows',
        async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number,
        (n) => n >= abandoned.length,
      );
      for (const c of clients) c.destroy(); // gone, as a load generator's connections at its end
      victim.child.kill('SIGTERM');
      await sleep(1000);
      // (Fails when the service stopped PostgreSQL under the waiting handlers: asserted below.)
      await db.query('COMMIT').catch(() => undefined);
      await db.end().catch(() => undefined);
    };
    const afterAnswer = () => {
      if (++answered !== 80) return;
      signalled = true;
      shutdown = abandonAndSignal();
    };
    const tasks: Array<() => Promise<void>> = [];
    for (let i = 0; i < paid.length; i++) {
      tasks.push(async () => {
        if (signalled) return;
        const res = await post(`/api/v1/orders/${paid[i]}/hold`, auth, '{"reason":"customer_contact_needed"}');
        sent.push({ kind: 'hold', key: paid[i], ...res });
        afterAnswer();
      });
      tasks.push(async () => {
        if (signalled) return;
        const d = genericOrderDelivery(SECRET, `T-${i}`);
        const res = await post(`/webhooks/generic/${shopId}`, d.headers, d.body);
        sent.push({ kind: 'delivery', key: d.deliveryId, ...res });
        afterAnswer();
      });
    }
    await inParallel(tasks, 30);
    expect(signalled).toBe(true);
    await shutdown;
    expect(await victim.exited).toBe(0);

    // Sent before the signal reached the server, or in its first moments: answered normally, or
    // refused with 503 before anything was done. Never an error from a pool closed under it.
    const errors = sent.filter((s) => s.status !== null && s.status >= 500 && s.status !== 503);
    expect(errors).toEqual([]);
    const refused = sent.filter((s) => s.status === 503);
    for (const r of refused) expect(JSON.parse(r.body)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable' });
    expect(victim.output()).not.toMatch(/Driver not Connected|Connection terminated|Failed to start/i);

    svc = await startService(dataDir);
    const again = await connectToDataDir(dataDir);
    try {
      const holds = sent.filter((s) => s.kind === 'hold');
      const status = new Map(
        (await again.query(`SELECT id, status FROM orders WHERE id = ANY($1::uuid[])`, [holds.map((h) => h.key)])).rows.map((r) => [r.id as string, r.status as string]),
      );
      // The abandoned requests were running when the signal came: they were let finish.
      const abandonedStatus = (await again.query(`SELECT status FROM orders WHERE id = ANY($1::uuid[])`, [abandoned])).rows.map((r) => r.status as string);
      expect(abandonedStatus).toEqual(abandoned.map(() => 'on_hold'));
      for (const h of holds) {
        if (h.status === 200) expect([h.key, status.get(h.key)]).toEqual([h.key, 'on_hold']);
        if (h.status === 503) expect([h.key, status.get(h.key)]).toEqual([h.key, 'paid']);
      }
      const deliveries = sent.filter((s) => s.kind === 'delivery');
      const acked = deliveries.filter((s) => s.status === 200 || s.status === 202).map((s) => s.key);
      const refusedIds = deliveries.filter((s) => s.status === 503).map((s) => s.key);
      const rows = await waitUntil(
        'deliveries accepted before SIGTERM processed after the restart',
        async () =>
          (await again.query(`SELECT delivery_id, status, last_error FROM webhook_deliveries WHERE delivery_id = ANY($1::text[])`, [[...acked, ...refusedIds]])).rows as Array<{
            delivery_id: string;
            status: string;
            last_error: string | null;
          }>,
        (rs) => rs.length >= acked.length && rs.every((r) => r.status !== 'received'),
      );
      const byId = new Map(rows.map((r) => [r.delivery_id, r]));
      expect(acked.filter((id) => byId.get(id)?.status !== 'processed')).toEqual([]);
      expect(refusedIds.filter((id) => byId.has(id))).toEqual([]);
      // Nothing was failed by the pools closing under running work.
      expect(rows.filter((r) => r.last_error !== null)).toEqual([]);
      const failedJobs = await again.query(`SELECT name, output FROM pgboss.job WHERE state = 'failed'`);
      expect(failedJobs.rows).toEqual([]);
    } finally {
      await again.end();
    }

    const last = svc;
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    expect(postmasterPid(dataDir)).toBeNull();
  }, 240_000);
});
