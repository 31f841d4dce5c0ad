// Reconciliation CSV over 1,000,000 refunds: starts the built service (dist/) as a child process on
// a fresh database (embedded PostgreSQL, or DATABASE_URL's server), seeds refunds and platform
// refunds with SQL, streams GET /api/v1/reports/refund-reconciliation?format=csv and prints rows/s
// and the service's peak RSS (VmHWM). Target (SPEC §13): ≥ 100,000 rows/s at < 256 MB.
//   npm run bench:csv            (BENCH_REFUNDS=200000 npm run bench:csv for a quicker run; also part of npm run bench)
//
// The rows are seeded already paired, as the service leaves them (it pairs each side when it is
// written, docs/refunds.md): by platform refund id, manual refunds by order and amount; about 1 %
// paired with another amount, 2 % missing on the platform, and 2 % platform refunds nobody here
// made. (Pairing a million SQL-seeded rows with the migration's backfill took 4–10 minutes.)
import pg from 'pg';
import { createDatabase, isMain, login, QUICK, startPostgres, startService, withoutIndexes } from './lib.mjs';

const N = Number(process.env.BENCH_REFUNDS ?? (QUICK ? 100_000 : 1_000_000));
const ORDERS = Math.max(1, Math.floor(N / 5));

export async function runRefundCsv(adminUrl, log = console.log) {
  const database = await createDatabase(adminUrl, 'bench_csv', { synchronous_commit: 'off' });
  const svc = await startService(database.url, { JOBS_ENABLED: 'false' });
  try {
    const base = svc.base;
    const session = await login(base);
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const shop = await (await fetch(`${base}/api/v1/shops`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench shop', platform: 'shopify', webhookSecret: 'bench-secret-1' }) })).json();

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const seedStart = Date.now();
    const m = session.staff.merchantId;
    // The two sides reference each other: seeded with foreign-key checks off (replica role), ids
    // derived from the series number so each side can name its partner.
    await withoutIndexes(db, ['orders', 'refunds', 'platform_refunds'], async () => {
      await db.query(`SET session_replication_role = replica`);
      await db.query(`INSERT INTO orders (id, merchant_id, shop_id, status, version, platform, platform_order_id, order_number, payment_method, currency, items_amount, total_amount, customer_name, placed_at, paid_at, platform_updated_at)
        SELECT md5('o' || g)::uuid, $1, $2, 'paid', 1, 'shopify', 'PO' || g, '#' || g, 'prepaid', 'CNY', 1000000, 1000000,
               CASE WHEN g % 1000 = 0 THEN '=HYPERLINK("http://x","y")' ELSE '客户 ' || g END, now(), now(), now()
          FROM generate_series(1, $3::int) g`, [m, shop.id, ORDERS]);
      const series = `SELECT g, md5('o' || ((g % $4::int) + 1))::uuid AS order_id, 'PO' || ((g % $4::int) + 1) AS platform_order_id,
                             1000 + (g % 5) * 100 AS amount, now() - interval '1 day' + g * interval '10 ms' AS created_at,
                             CASE WHEN g % 10 = 0 THEN 'M' || g ELSE 'PR' || g END AS platform_ref,
                             g % 50 = 1 AS missing, g % 97 = 0 AS other_amount
                        FROM generate_series(1, $3::int) g`;
      await db.query(`INSERT INTO refunds (id, merchant_id, shop_id, order_id, status, version, amount, currency, source_type, reason, method, execution_state, platform_refund_id, created_at, succeeded_at,
                                           matched_platform_refund_id, matched_platform_ref, matched_platform_amount, matched_platform_refunded_at, match_result)
        SELECT md5('r' || g)::uuid, $1, $2, s.order_id, 'succeeded', 2, s.amount, 'CNY', 'goodwill', '补偿, "运费"', 'shopify', 'done',
               CASE WHEN g % 10 = 0 THEN NULL ELSE s.platform_ref END, s.created_at, now(),
               CASE WHEN s.missing THEN NULL ELSE md5('p' || g)::uuid END, CASE WHEN s.missing THEN NULL ELSE s.platform_ref END,
               CASE WHEN s.missing THEN NULL ELSE s.amount + CASE WHEN s.other_amount THEN 1 ELSE 0 END END,
               CASE WHEN s.missing THEN NULL ELSE s.created_at + interval '1 minute' END,
               CASE WHEN s.missing THEN 'missing_on_platform' WHEN s.other_amount THEN 'amount_mismatch' ELSE 'matched' END
          FROM (${series}) s`, [m, shop.id, N, ORDERS]);
      await db.query(`INSERT INTO platform_refunds (id, merchant_id, shop_id, order_id, platform_order_id, platform_refund_id, amount, currency, reason, refunded_at, matched_refund_id, match_result)
        SELECT md5('p' || g)::uuid, $1, $2, s.order_id, s.platform_order_id, s.platform_ref, s.amount + CASE WHEN s.other_amount THEN 1 ELSE 0 END, 'CNY', 'refund',
               s.created_at + interval '1 minute', md5('r' || g)::uuid, CASE WHEN s.other_amount THEN 'amount_mismatch' ELSE 'matched' END
          FROM (${series}) s WHERE NOT s.missing`, [m, shop.id, N, ORDERS]);
      await db.query(`INSERT INTO platform_refunds (merchant_id, shop_id, platform_order_id, platform_refund_id, amount, currency, refunded_at)
        SELECT $1, $2, 'PO' || g, 'EXTRA' || g, 999, 'CNY', now() - interval '12 hours' FROM generate_series(1, $3::int / 50) g`, [m, shop.id, N]);
      await db.query(`SET session_replication_role = DEFAULT`);
    });
    const seeded = Date.now();
    await db.query('VACUUM ANALYZE orders, refunds, platform_refunds');
    log(`seeded ${N.toLocaleString('en')} refunds (paired, indexes built after) in ${Math.round((seeded - seedStart) / 1000)} s`);
    const hwm = svc.peakRssMb;
    const from = new Date(Date.now() - 2 * 86400_000).toISOString();
    const to = new Date(Date.now() + 86400_000).toISOString();
    const rssBefore = hwm();
    if (process.env.BENCH_EXPLAIN) {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      // The statement the CSV export runs (the query inside its COPY), with the export's work_mem.
      const { reconciliationCopySql } = await import('../dist/src/reports/reconciliation-csv.sql.js');
      const lit = (v) => (v === null ? 'NULL' : c.escapeLiteral(v));
      const copy = reconciliationCopySql({ merchantId: lit(m), from: lit(from), to: lit(to), shopId: null });
      await c.query(`SET work_mem = '256MB'`);
      const plan = await c.query(`EXPLAIN (ANALYZE) ${copy.slice('COPY ('.length, copy.lastIndexOf(') TO STDOUT'))}`);
      log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
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
    log(JSON.stringify({ bench: 'reconciliation-csv', refunds: N, csvRecords: rows, megabytes: Math.round(bytes / 1e6), seconds: Number(seconds.toFixed(2)), firstByteMs: Math.round(firstByteMs ?? 0), rowsPerSecond: rate, servicePeakRssMb: Math.round(peak), servicePeakRssBeforeReportMb: Math.round(rssBefore) }));
    log(`CSV ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${rate.toLocaleString('en')} rows/s; service peak RSS ${Math.round(peak)} MB ` +
      `(target ≥ 100,000 rows/s, < 256 MB: ${rate >= 100_000 && peak < 256 ? 'met' : 'NOT met'})`);
    await db.end();
    return { refunds: N, csvRecords: rows, megabytes: Math.round(bytes / 1e6), seconds: Number(seconds.toFixed(2)), firstByteMs: Math.round(firstByteMs ?? 0), rowsPerSecond: rate, servicePeakRssMb: Math.round(peak) };
  } finally {
    await svc.stop();
    await database.drop();
  }
}

if (isMain(import.meta.url)) {
  const server = await startPostgres();
  try {
    const r = await runRefundCsv(server.adminUrl);
    process.exitCode = r.rowsPerSecond >= 100_000 && r.servicePeakRssMb < 256 ? 0 : 1;
  } finally {
    await server.stop();
  }
}
