#!/usr/bin/env node
// Builds the staff console (console/ → console/dist) with Vite; run by `npm install` (postinstall),
// `npm start` and the browser tests. Skipped when the build is newer than every input (a hash of
// the sources is kept in console/dist/.build-hash), so a second start costs nothing.
// `--force` rebuilds anyway.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = join(root, 'console');
const dist = join(consoleDir, 'dist');
const stamp = join(dist, '.build-hash');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : files(p);
    return [p];
  });
}

// Inputs: the console's sources, the API types it is checked against, and the pinned versions.
const inputs = [...files(consoleDir), join(root, 'src/client/schema.ts'), join(root, 'package-lock.json')].filter(existsSync).sort();
const hash = createHash('sha256');
for (const f of inputs) hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
const digest = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(join(dist, 'index.html'))) {
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch {
  // e.g. an install without the build tools: the service still runs, /console answers 503 saying what to run.
  process.stderr.write('console: vite is not installed, the console was not built (/console will answer 503)\n');
  process.exit(0);
}
// A production bundle whatever the caller's NODE_ENV (Jest sets "test"; React and antd would
// otherwise ship their development builds).
process.env.NODE_ENV = 'production';
const started = performance.now();
await vite.build({ configFile: join(consoleDir, 'vite.config.ts'), root: consoleDir, logLevel: process.env.CONSOLE_BUILD_LOG ?? 'warn' });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const bytes = files(dist).reduce((n, f) => n + statSync(f).size, 0);
writeFileSync(stamp, digest);
process.stderr.write(`console: built into console/dist in ${seconds} s (${(bytes / 1024).toFixed(0)} KiB)\n`);
