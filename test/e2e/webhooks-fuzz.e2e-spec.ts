import { createHash, createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createShop } from '../support/factories.js';
import { postGeneric, postShopify, postWoo, processDelivery, rawNumber, toJson } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Inbound webhooks never answer 5xx: unsigned or mis-signed bodies of any shape get 401 and store
 * nothing; authentic deliveries of any shape are kept and their processing ends in a recorded
 * status (processed / ignored / unhandled / failed), never an unhandled error.
 */
describe('fuzz: inbound webhooks', () => {
  let t: TestApp;
  const shops: Record<string, { id: string; secret: string; salt: string }> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    for (const platform of ['shopify', 'woocommerce', 'generic'] as const) {
      const s = await createShop(t, { platform });
      shops[platform] = { id: s.id, secret: s.webhookSecret, salt: s.trackingSalt };
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const json = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), topic: fc.string(), data: fc.anything({ maxDepth: 2 }) }).map((v) => JSON.stringify(v)),
    fc.record({ id: fc.bigInt({ min: 0n, max: 2n ** 70n }), total_price: fc.string(), line_items: fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }), updated_at: fc.string() }).map((v) => toJson({ ...v, id: rawNumber(v.id.toString()) })),
    fc.string(),
  );

  it('answers unsigned and forged deliveries with 401 and stores nothing', async () => {
    const count = async () => (await t.db.query('SELECT (SELECT count(*) FROM webhook_deliveries) + (SELECT count(*) FROM carrier_pushes) + (SELECT count(*) FROM orders) AS n'))[0].n;
    const before = await count();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('shopify', 'woocommerce', 'generic', 'carriers/kuaidi100', 'carriers/generic'), json, fc.boolean(), async (platform, raw, withBadSig) => {
        const shopKey = platform.startsWith('carriers') ? 'generic' : platform;
        const req = t.http().post(`/webhooks/${platform}/${shops[shopKey].id}`).set('content-type', platform === 'carriers/kuaidi100' ? 'application/x-www-form-urlencoded' : 'application/json');
        if (withBadSig) {
          req.set('X-Shopify-Hmac-Sha256', createHmac('sha256', 'wrong').update(raw).digest('base64'));
          req.set('X-WC-Webhook-Signature', 'AAAA');
          req.set('X-Signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`);
        }
        const body = platform === 'carriers/kuaidi100' ? `param=${encodeURIComponent(raw)}&sign=${createHash('md5').update(raw + 'nope').digest('hex').toUpperCase()}` : raw;
        const res = await req.send(body);
        if (res.status >= 500) throw new Error(`${platform} → ${res.status}: ${JSON.stringify(res.body)}`);
        expect([400, 401, 413, 415]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    expect(await count()).toBe(before);
  });

  it('keeps authentic deliveries of any shape and processes them to a recorded status', async () => {
    const topics = {
      shopify: ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'refunds/create', 'products/update'],
      woocommerce: ['order.created', 'order.updated', 'order.deleted', 'coupon.created'],
      generic: ['order.created', 'order.updated', 'order.paid', 'order.cancelled', 'order.shipped', 'refund.created', 'review.created', 'nope'],
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('shopify', 'woocommerce', 'generic'), fc.nat(20), fc.anything({ maxDepth: 3 }), async (platform, ti, data) => {
        const s = shops[platform];
        const list = topics[platform as keyof typeof topics];
        const topic = list[ti % list.length];
        const body = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : { value: data };
        const res =
          platform === 'shopify'
            ? await postShopify(t, s.id, topic, body, { secret: s.secret })
            : platform === 'woocommerce'
              ? await postWoo(t, s.id, topic, body, { secret: s.secret })
              : await postGeneric(t, s.id, { id: randomUUID(), topic, data: body }, { secret: s.secret });
        if (res.status >= 500) throw new Error(`${platform} ${topic} → ${res.status}: ${JSON.stringify(res.body)}`);
        if (res.status !== 200) {
          expect([400, 401]).toContain(res.status);
          return;
        }
        if (!res.body.id) return;
        await processDelivery(t, res.body.id);
        const [row] = await t.db.query('SELECT status FROM webhook_deliveries WHERE id = $1', [res.body.id]);
        expect(['processed', 'ignored', 'unhandled', 'failed']).toContain(row.status);
      }),
      { numRuns: 120 },
    );
  });
});
