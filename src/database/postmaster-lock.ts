import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The embedded PostgreSQL is a child of the node process, but it outlives a `kill -9` of it: the
 * orphaned postmaster keeps the data folder locked and the next start fails. Before starting, a
 * postmaster found running on our data folder is stopped when its owner is dead, and refused
 * (clearly) when its owner still runs.
 */

const OWNER_FILE = 'pg-owner.json';

export interface OwnerRecord {
  /** The node process that started the postmaster. */
  pid: number;
  postmasterPid: number;
  startedAt: string;
}

export class DataDirInUse extends Error {}

/** Alive = exists and is not a zombie; EPERM means it exists under another user. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === null || stat.state !== 'Z';
}

function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: read after the last ")".
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

/** `ps` where there is no /proc (macOS): the parent and the command line, or null. */
function psInfo(pid: number): { ppid: number; command: string } | null {
  try {
    const out = execFileSync('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const m = /^(\d+)\s+(.*)$/.exec(out);
    return m ? { ppid: Number(m[1]), command: m[2] } : null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  return procStat(pid)?.ppid ?? psInfo(pid)?.ppid ?? null;
}

/**
 * Whether `pid` is a postgres server on `clusterDir`: true, false, or null when this system does
 * not say. The postmaster runs with its data folder as working directory and `-D <dir>` in argv.
 */
function isPostmasterOf(pid: number, clusterDir: string): boolean | null {
  const want = realpathSync(clusterDir);
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!basename(argv[0]).startsWith('postgres')) return false;
    try {
      return realpathSync(readlinkSync(`/proc/${pid}/cwd`)) === want;
    } catch {
      const d = argv.indexOf('-D');
      return d >= 0 && d + 1 < argv.length && realpathSync(argv[d + 1]) === want;
    }
  } catch {
    const ps = psInfo(pid);
    if (!ps) return null;
    return /postgres/.test(ps.command) && (ps.command.includes(clusterDir) || ps.command.includes(want));
  }
}

/** PID, data folder and port from the first lines of `postmaster.pid`. */
export function readPostmasterPid(clusterDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port: Number(lines[3]) } : null;
  } catch {
    return null;
  }
}

export function readOwner(root: string): OwnerRecord | null {
  try {
    const rec = JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')) as OwnerRecord;
    return Number.isInteger(rec.pid) && Number.isInteger(rec.postmasterPid) ? rec : null;
  } catch {
    return null;
  }
}

export function writeOwner(root: string, postmasterPid: number): void {
  const rec: OwnerRecord = { pid: process.pid, postmasterPid, startedAt: new Date().toISOString() };
  writeFileSync(join(root, OWNER_FILE), JSON.stringify(rec), { mode: 0o600 });
}

/** Forgets the owner record, when it is still ours. */
export function clearOwner(root: string): void {
  if (readOwner(root)?.pid === process.pid) rmSync(join(root, OWNER_FILE), { force: true });
}

/**
 * The live node process that owns the running postmaster, or null when it is gone. A dead parent's
 * postmaster is re-parented (to init or a subreaper), so "its parent is the recorded owner" also
 * rules out a recorded PID that the system has since given to another process.
 */
function liveOwner(root: string, postmasterPid: number): number | null {
  const owner = readOwner(root);
  const parent = parentOf(postmasterPid);
  if (parent === process.pid) return parent; // started by this very process, and still its child
  if (owner && owner.pid !== process.pid) {
    if (parent !== null) return parent === owner.pid && isAlive(owner.pid) ? owner.pid : null;
    return isAlive(owner.pid) ? owner.pid : null;
  }
  // No record (started by an older version, or by hand): only a re-parented postmaster is an orphan.
  if (!owner && parent !== null && parent > 1 && parent !== process.pid && isAlive(parent)) return parent;
  return null;
}

/**
 * Clears the way for starting PostgreSQL on `clusterDir`: stops a postmaster whose owner died,
 * throws DataDirInUse when its owner is alive, and leaves a stale lock file to PostgreSQL (which
 * replaces it when its PID is gone).
 */
export async function stopLeftoverPostmaster(root: string, clusterDir: string, log: (line: string) => void): Promise<void> {
  const pm = readPostmasterPid(clusterDir);
  if (!pm || pm.pid === process.pid || !isAlive(pm.pid)) return;
  const ours = isPostmasterOf(pm.pid, clusterDir);
  if (ours === false) {
    // The PID was reused by an unrelated process; PostgreSQL would refuse to start over it.
    rmSync(join(clusterDir, 'postmaster.pid'), { force: true });
    return;
  }
  const owner = liveOwner(root, pm.pid);
  if (owner !== null) {
    throw new DataDirInUse(
      `The data folder ${root} is in use by another running instance (process ${owner}, its PostgreSQL is process ${pm.pid}). ` +
        'Stop that instance first, or give this one another DATA_DIR (or a DATABASE_URL).',
    );
  }
  log(`Stopping PostgreSQL (process ${pm.pid}) left running on ${clusterDir} by an instance that exited without stopping it`);
  await stopPostmaster(pm.pid, clusterDir);
  rmSync(join(root, OWNER_FILE), { force: true });
}

/** Fast shutdown (SIGINT: sessions rolled back, a checkpoint written); immediate (SIGQUIT) if it hangs. */
async function stopPostmaster(pid: number, clusterDir: string): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', 30_000], ['SIGQUIT', 10_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    // An immediate shutdown may leave its lock file behind: PostgreSQL replaces it at the next start.
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) {
      if (!isAlive(pid)) return;
    }
  }
  throw new Error(`PostgreSQL process ${pid} left running on ${clusterDir} did not stop; stop it by hand (kill ${pid})`);
}
