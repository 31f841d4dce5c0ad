// Times the stale-parcel scan (SPEC §6, §13: target < 1 s) over 1,000,000 shipments.
//
//   npm run bench:scan                 (embedded PostgreSQL in a temp dir; also part of npm run bench)
//   DATABASE_URL=postgres://… npm run bench:scan   (an external server; a fresh database is created in it)
//   BENCH_SHIPMENTS=200000 npm run bench:scan      (another size)
//
// Data: 85 % of the parcels delivered, 15 % travelling; of the travelling ones a backlog of 0.2 %
// of all parcels silent for 100 h. Three runs of the real StaleScanService (the same code as the
// schedule and POST /api/v1/logistics/scan):
//   1. backlog    — the first scan ever: opens a case for every stale parcel of the backlog;
//   2. steady     — what the 15-minute schedule sees: 100 parcels crossed a threshold since;
//   3. idle       — nothing new: detection only.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDatabase, isMain, QUICK, startPostgres, withoutIndexes } from './lib.mjs';

const TOTAL = Number(process.env.BENCH_SHIPMENTS ?? (QUICK ? 100_000 : 1_000_000));
// Parcels that cross a threshold between two scheduled runs (every 15 min). With 150,000 parcels
// travelling ~3 days and ~1 % of them stalling, about 5 do; 100 is twenty times that.
const NEWLY_STALE = 100;
const TARGET_MS = 1000;

/** Seeds TOTAL shipments in a fresh database on the server and times three scans; returns the figures. */
export async function runStaleScan(adminUrl, log = console.log) {
  const { createApp } = await import('../dist/src/app.js');
  const { loadConfig } = await import('../dist/src/config/config.js');
  const { StaleScanService, candidatesSql } = await import('../dist/src/logistics/stale-scan.service.js');
  // Seeding a million rows: no commit waits (the scan's own commits are few).
  const database = await createDatabase(adminUrl, 'bench_scan', { synchronous_commit: 'off', work_mem: '32MB' });
  const databaseUrl = database.url;
  const config = loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', BOOTSTRAP_ADMIN_EMAIL: 'bench@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'bench-password-1', DATABASE_URL: databaseUrl });
  const app = await createApp(config, databaseUrl);
  const scanner = app.get(StaleScanService);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ms = (t0) => performance.now() - t0;
  const fmt = (n) => `${n.toFixed(0).padStart(6)} ms`;
  try {
    const [{ id: merchantId }] = (await db.query(`SELECT id FROM merchants LIMIT 1`)).rows;
    const [{ id: shopId }] = (await db.query(`INSERT INTO shops (merchant_id, name, platform, webhook_secret, tracking_salt) VALUES ($1, 'bench', 'generic', 'bench-secret', 'bench-salt') RETURNING id`, [merchantId])).rows;

    let t0 = performance.now();
    // i % 100 >= 85: travelling; i % 500 = 99: the stale backlog (silent 100 h); one in three stays in its province.
    await withoutIndexes(db, ['shipments'], async () => {
      await db.query(
        `INSERT INTO shipments (merchant_id, shop_id, carrier, tracking_no, origin_province, dest_province, status, raw_status, last_event_at, created_at, source)
         SELECT $1, $2, (ARRAY['yunda','zto','sto','shunfeng'])[1 + i % 4], 'B' || lpad(i::text, 9, '0'),
                '浙江', CASE WHEN i % 3 = 0 THEN '浙江省' ELSE (ARRAY['广东省','四川','Beijing','新疆'])[1 + i % 4] END,
                CASE WHEN i % 100 < 85 THEN 'delivered' ELSE 'in_transit' END,
                CASE WHEN i % 100 < 85 THEN '3' ELSE '0' END,
                CASE WHEN i % 500 = 99 THEN now() - interval '100 hours'
                     WHEN i % 100 < 85 THEN now() - make_interval(hours => i % 240)
                     ELSE now() - make_interval(hours => i % 20) END,
                now() - interval '12 days', 'manual'
           FROM generate_series(1, $3::int) AS i`,
        [merchantId, shopId, TOTAL],
      );
    });
    await db.query('ANALYZE shipments');
    const counts = (await db.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'delivered')::int AS travelling FROM shipments`)).rows[0];
    log(`loaded ${counts.total.toLocaleString()} shipments (${counts.travelling.toLocaleString()} travelling) in ${(ms(t0) / 1000).toFixed(1)} s`);

    t0 = performance.now();
    const backlog = await scanner.scan({});
    const backlogMs = ms(t0);

    // fresh travelling parcels go quiet: the next scheduled run finds just these.
    await db.query(
      `UPDATE shipments SET last_event_at = now() - interval '100 hours'
        WHERE id IN (SELECT id FROM shipments WHERE status = 'in_transit' AND last_event_at > now() - interval '20 hours' ORDER BY id LIMIT ${NEWLY_STALE})`,
    );
    t0 = performance.now();
    const steady = await scanner.scan({});
    const steadyMs = ms(t0);

    t0 = performance.now();
    const idle = await scanner.scan({});
    const idleMs = ms(t0);

    const explain = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${candidatesSql()}`, [new Date(), 24, 72, merchantId])).rows.map((r) => r['QUERY PLAN']);
    log('detection query (idle), EXPLAIN ANALYZE:');
    for (const l of explain.filter((l) => /Index|Seq Scan|Execution Time|Planning Time/.test(l))) log(`  ${l.trim()}`);

    const line = (name, r, t, target) => log(`  ${name.padEnd(8)} ${fmt(t)}  opened ${String(r.opened.length).padStart(5)}${target ? `  ${t < TARGET_MS ? 'PASS' : 'FAIL'} (< ${TARGET_MS} ms)` : `  (${(t / Math.max(1, r.opened.length)).toFixed(2)} ms per case opened through the engine)`}`);
    log(`stale scan over ${counts.total.toLocaleString()} shipments:`);
    line('backlog', backlog, backlogMs, true);
    line('steady', steady, steadyMs, true);
    line('idle', idle, idleMs, true);
    log(`STALE_SCAN_MS=${steadyMs.toFixed(0)} (steady state, ${TOTAL.toLocaleString()} shipments; idle ${idleMs.toFixed(0)} ms)`);
    return { shipments: counts.total, travelling: counts.travelling, backlogMs: Math.round(backlogMs), backlogOpened: backlog.opened.length, steadyMs: Math.round(steadyMs), steadyOpened: steady.opened.length, idleMs: Math.round(idleMs) };
  } finally {
    await db.end();
    await app.close();
    await database.drop();
  }
}

if (isMain(import.meta.url)) {
  const server = await startPostgres();
  try {
    const r = await runStaleScan(server.adminUrl);
    process.exitCode = r.steadyMs < TARGET_MS && r.idleMs < TARGET_MS && r.backlogMs < TARGET_MS ? 0 : 1;
  } finally {
    await server.stop();
  }
}
