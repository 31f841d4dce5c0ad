import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import {
  buildDist,
  genericOrderDelivery,
  inParallel,
  login,
  post,
  type ServiceProcess,
  startService,
  stopService,
  waitUntil,
} from '../support/service-process.js';
import { createTestDatabase } from '../support/test-app.js';

// SPEC §13 reliability with two real service processes (`node dist/src/main.js`) on one
// database, the way out when one machine is not enough: deliveries accepted by either are
// processed once, identical deliveries make one order, timers fire once, refunds never exceed
// what was paid, SIGTERM under load answers no 5xx but 503, and a restart resumes pending timers.

const SECRET = 'reliability-webhook-secret';
const DUE_SWEEP_JOB = 'kernel.due-sweep';
const ACCEPTED = new Set([200, 202]);

type Answer = { status: number | null; body: string };

describe('two instances on one database (SPEC §13 reliability)', () => {
  const dirs: string[] = [];
  const running: ServiceProcess[] = [];
  let databaseUrl: string;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let db: pg.Client;
  let auth: Record<string, string>;
  let hook: string;
  /** Unpaid orders whose 20-minute follow-up timer the tests make due. */
  const dueNow: string[] = [];
  const dueAfterRestart: string[] = [];

  const instance = async (): Promise<ServiceProcess> => {
    const dir = mkdtempSync(join(tmpdir(), 'aso-rel-'));
    dirs.push(dir);
    const svc = await startService(dir, { DATABASE_URL: databaseUrl });
    running.push(svc);
    return svc;
  };
  const deliver = (svc: ServiceProcess, platformOrderId: string, paid = true): Promise<Answer & { deliveryId: string }> => {
    const d = genericOrderDelivery(SECRET, platformOrderId, { paid });
    return post(svc.base, hook, d.headers, d.body).then((r) => ({ ...r, deliveryId: d.deliveryId }));
  };
  const ordersOf = async (platformOrderIds: string[]): Promise<Array<{ id: string; platform_order_id: string; status: string }>> =>
    (await db.query(`SELECT id, platform_order_id, status FROM orders WHERE platform_order_id = ANY($1::text[])`, [platformOrderIds])).rows;
  const untilProcessed = (deliveryIds: string[], timeoutMs = 120_000) =>
    waitUntil(
      'deliveries processed',
      async () =>
        (
          await db.query(
            `SELECT d.delivery_id, d.status, d.result->>'outcome' AS outcome, d.order_id, d.last_error, d.duplicates,
                    (SELECT count(*)::int FROM timeline_events e WHERE e.subject_id = d.order_id) AS events
               FROM webhook_deliveries d WHERE d.delivery_id = ANY($1::text[])`,
            [deliveryIds],
          )
        ).rows as Array<{ delivery_id: string; status: string; outcome: string | null; order_id: string | null; last_error: string | null; duplicates: number; events: number }>,
      (rows) => rows.length === new Set(deliveryIds).size && rows.every((r) => r.status !== 'received'),
      timeoutMs,
    );

  beforeAll(async () => {
    buildDist();
    databaseUrl = await createTestDatabase();
    a = await instance(); // migrates the database; the second instance starts on it afterwards
    b = await instance();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    auth = { authorization: `Bearer ${await login(a.base)}`, 'content-type': 'application/json' };
    const shop = await post(a.base, '/api/v1/shops', auth, JSON.stringify({ name: 'Reliability shop', platform: 'generic', webhookSecret: SECRET }));
    expect(shop.status).toBe(201);
    hook = `/webhooks/generic/${JSON.parse(shop.body).id}`;

    // Unpaid orders: each has its [002] follow-up timer pending, 20 minutes after placement.
    const unpaid = await Promise.all(Array.from({ length: 40 }, (_, i) => deliver(i % 2 ? a : b, `UNPAID-${i}`, false)));
    expect(unpaid.map((r) => r.status)).toEqual(unpaid.map(() => 200));
    await untilProcessed(unpaid.map((r) => r.deliveryId));
    const orders = await ordersOf(Array.from({ length: 40 }, (_, i) => `UNPAID-${i}`));
    expect(orders.map((o) => o.status)).toEqual(orders.map(() => 'pending_payment'));
    dueNow.push(...orders.slice(0, 20).map((o) => o.id));
    dueAfterRestart.push(...orders.slice(20).map((o) => o.id));
  }, 300_000);

  afterAll(async () => {
    for (const svc of running) await stopService(svc);
    await db?.end();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 120_000);

  it('ingests through both instances; every accepted delivery is processed once into its own order', async () => {
    const sent = await inParallel(
      Array.from({ length: 300 }, (_, i) => () => deliver(i % 2 ? a : b, `BOTH-${i}`)),
      40,
    );
    expect(sent.filter((s) => !ACCEPTED.has(s.status ?? 0))).toEqual([]);
    const rows = await untilProcessed(sent.map((s) => s.deliveryId));
    // One order per delivery, created once: one timeline event each, processed without error.
    const wrong = rows.filter((r) => r.status !== 'processed' || r.outcome !== 'created' || !r.order_id || r.events !== 1 || r.last_error !== null);
    expect(wrong).toEqual([]);
    expect(new Set(rows.map((r) => r.order_id)).size).toBe(300);
  }, 300_000);

  it('the same delivery 20 times at once through both instances, under other load, makes one order', async () => {
    const paid = (await ordersOf(Array.from({ length: 60 }, (_, i) => `BOTH-${i}`))).map((o) => o.id);
    let stop = false;
    const background = (async () => {
      const answers: Answer[] = [];
      for (let round = 0; !stop; round++) {
        answers.push(
          ...(await Promise.all([
            ...Array.from({ length: 10 }, (_, i) => deliver(i % 2 ? a : b, `BG-${round}-${i}`)),
            ...paid.slice((round * 6) % 60, (round * 6) % 60 + 6).map((id, i) =>
              post(i % 2 ? a.base : b.base, `/api/v1/orders/${id}/${round % 2 ? 'release' : 'hold'}`, auth, round % 2 ? '{}' : '{"reason":"customer_contact_needed"}'),
            ),
          ])),
        );
      }
      return answers;
    })();

    const rounds = 5;
    const deliveries = Array.from({ length: rounds }, (_, k) => genericOrderDelivery(SECRET, `TWENTY-${k}`));
    for (const d of deliveries) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? a.base : b.base, hook, d.headers, d.body)));
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    }
    stop = true;
    const bg = await background;
    // The load itself: accepted, or a 409 where a hold met a release; never a server error.
    expect(bg.filter((r) => r.status === null || r.status >= 500)).toEqual([]);

    const rows = await untilProcessed(deliveries.map((d) => d.deliveryId));
    expect(rows.map((r) => [r.status, r.outcome, r.duplicates, r.events])).toEqual(rows.map(() => ['processed', 'created', 19, 1]));
    const orders = await db.query(`SELECT platform_order_id, count(*)::int AS n FROM orders WHERE platform_order_id LIKE 'TWENTY-%' GROUP BY 1 ORDER BY 1`);
    expect(orders.rows).toEqual(deliveries.map((_, k) => ({ platform_order_id: `TWENTY-${k}`, n: 1 })));
  }, 300_000);

  it('conflicting actions on one order through both instances: one wins, the others 409 and change nothing', async () => {
    const [order] = await ordersOf(['BOTH-298']);
    const [{ version }] = (await db.query(`SELECT version FROM orders WHERE id = $1`, [order.id])).rows;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(i % 2 ? a.base : b.base, `/api/v1/orders/${order.id}/${i % 3 ? 'hold' : 'cancel'}`, auth, JSON.stringify({ expectedVersion: version, reason: 'customer_contact_needed' })),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const [after] = (await db.query(`SELECT version FROM orders WHERE id = $1`, [order.id])).rows;
    expect(after.version).toBe(version + 1);
    const events = await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = $1 AND version = $2`, [order.id, version + 1]);
    expect(events.rows[0].n).toBe(1);
  }, 120_000);

  it('30 concurrent refunds on one order through both instances never exceed the paid amount', async () => {
    const [order] = await ordersOf(['BOTH-299']);
    // 199.00 paid: 28 × 7.00 = 196.00 fit, a 29th would not.
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(i % 2 ? a.base : b.base, '/api/v1/refunds', auth, JSON.stringify({ orderId: order.id, amount: 700, reason: `concurrent ${i}` }))),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(28);
    expect(statuses.filter((s) => s === 422)).toHaveLength(2);
    const sum = await db.query(`SELECT sum(amount)::int AS total, count(*)::int AS n FROM refunds WHERE order_id = $1 AND status IN ('pending', 'succeeded')`, [order.id]);
    expect(sum.rows[0]).toEqual({ total: 19_600, n: 28 });
  }, 120_000);

  it('a due timer fires once with both instances sweeping at the same time', async () => {
    await db.query(`UPDATE case_index SET due_at = now() - interval '1 minute', next_sweep_at = now() - interval '1 minute' WHERE machine = 'order' AND case_id = ANY($1::uuid[])`, [dueNow]);
    // Besides the minutely schedule: ten sweeps at once, taken by both instances' workers.
    const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    await boss.start();
    try {
      for (let i = 0; i < 10; i++) await boss.send(DUE_SWEEP_JOB, { test: i });
    } finally {
      await boss.stop({ graceful: false });
    }
    await waitUntil(
      'the due follow-ups handled',
      async () => (await db.query(`SELECT count(*)::int AS n FROM case_index WHERE case_id = ANY($1::uuid[]) AND next_sweep_at IS NULL`, [dueNow])).rows[0].n as number,
      (n) => n === dueNow.length,
      120_000,
    );
    // Let every sweep job finish before counting.
    await waitUntil(
      'the sweep jobs settled',
      async () => (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [DUE_SWEEP_JOB])).rows[0].n as number,
      (n) => n === 0,
      120_000,
    );
    const fired = await db.query(
      `SELECT o.id, (SELECT count(*)::int FROM timeline_events e WHERE e.subject_id = o.id AND e.action = 'follow-up-unpaid') AS fired,
              (SELECT count(*)::int FROM tasks t WHERE t.subject_id = o.id) AS tasks
         FROM orders o WHERE o.id = ANY($1::uuid[])`,
      [dueNow],
    );
    expect(fired.rows.filter((r) => r.fired !== 1 || r.tasks !== 1)).toEqual([]);
    expect(fired.rows).toHaveLength(dueNow.length);
    // The others are not due yet: untouched.
    const early = await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = ANY($1::uuid[]) AND action = 'follow-up-unpaid'`, [dueAfterRestart]);
    expect(early.rows[0].n).toBe(0);
    const failed = await db.query(`SELECT name, output FROM pgboss.job WHERE state = 'failed'`);
    expect(failed.rows).toEqual([]);
  }, 300_000);

  it('SIGTERM to one instance under load: no 5xx but 503, nothing failed; the other finishes its accepted work', async () => {
    const paid = (await ordersOf(Array.from({ length: 100 }, (_, i) => `BOTH-${100 + i}`))).map((o) => o.id);
    const victim = b;
    const sent: Array<Answer & { kind: 'delivery' | 'hold'; key: string }> = [];
    let answered = 0;
    let signalled = false;
    const afterAnswer = () => {
      if (++answered !== 80) return;
      signalled = true;
      victim.child.kill('SIGTERM');
    };
    const tasks: Array<() => Promise<void>> = [];
    for (let i = 0; i < paid.length; i++) {
      tasks.push(async () => {
        const res = await post(victim.base, `/api/v1/orders/${paid[i]}/hold`, auth, '{"reason":"customer_contact_needed"}');
        sent.push({ kind: 'hold', key: paid[i], ...res });
        afterAnswer();
      });
      tasks.push(async () => {
        const d = genericOrderDelivery(SECRET, `TERM-${i}`);
        const res = await post(victim.base, hook, d.headers, d.body);
        sent.push({ kind: 'delivery', key: d.deliveryId, ...res });
        afterAnswer();
      });
    }
    await inParallel(tasks, 30);
    expect(signalled).toBe(true);
    expect(await victim.exited).toBe(0);
    running.splice(running.indexOf(victim), 1);

    expect(sent.filter((s) => s.status !== null && s.status >= 500 && s.status !== 503)).toEqual([]);
    for (const r of sent.filter((s) => s.status === 503)) expect(JSON.parse(r.body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(victim.output()).not.toMatch(/Driver not Connected|Connection terminated|Cannot use a pool after calling end/i);

    // What the stopped instance accepted, the other one processes.
    const acked = sent.filter((s) => s.kind === 'delivery' && ACCEPTED.has(s.status ?? 0)).map((s) => s.key);
    expect(acked.length).toBeGreaterThan(0);
    const rows = await untilProcessed(acked);
    expect(rows.filter((r) => r.status !== 'processed' || r.last_error !== null)).toEqual([]);
    const held = sent.filter((s) => s.kind === 'hold' && s.status === 200).map((s) => s.key);
    const status = await db.query(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'on_hold'`, [held]);
    expect(status.rows[0].n).toBe(held.length);
    const failed = await db.query(`SELECT name, output FROM pgboss.job WHERE state = 'failed'`);
    expect(failed.rows).toEqual([]);
    expect((await fetch(`${a.base}/health`)).status).toBe(200);
  }, 300_000);

  it('pending timers survive a restart: stopped while pending, due meanwhile, fired once after the start', async () => {
    expect(await stopService(a)).toBe(0);
    running.splice(running.indexOf(a), 1);
    // The timers came due while no instance ran.
    await db.query(`UPDATE case_index SET due_at = now() - interval '1 minute', next_sweep_at = now() - interval '1 minute' WHERE machine = 'order' AND case_id = ANY($1::uuid[])`, [dueAfterRestart]);
    const c = await instance();
    // Only the instance's own schedule sweeps now (every minute).
    await waitUntil(
      'the follow-ups fired after the restart',
      async () => (await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE subject_id = ANY($1::uuid[]) AND action = 'follow-up-unpaid'`, [dueAfterRestart])).rows[0].n as number,
      (n) => n >= dueAfterRestart.length,
      150_000,
    );
    const per = await db.query(
      `SELECT o.id, (SELECT count(*)::int FROM timeline_events e WHERE e.subject_id = o.id AND e.action = 'follow-up-unpaid') AS fired,
              (SELECT count(*)::int FROM tasks t WHERE t.subject_id = o.id) AS tasks
         FROM orders o WHERE o.id = ANY($1::uuid[])`,
      [dueAfterRestart],
    );
    expect(per.rows.map((r) => [r.fired, r.tasks])).toEqual(dueAfterRestart.map(() => [1, 1]));
    expect(await stopService(c)).toBe(0);
    running.splice(running.indexOf(c), 1);
  }, 300_000);
});
