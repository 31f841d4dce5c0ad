// Smoke check of the two-command promise: `npm start` on a fresh data directory answers
// GET /health within 60 s, the bootstrap admin can log in, and SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'aso-smoke-'));
const env = { ...process.env, PORT: String(port), DATA_DIR: join(dataDir, 'data'), BOOTSTRAP_ADMIN_EMAIL: 'smoke@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'smoke-password-1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
const started = Date.now();
const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
let exited = null;
child.on('exit', (code) => (exited = code));

const base = `http://127.0.0.1:${port}`;
let healthy = false;
while (Date.now() - started < 60_000 && exited === null) {
  try {
    const r = await fetch(`${base}/health`);
    if (r.status === 200) {
      healthy = true;
      break;
    }
  } catch {
    // not up yet
  }
  await new Promise((r) => setTimeout(r, 250));
}
let ok = healthy;
if (healthy) {
  console.log(`smoke: /health 200 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'smoke@example.com', password: 'smoke-password-1' }) });
  const body = await login.json();
  ok = login.status === 200 && typeof body.accessToken === 'string';
  console.log(`smoke: admin login ${login.status}`);
} else {
  console.error('smoke: /health did not answer 200 within 60 s');
}
child.kill('SIGTERM');
const code = await new Promise((res) => (exited !== null ? res(exited) : child.on('exit', res)));
console.log(`smoke: exited with ${code} after SIGTERM`);
rmSync(dataDir, { recursive: true, force: true });
process.exit(ok && code === 0 ? 0 : 1);
