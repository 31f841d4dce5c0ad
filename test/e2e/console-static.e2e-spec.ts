import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SPEC §14: the console is served by the service itself from its built files; the API's rules
// (bearer token, JSON only) stay on the API. The browser spec (test/browser) drives the real build.
describe('serving the built console at /console', () => {
  let dir: string;
  let built: TestApp;
  let unbuilt: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aso-console-'));
    await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
    await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><div id="root"></div><script src="/console/assets/app-1a2b.js"></script>');
    await writeFile(join(dir, 'dist', 'assets', 'app-1a2b.js'), 'console.log("app")');
    [built, unbuilt] = await Promise.all([startTestApp({ consoleDir: join(dir, 'dist') }), startTestApp({ consoleDir: join(dir, 'missing') })]);
  });
  afterAll(async () => {
    await Promise.all([built?.close(), unbuilt?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every app path with index.html (the app routes in the browser), without a token', async () => {
    for (const path of ['/console/', '/console/cases/claims/0b8c1f3e-0000-4000-8000-000000000000', '/console/reports?tab=kpis']) {
      const res = await built.http().get(path);
      expect({ path, status: res.status, type: res.headers['content-type'], cache: res.headers['cache-control'], root: res.text.includes('<div id="root">') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
        cache: 'no-cache',
        root: true,
      });
    }
    const bare = await built.http().get('/console');
    expect({ status: bare.status, location: bare.headers.location }).toEqual({ status: 302, location: '/console/' });
  });

  it('serves the hashed assets for good, and a missing asset is a 404, not the page', async () => {
    const js = await built.http().get('/console/assets/app-1a2b.js');
    expect({ status: js.status, type: js.headers['content-type'], cache: js.headers['cache-control'] }).toEqual({
      status: 200,
      type: expect.stringMatching(/javascript/),
      cache: expect.stringMatching(/immutable/),
    });
    const missing = await built.http().get('/console/assets/gone-9z9z.js');
    expect(missing.status).toBe(404);
    const escape = await built.http().get('/console/assets/..%2f..%2findex.html');
    expect(escape.status).toBe(404);
  });

  it('answers a clear 503 saying what to run when the console is not built', async () => {
    const res = await unbuilt.http().get('/console/worklist');
    expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
      status: 503,
      type: 'text/plain; charset=utf-8',
      text: expect.stringContaining('npm run build:console'),
    });
  });

  it('leaves the API as it was: bearer token and JSON only', async () => {
    expect((await built.http().get('/api/v1/claims')).status).toBe(401);
    const form = await built.http().post('/api/v1/auth/login').set('content-type', 'text/plain').send('x');
    expect(form.status).toBe(415);
  });
});
