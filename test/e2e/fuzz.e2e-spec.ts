import fc from 'fast-check';
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createShop, createStaff } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad input never gets a 500: every write endpoint in the OpenAPI document is sent random and
 * malformed bodies, as an admin and as an agent, with real and random ids in the path.
 */
describe('fuzz: every endpoint answers malformed input with 4xx', () => {
  let t: TestApp;
  let agentToken: string;
  let shopId: string;
  let routes: Array<{ method: 'post' | 'put' | 'patch' | 'get'; path: string }>;

  beforeAll(async () => {
    t = await startTestApp();
    agentToken = (await createStaff(t, Role.Agent)).token;
    shopId = (await createShop(t)).id;
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    routes = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (method === 'post' || method === 'put' || method === 'patch' || method === 'get') routes.push({ method, path });
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const fill = (path: string, id: string) => path.replace(/\{[^}]+\}/g, (m) => (m === '{shopId}' ? shopId : id));

  const bodyArb = fc.oneof(
    fc.object({ maxDepth: 2, maxKeys: 6 }),
    fc.dictionary(fc.constantFrom('name', 'email', 'password', 'platform', 'status', 'amount', 'expectedVersion', 'limit', 'shopId', 'orderIds', 'reason', 'lines'), fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
    fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
    fc.constant(null),
  );

  it('has routes to fuzz', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('never answers 5xx to random JSON bodies and ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(10_000),
        bodyArb,
        fc.constantFrom('00000000-0000-4000-8000-000000000000', 'not-an-id', '1', shopId, "'; DROP TABLE shops; --"),
        fc.boolean(),
        async (routeIndex, body, id, asAgent) => {
          const route = routes[routeIndex % routes.length];
          const url = fill(route.path, encodeURIComponent(id));
          const token = asAgent ? agentToken : t.adminToken;
          const req = t.http()[route.method](url).set(bearer(token));
          const res = route.method === 'get' ? await req.query({ limit: 'x', cursor: (JSON.stringify(body) ?? '').slice(0, 20), status: 'nope', from: 'yesterday' }) : await req.send(body === null ? 'null' : (body as object)).set('content-type', 'application/json');
          if (res.status >= 500) throw new Error(`${route.method.toUpperCase()} ${url} → ${res.status} for ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
          if (res.status >= 400) expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String), message: expect.any(String) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to bodies that are not JSON at all', async () => {
    for (const route of routes.filter((r) => r.method !== 'get')) {
      for (const [type, raw] of [
        ['application/json', '{"a":'],
        ['application/json', '\u0000\u0001'],
        ['text/plain', 'hello'],
        ['application/x-www-form-urlencoded', 'a=1&b=2'],
        ['application/xml', '<a/>'],
      ]) {
        const res = await t.http()[route.method](fill(route.path, '00000000-0000-4000-8000-000000000000')).set(bearer(t.adminToken)).set('content-type', type).send(raw);
        if (res.status >= 500) throw new Error(`${route.method} ${route.path} with ${type} → ${res.status}: ${JSON.stringify(res.body)}`);
      }
    }
  });
});
