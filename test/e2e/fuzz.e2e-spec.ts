import fc from 'fast-check';
import { Role } from '../../src/kernel/auth/roles.js';
import { createOtherMerchant, createShop, createStaff } from '../support/factories.js';
import { changedTables, fingerprinter, type IdPools, type Operation, operationsOf, requestArb } from '../support/openapi-fuzz.js';
import { postShopify, processDelivery, shopifyOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 9's property: every operation of the OpenAPI document, sent random and broken input —
 * schema-shaped bodies with one field broken (null, wrong type, NUL, unpaired surrogates, huge
 * strings), deep nesting, malformed JSON, wrong or missing content types, real ids of this merchant
 * and of another one, hostile path segments and query strings, every role and none — never answers
 * 5xx, answers every 4xx in the error shape of SPEC §4, and a 4xx changes no row of any table.
 *
 * FUZZ_SEED and FUZZ_RUNS (runs per operation, default 12: ~900 requests, well under a minute)
 * make a longer or different exploration: `FUZZ_RUNS=200 npm test -- test/e2e/fuzz`.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20251125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

describe('fuzz: every operation in /docs-json', () => {
  let t: TestApp;
  let ops: Operation[];
  let pools: IdPools;
  const tokens: Record<string, string | null> = {};
  /** Real ids per collection path (`/api/v1/orders` → order ids), this merchant's and the other's. */
  const idsByCollection = new Map<string, string[]>();
  const shopIds: string[] = [];
  const actions = new Set<string>(['nope', 'Hold', 'hold%2F..']);

  const paidOrder = async (shop: { id: string; webhookSecret: string }) => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid', province: '广东省' });
    const res = await postShopify(t, shop.id, 'orders/create', body, { secret: shop.webhookSecret });
    await processDelivery(t, res.body.id);
    return (await t.db.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shop.id, id]))[0].id as string;
  };

  beforeAll(async () => {
    // No background jobs: nothing but the request under test may change the database.
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    const doc = (await t.http().get('/docs-json')).body;
    ops = operationsOf(doc);

    const [agent, supervisor, warehouse, finance, other] = await Promise.all([
      createStaff(t, Role.Agent),
      createStaff(t, Role.Supervisor),
      createStaff(t, Role.Warehouse),
      createStaff(t, Role.Finance),
      createOtherMerchant(t),
    ]);
    Object.assign(tokens, { admin: t.adminToken, agent: agent.token, supervisor: supervisor.token, warehouse: warehouse.token, finance: finance.token, other: other.adminToken, none: null, junk: 'junk' });

    // Fixtures, so that ids in paths and bodies reach real rows (best effort: the fuzz runs regardless).
    const shop = await createShop(t, { platform: 'shopify' });
    const otherShop = await createShop(t, { platform: 'shopify' }, other.adminToken);
    const orders = await Promise.all([paidOrder(shop), paidOrder(shop), paidOrder(shop), paidOrder(otherShop)]);
    const as = (token: string, method: 'post' | 'put', url: string, body: object) => t.http()[method](url).set('authorization', `Bearer ${token}`).send(body);
    const ship = await as(t.adminToken, 'post', '/api/v1/shipments', { shopId: shop.id, orderId: orders[0], carrier: 'shunfeng', trackingNo: 'SF1000000001', originProvince: '浙江', destProvince: '广东' });
    await as(other.adminToken, 'post', '/api/v1/shipments', { shopId: otherShop.id, carrier: 'shunfeng', trackingNo: 'SF2000000002', originProvince: '浙江', destProvince: '广东' });
    await Promise.all([
      as(t.adminToken, 'post', '/api/v1/logistics-exceptions', { shipmentId: ship.body.id, kind: 'stale' }),
      as(t.adminToken, 'post', '/api/v1/returns', { orderId: orders[1], type: 'refund_only', reason: 'damaged', requestedAmount: 100 }),
      as(supervisor.token, 'post', '/api/v1/refunds', { orderId: orders[2], amount: 100, reason: 'fuzz', manual: true }),
      as(t.adminToken, 'post', '/api/v1/webhook-endpoints', { url: 'https://example.com/hooks' }),
      as(t.adminToken, 'put', '/api/v1/settings/carrier-coverage', { carriers: [{ carrier: 'shunfeng', provinces: ['广东'] }] }),
      as(other.adminToken, 'post', '/api/v1/returns', { orderId: orders[3], type: 'refund_only', reason: 'damaged', requestedAmount: 100 }),
      as(t.adminToken, 'post', '/api/v1/reviews', { shopId: shop.id, orderId: orders[0], rating: 2, content: '差', reviewedAt: new Date().toISOString() }),
      as(other.adminToken, 'post', '/api/v1/reviews', { shopId: otherShop.id, rating: 1, content: 'bad', reviewedAt: new Date().toISOString() }),
    ]);

    // Harvest every id the list endpoints show to either merchant.
    for (const op of ops.filter((o) => o.method === 'get' && o.path.startsWith('/api/v1/') && !o.path.includes('{'))) {
      for (const token of [t.adminToken, other.adminToken]) {
        const res = await t.http().get(op.path).set('authorization', `Bearer ${token}`);
        const items: unknown[] = Array.isArray(res.body) ? res.body : Array.isArray(res.body?.items) ? res.body.items : [];
        const ids = items.map((i) => (i as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string');
        idsByCollection.set(op.path, [...(idsByCollection.get(op.path) ?? []), ...ids]);
      }
    }
    shopIds.push(...(idsByCollection.get('/api/v1/shops') ?? []));
    const machines = (await t.http().get('/api/v1/meta/state-machines').set('authorization', `Bearer ${t.adminToken}`)).body;
    for (const m of Array.isArray(machines) ? machines : (machines?.machines ?? [])) for (const a of m.actions ?? []) actions.add(typeof a === 'string' ? a : a.name);
    pools = {
      ids: [...new Set([...idsByCollection.values()].flat())],
      // orderId, orderIds → /api/v1/orders; assigneeId → /api/v1/staff
      idsFor: (name) => idsByCollection.get(`/api/v1/${name === 'assigneeId' ? 'staff' : `${name.replace(/Ids?$/, '')}s`}`),
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('covers the document', () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((o) => o.body).length).toBeGreaterThan(30);
    expect(pools.ids.length).toBeGreaterThan(10);
  });

  it(`never answers 5xx, and a 4xx changes nothing (seed ${SEED}, ${RUNS} runs per operation)`, async () => {
    // A session records its last use on any authenticated request, refused or not.
    const fingerprint = await fingerprinter(t.db, { sessions: ['last_seen_at', 'expires_at'] }, ['login_throttle']);
    let baseline = await fingerprint();
    const failures: string[] = [];
    const callers = { trusted: ['admin', 'admin', 'admin', 'admin', 'agent', 'supervisor', 'warehouse', 'finance', 'other'], untrusted: ['none', 'junk', 'other', 'warehouse'] };

    for (const [i, op] of ops.entries()) {
      const poolFor = (param: string): string[] => {
        if (param === 'action') return [...actions];
        if (param === 'shopId') return shopIds;
        const collection = op.path.slice(0, op.path.indexOf(`/{${param}}`));
        const own = idsByCollection.get(collection) ?? [];
        return own.length ? own : pools.ids;
      };
      const result = await fc.check(
        fc.asyncProperty(requestArb(op, pools, poolFor, callers), async ({ focus, path, query, body, who, idempotencyKey }) => {
          const req = t.http()[op.method](path + query);
          const token = tokens[who];
          if (token) req.set('authorization', `Bearer ${token}`);
          // a header carries bytes: non-Latin-1 text goes as its UTF-8 bytes, as a client would send it
          if (idempotencyKey !== null) req.set('idempotency-key', Buffer.from(idempotencyKey).toString('latin1'));
          if (body.type) req.set('content-type', body.type);
          // superagent sends a string without a type as a form; a Buffer goes as it is, untyped
          const res = body.text === null ? await req : await req.send(body.type ? body.text : Buffer.from(body.text));
          const what = `[${focus}] ${op.method.toUpperCase()} ${path}${query.slice(0, 200)} as ${who}, ${body.type}: ${body.text?.slice(0, 200)}`;
          if (res.status >= 500) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status < 400) {
            baseline = await fingerprint();
            return;
          }
          if (!(res.body?.statusCode === res.status && typeof res.body.error === 'string' && typeof res.body.message === 'string')) {
            throw new Error(`${what} → ${res.status} not in the error shape: ${res.text.slice(0, 300)}`);
          }
          const after = await fingerprint();
          const changed = changedTables(baseline, after);
          baseline = after;
          if (changed.length) throw new Error(`${what} → ${res.status} ${res.body.message} but changed ${changed.join(', ')}`);
        }),
        { seed: SEED + i, numRuns: RUNS },
      );
      if (result.failed) failures.push(`${op.method.toUpperCase()} ${op.path}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)} (seed ${SEED + i}, path ${result.counterexamplePath})`);
    }
    expect(failures).toEqual([]);
  }, 60_000 + RUNS * 4_000);
});
