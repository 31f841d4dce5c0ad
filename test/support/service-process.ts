import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * The service as `npm start` runs it: `node dist/src/main.js` in its own process, on an embedded
 * PostgreSQL under a data folder, so tests can kill it for real.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles src/ into dist/ (incremental: a few seconds when dist/ is current). */
export function buildDist(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

export const SERVICE_ADMIN = { email: 'crash@test.local', password: 'crash-password-1' };

export interface ServiceProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts dist/src/main.js on `dataDir` and waits (bounded) until /health answers 200. With
 * `env.DATABASE_URL` it runs on that database instead (several instances on one database).
 */
export async function startService(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const svc = await spawnService(dataDir, env);
  for (const until = Date.now() + 120_000; ; ) {
    if (svc.child.exitCode !== null) throw new Error(`service exited with ${svc.child.exitCode} while starting:\n${svc.output()}`);
    try {
      if ((await fetch(`${svc.base}/health`)).status === 200) return svc;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`service did not answer /health within 120 s:\n${svc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Spawns dist/src/main.js on `dataDir` without waiting for it. */
export async function spawnService(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: SERVICE_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: SERVICE_ADMIN.password,
    RATE_LIMIT_MAX: '1000000',
    JOBS_POLL_SECONDS: '0.5',
    ...env,
  };
  // On its own embedded PostgreSQL under dataDir unless the caller names a shared database.
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => out, exited };
}

export async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SERVICE_ADMIN) });
  const body = (await res.json()) as { accessToken: string };
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return body.accessToken;
}

/** A direct connection to the service's embedded database (credentials and port from the data folder). */
export async function connectToDataDir(dataDir: string): Promise<pg.Client> {
  const { password } = JSON.parse(readFileSync(join(dataDir, 'pg-credentials.json'), 'utf8')) as { password: string };
  const port = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'aftersales' });
  await client.connect();
  return client;
}

/** Polls `read` every 250 ms until `done` holds (bounded); the error quotes the last value. */
export async function waitUntil<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  for (const until = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 250))) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(v).slice(0, 2000)}`);
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`; resolves with the exit code. */
export async function stopService(svc: ServiceProcess, graceMs = 20_000): Promise<number | null> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return svc.exited;
  svc.child.kill('SIGTERM');
  const timer = setTimeout(() => svc.child.kill('SIGKILL'), graceMs);
  try {
    return await svc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A POST that reports a connection the server dropped (a stopped process) as status null. */
export async function post(base: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; body: string }> {
  try {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: null, body: '' };
  }
}

/** PID of the postmaster running on the data folder, if any. */
export function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** A signed generic-format delivery creating one order, paid unless told otherwise (docs/webhooks.md). */
export function genericOrderDelivery(secret: string, platformOrderId: string, { paid = true }: { paid?: boolean } = {}): { deliveryId: string; body: string; headers: Record<string, string> } {
  const deliveryId = randomUUID();
  const now = new Date().toISOString();
  const body = JSON.stringify({
    id: deliveryId,
    topic: 'order.created',
    occurredAt: now,
    data: {
      orderId: platformOrderId,
      orderNumber: platformOrderId,
      createdAt: now,
      updatedAt: now,
      currency: 'CNY',
      paymentMethod: 'prepaid',
      paidAt: paid ? now : null,
      amounts: { items: '199.00', total: '199.00' },
      lines: [{ id: 'L1', sku: 'CUP-1', title: '保温杯', quantity: 1, unitPrice: '199.00' }],
      customer: { name: '王五', phone: '13700137000' },
      shippingAddress: { country: 'CN', province: '广东省', city: '深圳市', address: '科技园 1 号' },
    },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { deliveryId, body, headers: { 'content-type': 'application/json', 'x-signature': `t=${t},v1=${v1}` } };
}

/** Runs `tasks` with at most `width` at once. */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}
