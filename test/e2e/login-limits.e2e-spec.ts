import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createStaff } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { message?: string; accessToken?: string; details?: unknown; staff?: { merchantId: string } };
}

/**
 * A JSON request sent from a chosen loopback address (127.0.0.0/8 is all loopback on Linux), so the
 * service sees another client address without trusting any forwarded header.
 */
function send(t: TestApp, method: string, path: string, opts: { from?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const url = new URL(path, t.baseUrl);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: opts.from ?? '127.0.0.1',
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const login = (t: TestApp, email: string, password: string, opts: { from?: string; headers?: Record<string, string>; merchantId?: string } = {}) =>
  send(t, 'POST', '/api/v1/auth/login', { from: opts.from, headers: opts.headers, body: { email, password, ...(opts.merchantId ? { merchantId: opts.merchantId } : {}) } });

describe('login limit per client address (issue 9, fault 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT_MAX: '5', LOGIN_RATE_LIMIT_WINDOW_MS: '600000', LOGIN_LOCKOUT_FAILURES: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rotating junk Authorization headers do not reset it; another address is not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await login(t, `nobody-${i}@test.local`, 'wrong-password', { from: '127.0.0.3', headers: { authorization: `Bearer junk-${randomUUID()}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const elsewhere = await login(t, 'nobody@test.local', 'wrong-password', { from: '127.0.0.4' });
    expect(elsewhere.status).toBe(401);
    // The admin API keys on the staff member, not on the address: still open from the limited address.
    const api = await send(t, 'GET', '/api/v1/shops', { from: '127.0.0.3', headers: bearer(t.adminToken) });
    expect(api.status).toBe(200);
  });
});

describe('per-account lockout after repeated failures (issue 9, fault 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_LOCKOUT_FAILURES: '3', LOGIN_LOCKOUT_WINDOW_SECONDS: '900', LOGIN_LOCKOUT_SECONDS: '120' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('locks the account, from any address and even with the right password, then opens it again after the lockout', async () => {
    const agent = await createStaff(t, Role.Agent);
    const other = await createStaff(t, Role.Agent);
    const statuses: number[] = [];
    for (const [i, from] of ['127.0.0.5', '127.0.0.6', '127.0.0.7'].entries()) {
      statuses.push((await login(t, i === 1 ? agent.email.toUpperCase() : agent.email, 'wrong-password', { from })).status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    const locked = await login(t, agent.email, agent.password, { from: '127.0.0.8' });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/Too many failed logins for this account; retry in \d+ s/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(120);
    // Another account from the same addresses is not locked.
    expect((await login(t, other.email, other.password, { from: '127.0.0.5' })).status).toBe(200);

    // The lockout ends (as time would end it).
    await t.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE account = $1`, [agent.email]);
    const open = await login(t, agent.email, agent.password, { from: '127.0.0.5' });
    expect(open.status).toBe(200);
    expect((await t.db.query('SELECT count(*)::int AS n FROM login_throttle WHERE account = $1', [agent.email]))[0].n).toBe(0);
  });

  it('an unknown email is locked exactly like a known one (a lockout says nothing about existence)', async () => {
    const known = await createStaff(t, Role.Agent);
    const unknown = `ghost-${randomUUID()}@test.local`;
    const run = async (email: string) => {
      const answers: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 5; i++) {
        const r = await login(t, email, 'wrong-password');
        answers.push([r.status, r.body.message?.replace(/\d+ s/, 'N s')]);
      }
      return answers;
    };
    const a = await run(known.email);
    const b = await run(unknown);
    expect(a).toEqual(b);
    expect(a.map(([s]) => s)).toEqual([401, 401, 401, 429, 429]);
  });

  it('a burst of parallel guesses checks no more passwords than the limit', async () => {
    const agent = await createStaff(t, Role.Agent);
    const answers = await Promise.all(Array.from({ length: 12 }, () => login(t, agent.email, 'wrong-password')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });
});

describe('admin API limit per staff member (issue 9, fault 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '600000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('one member past the limit is refused however the header is spelled or whichever token; another member on the same address is not', async () => {
    const a = await createStaff(t, Role.Agent);
    const b = await createStaff(t, Role.Agent);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(t, 'GET', '/api/v1/shops', { headers: bearer(a.token) })).status);
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expect(statuses[6]).toBe(429);
    expect((await send(t, 'GET', '/api/v1/shops', { headers: { authorization: `bearer   ${a.token}` } })).status).toBe(429);
    const second = await login(t, a.email, a.password);
    expect(second.status).toBe(200);
    expect((await send(t, 'GET', '/api/v1/shops', { headers: bearer(second.body.accessToken!) })).status).toBe(429);
    expect((await send(t, 'GET', '/api/v1/shops', { headers: bearer(b.token) })).status).toBe(200);
  });

  it('invalid tokens count against the client address, however many different ones', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(t, 'GET', '/api/v1/shops', { from: '127.0.0.9', headers: bearer(`junk-${randomUUID()}`) })).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});

describe('the same staff email in two merchants (issue 9, fault 11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const createIn = (token: string, email: string, password: string) =>
    send(t, 'POST', '/api/v1/staff', { headers: bearer(token), body: { email, name: 'Shared', role: 'agent', password } });

  it('both merchants create it (no oracle), a duplicate within one merchant is still 409, and each password logs into its own merchant', async () => {
    const other = await createOtherMerchant(t);
    const email = `shared-${randomUUID()}@test.local`;
    const mine = await createIn(t.adminToken, email, 'password-mine-1');
    const theirs = await createIn(other.adminToken, email.toUpperCase(), 'password-theirs-1');
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    const dup = await createIn(t.adminToken, email, 'password-again-1');
    expect(dup.status).toBe(409);

    const a = await login(t, email, 'password-mine-1');
    const b = await login(t, email, 'password-theirs-1');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.staff!.merchantId).toBe(t.merchantId);
    expect(b.body.staff!.merchantId).toBe(other.merchantId);
    expect((await login(t, email, 'password-wrong-1')).status).toBe(401);
  });

  it('when one password opens both, login asks for merchantId and then opens the chosen one', async () => {
    const other = await createOtherMerchant(t);
    const email = `same-${randomUUID()}@test.local`;
    expect((await createIn(t.adminToken, email, 'same-password-1')).status).toBe(201);
    expect((await createIn(other.adminToken, email, 'same-password-1')).status).toBe(201);
    const ambiguous = await login(t, email, 'same-password-1');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.details).toEqual({ merchants: expect.arrayContaining([expect.objectContaining({ id: t.merchantId }), expect.objectContaining({ id: other.merchantId })]) });
    const chosen = await login(t, email, 'same-password-1', { merchantId: other.merchantId });
    expect(chosen.status).toBe(200);
    expect(chosen.body.staff!.merchantId).toBe(other.merchantId);
    // merchantId limits the accounts tried: a password of another merchant's account does not open this one.
    const third = await createOtherMerchant(t);
    expect((await login(t, email, 'same-password-1', { merchantId: third.merchantId })).status).toBe(401);
  });
});
