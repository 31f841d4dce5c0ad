import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createShop, createStaff } from '../support/factories.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

describe('auth, staff, shops and tenancy (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('login', () => {
    it('returns a bearer token for the bootstrap admin', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body.staff).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
      expect(res.body.staff.passwordHash).toBeUndefined();
      const me = await t.http().get('/api/v1/staff').set(bearer(res.body.accessToken));
      expect(me.status).toBe(200);
    });

    it('answers 401 to a wrong password and to an unknown email, with the same message', async () => {
      const bad = await t.http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: 'wrong-password' });
      const unknown = await t.http().post('/api/v1/auth/login').send({ email: 'nobody@test.local', password: 'whatever1' });
      expect(bad.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(bad.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
      expect(unknown.body.message).toBe(bad.body.message);
    });

    it('answers 401 without a token and with a forged one', async () => {
      const none = await t.http().get('/api/v1/shops');
      expect(none.status).toBe(401);
      expect(none.body.message).toMatch(/bearer token/i);
      const forged = await t.http().get('/api/v1/shops').set(bearer('not-a-real-token'));
      expect(forged.status).toBe(401);
    });

    it('rejects a deactivated member\'s existing token', async () => {
      const agent = await createStaff(t, Role.Agent);
      expect((await t.http().get('/api/v1/shops').set(bearer(agent.token))).status).toBe(200);
      const off = await t.http().patch(`/api/v1/staff/${agent.id}`).set(bearer(t.adminToken)).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await t.http().get('/api/v1/shops').set(bearer(agent.token))).status).toBe(401);
      const relogin = await t.http().post('/api/v1/auth/login').send({ email: agent.email, password: agent.password });
      expect(relogin.status).toBe(401);
    });
  });

  describe('roles', () => {
    it('lets only admins manage staff and shops (403 names the allowed roles)', async () => {
      const agent = await createStaff(t, Role.Agent);
      const res = await t.http().post('/api/v1/staff').set(bearer(agent.token)).send({ email: 'x@test.local', name: 'x', role: 'agent', password: 'password1' });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('admin');
      const count = await t.db.query(`SELECT count(*)::int AS n FROM staff WHERE email = 'x@test.local'`);
      expect(count[0].n).toBe(0);
      const shop = await t.http().post('/api/v1/shops').set(bearer(agent.token)).send({ name: 's', platform: 'generic', webhookSecret: 'secret-123' });
      expect(shop.status).toBe(403);
      expect((await t.http().get('/api/v1/shops').set(bearer(agent.token))).status).toBe(200);
    });

    it('refuses a duplicate email with 409', async () => {
      const a = await createStaff(t, Role.Finance);
      const dup = await t.http().post('/api/v1/staff').set(bearer(t.adminToken)).send({ email: a.email.toUpperCase(), name: 'dup', role: 'agent', password: 'password1' });
      expect(dup.status).toBe(409);
    });
  });

  describe('shops', () => {
    it('stores the webhook secret and never returns it', async () => {
      const shop = await createShop(t, { platform: 'shopify', timezone: 'Europe/Berlin' });
      expect(shop).toMatchObject({ platform: 'shopify', timezone: 'Europe/Berlin', webhookPath: `/webhooks/shopify/${shop.id}`, hasTrackingSalt: true });
      const got = await t.http().get(`/api/v1/shops/${shop.id}`).set(bearer(t.adminToken));
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body)).not.toContain(shop.webhookSecret);
      expect(got.body.webhookSecret).toBeUndefined();
      expect(got.body.businessHours).toEqual({ start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5, 6, 7] });
      expect(got.body.quietHours).toEqual({ start: '21:00', end: '09:00' });
      const [row] = await t.db.query('SELECT webhook_secret FROM shops WHERE id = $1', [shop.id]);
      expect(row.webhook_secret).toBe(shop.webhookSecret);
    });

    it('defaults the timezone to Asia/Shanghai', async () => {
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send({ name: 'Default tz', platform: 'generic', webhookSecret: 'secret-123' });
      expect(res.status).toBe(201);
      expect(res.body.timezone).toBe('Asia/Shanghai');
    });

    it('answers 404 for another merchant\'s shop, exactly like a missing one', async () => {
      const other = await createOtherMerchant(t);
      const theirs = await createShop(t, {}, other.adminToken);
      const mine = await t.http().get(`/api/v1/shops/${theirs.id}`).set(bearer(t.adminToken));
      const missing = await t.http().get('/api/v1/shops/00000000-0000-4000-8000-000000000000').set(bearer(t.adminToken));
      expect(mine.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(mine.body.message.replace(theirs.id, 'X')).toBe(missing.body.message.replace('00000000-0000-4000-8000-000000000000', 'X'));
      const patch = await t.http().patch(`/api/v1/shops/${theirs.id}`).set(bearer(t.adminToken)).send({ name: 'hijack' });
      expect(patch.status).toBe(404);
      const [row] = await t.db.query('SELECT name FROM shops WHERE id = $1', [theirs.id]);
      expect(row.name).not.toBe('hijack');
      const list = await t.http().get('/api/v1/shops?limit=100').set(bearer(t.adminToken));
      expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(theirs.id);
      expect((await t.http().get('/api/v1/shops/not-a-uuid').set(bearer(t.adminToken))).status).toBe(404);
    });

    it('rejects unknown fields and bad values with 400, field by field, and stores nothing', async () => {
      const before = await t.db.query('SELECT count(*)::int AS n FROM shops');
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send({ name: 'x', platform: 'generic', webhookSecret: 'secret-123', isAdmin: true });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin' })]));
      const bad = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send({ name: '', platform: 'ebay', webhookSecret: 'short', timezone: 'Mars/Olympus', quietHours: { start: '25:00', end: '09:00' } });
      expect(bad.status).toBe(400);
      const fields = bad.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'platform', 'webhookSecret', 'timezone', 'quietHours.start']));
      const hours = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send({ name: 'x', platform: 'generic', webhookSecret: 'secret-123', businessHours: { start: '18:00', end: '09:00', days: [1] } });
      expect(hours.status).toBe(400);
      const after = await t.db.query('SELECT count(*)::int AS n FROM shops');
      expect(after[0].n).toBe(before[0].n);
    });

    it('answers 400 to malformed JSON and to a non-object body', async () => {
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('content-type', 'application/json').send('{"name": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const arr = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send([1, 2]);
      expect(arr.status).toBe(400);
    });

    it('answers 413 to a body over 1 MB and stores nothing', async () => {
      const before = await t.db.query('SELECT count(*)::int AS n FROM shops');
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).send({ name: 'x'.repeat(1024 * 1024 + 10), platform: 'generic', webhookSecret: 'secret-123' });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      const after = await t.db.query('SELECT count(*)::int AS n FROM shops');
      expect(after[0].n).toBe(before[0].n);
    });
  });

  describe('pagination', () => {
    it('pages with an opaque cursor, max 100', async () => {
      const other = await createOtherMerchant(t); // a clean merchant: exactly the shops made here
      for (let i = 0; i < 5; i++) await createShop(t, { name: `P${i}` }, other.adminToken);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: { items: Array<{ name: string }>; nextCursor: string | null } } = await t
          .http()
          .get(`/api/v1/shops?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(bearer(other.adminToken));
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((s) => s.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['P4', 'P3', 'P2', 'P1', 'P0']);
      expect((await t.http().get('/api/v1/shops?limit=101').set(bearer(other.adminToken))).status).toBe(400);
      expect((await t.http().get('/api/v1/shops?limit=0').set(bearer(other.adminToken))).status).toBe(400);
      expect((await t.http().get('/api/v1/shops?cursor=garbage').set(bearer(other.adminToken))).status).toBe(400);
      expect((await t.http().get('/api/v1/shops?color=red').set(bearer(other.adminToken))).status).toBe(400);
    });
  });

  describe('idempotency', () => {
    it('replays the first response for the same key and body, and does the work once', async () => {
      const body = { name: 'Idem shop', platform: 'generic', webhookSecret: 'secret-idem-1' };
      const first = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-1').send(body);
      const second = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-1').send({ webhookSecret: 'secret-idem-1', platform: 'generic', name: 'Idem shop' });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Idem shop'`);
      expect(rows[0].n).toBe(1);
    });

    it('answers 422 to the same key with another body', async () => {
      await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-2').send({ name: 'A', platform: 'generic', webhookSecret: 'secret-idem-2' });
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-2').send({ name: 'B', platform: 'generic', webhookSecret: 'secret-idem-2' });
      expect(res.status).toBe(422);
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'B'`);
      expect(rows[0].n).toBe(0);
    });

    it('does the work once when the same key arrives many times at once', async () => {
      const body = { name: 'Concurrent idem', platform: 'generic', webhookSecret: 'secret-idem-c' };
      const results = await Promise.all(Array.from({ length: 8 }, () => t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-c').send(body)));
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM shops WHERE name = 'Concurrent idem'`);
      expect(rows[0].n).toBe(1);
    });

    it('does not keep the key of a request that failed, and keys are per merchant', async () => {
      const bad = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-3').send({ name: 'C', platform: 'nope', webhookSecret: 'secret-idem-3' });
      expect(bad.status).toBe(400);
      const good = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('Idempotency-Key', 'key-3').send({ name: 'C', platform: 'generic', webhookSecret: 'secret-idem-3' });
      expect(good.status).toBe(201);
      const other = await createOtherMerchant(t);
      const theirs = await t.http().post('/api/v1/shops').set(bearer(other.adminToken)).set('Idempotency-Key', 'key-3').send({ name: 'C2', platform: 'generic', webhookSecret: 'secret-idem-3' });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(good.body.id);
    });
  });

  describe('operations', () => {
    it('serves /health with the database state', async () => {
      const res = await t.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      const echoed = await t.http().get('/health').set('x-request-id', 'req-abc-123');
      expect(echoed.headers['x-request-id']).toBe('req-abc-123');
    });

    it('serves OpenAPI with the DTOs described', async () => {
      const res = await t.http().get('/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/staff', '/api/v1/shops', '/api/v1/shops/{id}', '/api/v1/meta/state-machines', '/health']));
      const schemas = res.body.components.schemas;
      expect(schemas.CreateShopDto.properties).toHaveProperty('webhookSecret');
      expect(schemas.ShopResponseDto.properties).not.toHaveProperty('webhookSecret');
      expect(schemas.LoginDto.required).toEqual(expect.arrayContaining(['email', 'password']));
      const html = await t.http().get('/docs');
      expect([200, 301, 302]).toContain(html.status);
    });

    it('answers unknown routes with the JSON error shape', async () => {
      const res = await t.http().get('/api/v1/nope').set(bearer(t.adminToken));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });
});

describe('rate limiting (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 past the limit, in the JSON error shape', async () => {
    const statuses: number[] = [];
    let last: { status: number; body: unknown } | undefined;
    for (let i = 0; i < 8; i++) {
      last = await t.http().get('/api/v1/shops').set(bearer(t.adminToken));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 4).every((s) => s === 200)).toBe(true);
    expect(statuses[statuses.length - 1]).toBe(429);
    expect(last!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await t.http().get('/health')).status).toBe(200);
  });
});
