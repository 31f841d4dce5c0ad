// SPEC §13 over HTTP on 127.0.0.1 (autocannon, 50 connections), side by side in one run:
//   raw    a bare Node HTTP handler, and a Node handler doing one plain `pg` INSERT per request;
//   (a)    signed webhook ingestion of new orders by the service (its inbox workers on);
//   (b)    the backlog (a) accepted, processed into orders: orders/s from the first accepted
//          delivery until the last one is processed (read from the database);
//   (c)    case actions (hold / release on paid orders) through the engine, after the backlog drained;
//   (a2)   ingestion with two service instances on the same database (25 connections each);
//   shutdown: SIGTERM to the second instance under load (deliveries and case actions): answers
//          other than 2xx/4xx/503, jobs failed, "Driver not Connected" / "Connection terminated".
// Run alone: npm run bench:http (part of npm run bench). BENCH_SECONDS sets each load's length.
import pg from 'pg';
import { createServer } from 'node:http';
import { CONNECTIONS, createDatabase, isMain, load, login, orderDelivery, QUICK, SECONDS, sleep, startPostgres, startService } from './lib.mjs';

const SECRET = 'bench-webhook-secret';
const CASE_ORDERS = QUICK ? 200 : 500;

export async function runHttp(adminUrl, log = console.log) {
  const out = {};
  const servers = [];
  const services = [];
  const database = await createDatabase(adminUrl, 'bench_http');
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    // raw baseline 1: a bare handler
    const bare = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')); });
    await new Promise((r) => bare.listen(0, '127.0.0.1', r));
    servers.push(bare);
    out.rawBare = await load({ url: `http://127.0.0.1:${bare.address().port}/`, method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    log(`raw bare handler: ${out.rawBare.rps} req/s, p99 ${out.rawBare.p99ms} ms`);

    // raw baseline 2: one plain pg INSERT per request (a body about the size of a delivery's)
    const pool = new pg.Pool({ connectionString: database.url, max: 20 });
    await pool.query('CREATE TABLE bench_raw (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
    const withPg = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        pool.query('INSERT INTO bench_raw (body) VALUES ($1)', [Buffer.concat(chunks).toString()]).then(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise((r) => withPg.listen(0, '127.0.0.1', r));
    servers.push(withPg);
    const sample = orderDelivery(SECRET, 'RAW-1').body;
    out.rawPg = await load({ url: `http://127.0.0.1:${withPg.address().port}/`, method: 'POST', body: sample, headers: { 'content-type': 'application/json' } });
    await pool.end();
    log(`raw pg INSERT handler: ${out.rawPg.rps} req/s, p99 ${out.rawPg.p99ms} ms`);
    for (const s of servers.splice(0)) s.close();

    // the service, as `npm start` runs it
    const a = await startService(database.url);
    services.push(a);
    const session = await login(a.base);
    const auth = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
    const shopRes = await fetch(`${a.base}/api/v1/shops`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Bench shop', platform: 'generic', webhookSecret: SECRET }) });
    if (shopRes.status !== 201) throw new Error(`shop: ${shopRes.status} ${await shopRes.text()}`);
    const shop = await shopRes.json();
    const hook = `/webhooks/generic/${shop.id}`;

    // paid orders for the case actions, made before the ingestion load
    for (let i = 0; i < CASE_ORDERS; i += 25) {
      await Promise.all(Array.from({ length: 25 }, async (_, j) => {
        const d = orderDelivery(SECRET, `CASE-${i + j}`);
        const r = await fetch(`${a.base}${hook}`, { method: 'POST', headers: d.headers, body: d.body });
        if (!r.ok) throw new Error(`delivery answered ${r.status}: ${await r.text()}`);
      }));
    }
    const caseOrders = await waitFor('case orders paid', async () => (await db.query(`SELECT id FROM orders WHERE platform_order_id LIKE 'CASE-%' AND status = 'paid'`)).rows.map((r) => r.id), (ids) => ids.length >= CASE_ORDERS, 120_000);

    // (a) ingestion: every request a new, signed order
    let seq = 0;
    const ingest = (prefix) => [{ method: 'POST', path: hook, setupRequest: (req) => { const d = orderDelivery(SECRET, `${prefix}-${++seq}`); return { ...req, body: d.body, headers: d.headers }; } }];
    const aStart = await db.query('SELECT now() AS at');
    out.ingestion = await load({ url: a.base, requests: ingest('A') });
    log(`(a) ingestion: ${out.ingestion.rps} req/s, p99 ${out.ingestion.p99ms} ms, statuses ${JSON.stringify(out.ingestion.statuses)}`);

    // (b) the accepted backlog processed into orders
    out.processing = await drained(db, shop.id, aStart.rows[0].at, 'A-%');
    log(`(b) processing: ${out.processing.processed} deliveries into orders in ${out.processing.seconds} s = ${out.processing.ordersPerSecond} orders/s (pending left ${out.processing.pending}, failed ${out.processing.failed})`);

    // (c) case actions: hold / release alternating on the paid orders (backlog drained)
    const held = new Map();
    let next = 0;
    const caseActions = (orders) => [{
      method: 'POST',
      setupRequest: (req) => {
        const id = orders[next++ % orders.length];
        const hold = !held.get(id);
        held.set(id, hold);
        return { ...req, path: `/api/v1/orders/${id}/${hold ? 'hold' : 'release'}`, headers: auth, body: hold ? '{"reason":"customer_contact_needed"}' : '{}' };
      },
    }];
    const probe = await fetch(`${a.base}/api/v1/orders/${caseOrders[0]}/hold`, { method: 'POST', headers: auth, body: '{"reason":"customer_contact_needed"}' });
    if (probe.status !== 200) throw new Error(`hold answered ${probe.status}: ${await probe.text()}`);
    held.set(caseOrders[0], true);
    out.caseActions = await load({ url: a.base, requests: caseActions(caseOrders) });
    log(`(c) case actions: ${out.caseActions.rps} req/s, p99 ${out.caseActions.p99ms} ms, statuses ${JSON.stringify(out.caseActions.statuses)}`);

    // (a2) two instances on one database, the same 50 connections split between them
    const b = await startService(database.url);
    services.push(b);
    const both = await Promise.all([a, b].map((s, i) => load({ url: s.base, connections: CONNECTIONS / 2, requests: ingest(`A2${i}`) })));
    out.twoInstances = {
      rps: both[0].rps + both[1].rps,
      p99ms: Math.max(both[0].p99ms, both[1].p99ms),
      perInstance: both.map((r) => r.rps),
      statuses: both.map((r) => r.statuses),
    };
    log(`(a2) two instances: ${out.twoInstances.rps} req/s combined (${out.twoInstances.perInstance.join(' + ')}), p99 ${out.twoInstances.p99ms} ms`);

    // shutdown: SIGTERM to instance b a third into a load of deliveries and case actions on it
    let fired = 0;
    const codes = {};
    const count = (status) => { codes[status] = (codes[status] ?? 0) + 1; };
    const mixed = [
      ...ingest('S').map((r) => ({ ...r, onResponse: count })),
      ...caseActions(caseOrders).map((r) => ({ ...r, onResponse: count })),
    ];
    const shutdownLoad = load({ url: b.base, requests: mixed }, (inst) => {
      setTimeout(() => { fired = Date.now(); b.child.kill('SIGTERM'); }, (SECONDS * 1000) / 3);
      b.exited.then(() => setTimeout(() => inst.stop(), 200));
    });
    const [shut, exitCode] = await Promise.all([shutdownLoad, b.exited]);
    const exitMs = Date.now() - fired;
    services.splice(services.indexOf(b), 1);
    const bad = Object.entries(codes).filter(([s]) => Number(s) >= 500 && Number(s) !== 503).reduce((n, [, c]) => n + c, 0);
    // Work b held when it stopped is finished by a; then nothing may have failed.
    const rest = await drained(db, shop.id, aStart.rows[0].at, '%');
    const failedJobs = (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`)).rows[0].n;
    const closedPool = (b.output().match(/Driver not Connected|Connection terminated|Cannot use a pool after calling end/gi) ?? []).length;
    out.shutdown = { statuses: codes, non503ServerErrors: bad, exitCode, exitMs, failedJobs, failedDeliveries: rest.failed, closedPoolErrorsLogged: closedPool, refusedConnections: shut.errors };
    log(`shutdown under load: answers ${JSON.stringify(codes)}, 5xx other than 503: ${bad}; exit ${exitCode} after ${exitMs} ms; failed jobs ${failedJobs}, failed deliveries ${rest.failed}, closed-pool errors logged ${closedPool}`);
  } finally {
    for (const s of servers) s.close();
    for (const s of services) await s.stop();
    await db.end();
    await database.drop();
  }
  return out;
}

async function waitFor(what, read, done, timeoutMs) {
  for (const until = Date.now() + timeoutMs; ; await sleep(250)) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
  }
}

/**
 * Waits until no delivery of `like` received since `since` is pending (bounded), then reads the
 * processing rate off the rows: processed deliveries / (last processed_at − first created_at).
 */
async function drained(db, shopId, since, like) {
  const pending = async () => (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE shop_id = $1 AND created_at >= $2 AND status = 'received'`, [shopId, since])).rows[0].n;
  const until = Date.now() + Number(process.env.BENCH_DRAIN_SECONDS ?? 600) * 1000;
  let left = await pending();
  while (left > 0 && Date.now() < until) {
    await sleep(500);
    left = await pending();
  }
  const [r] = (
    await db.query(
      `SELECT count(*) FILTER (WHERE d.status = 'processed')::int AS processed, count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
              count(o.id)::int AS orders,
              extract(epoch FROM max(d.processed_at) - min(d.created_at))::float AS seconds
         FROM webhook_deliveries d LEFT JOIN orders o ON o.id = d.order_id
        WHERE d.shop_id = $1 AND d.created_at >= $2 AND d.delivery_id IS NOT NULL AND (o.platform_order_id LIKE $3 OR o.id IS NULL)`,
      [shopId, since, like],
    )
  ).rows;
  return { processed: r.processed, orders: r.orders, failed: r.failed, pending: left, seconds: Number((r.seconds ?? 0).toFixed(1)), ordersPerSecond: r.seconds ? Math.round(r.orders / r.seconds) : 0 };
}

if (isMain(import.meta.url)) {
  const server = await startPostgres();
  try {
    console.log(JSON.stringify(await runHttp(server.adminUrl), null, 2));
  } finally {
    await server.stop();
  }
}
