import { createHash, createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { genericSignature, kuaidi100Param, kuaidi100Sign } from '../support/carriers.js';
import { createShop } from '../support/factories.js';
import { deepJson, malformedJson } from '../support/openapi-fuzz.js';
import { postGeneric, postShopify, postWoo, processDelivery, rawNumber, toJson } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Inbound webhooks never answer 5xx, whatever Content-Type the sender set (SPEC §4): unsigned or
 * mis-signed bodies of any shape get 401 and store nothing; authentic deliveries of any shape —
 * deeply nested, with NUL or unpaired surrogates, not JSON at all — are answered 2xx or 400 and
 * their processing ends in a recorded status (processed / ignored / unhandled / failed).
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

  /** What senders put in Content-Type: the right type, a wrong one, one that is not a type, none. */
  const anyType = fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'json', '', null);
  /** Strings a platform should not send but might: NUL, unpaired surrogates (as JSON escapes). */
  const oddString = fc.oneof(fc.string(), fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '😀', '\u202e'));

  const json = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.record({ id: fc.oneof(fc.integer(), oddString, fc.constant(null)), topic: oddString, data: fc.anything({ maxDepth: 2 }) }).map((v) => JSON.stringify(v)),
    fc.record({ id: fc.bigInt({ min: 0n, max: 2n ** 70n }), total_price: fc.string(), line_items: fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }), updated_at: fc.string() }).map((v) => toJson({ ...v, id: rawNumber(v.id.toString()) })),
    fc.string(),
    deepJson,
    malformedJson,
  );

  /** superagent serialises a Buffer under a JSON type and gives an untyped string a form type: text when typed, bytes when not. */
  const bytes = (text: string, type: string | null) => (type === null ? Buffer.from(text) : text);
  /** Sets the Content-Type after the helpers set theirs (superagent sends only when awaited). */
  const typed = <T extends { set(k: string, v: string): T; unset(k: string): T }>(req: T, type: string | null): T => (type === null ? req.unset('Content-Type') : req.set('Content-Type', type));

  it('answers unsigned and forged deliveries with 401 and stores nothing, whatever their type', async () => {
    const count = async () => (await t.db.query('SELECT (SELECT count(*) FROM webhook_deliveries) + (SELECT count(*) FROM carrier_pushes) + (SELECT count(*) FROM orders) AS n'))[0].n;
    const before = await count();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('shopify', 'woocommerce', 'generic', 'carriers/kuaidi100', 'carriers/generic'), json, fc.boolean(), anyType, async (platform, raw, withBadSig, type) => {
        const shopKey = platform.startsWith('carriers') ? 'generic' : platform;
        const req = typed(t.http().post(`/webhooks/${platform}/${shops[shopKey].id}`), type);
        if (withBadSig) {
          req.set('X-Shopify-Hmac-Sha256', createHmac('sha256', 'wrong').update(raw).digest('base64'));
          req.set('X-WC-Webhook-Signature', 'AAAA');
          req.set('X-Signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`);
        }
        const body = platform === 'carriers/kuaidi100' ? `param=${encodeURIComponent(raw)}&sign=${createHash('md5').update(raw + 'nope').digest('hex').toUpperCase()}` : raw;
        const res = await req.send(bytes(body, type));
        if (res.status >= 500) throw new Error(`${platform} [${type}] → ${res.status}: ${JSON.stringify(res.body)}`);
        // 200: WooCommerce's unsigned creation ping (webhook_id=…), answered without storing anything
        expect([200, 400, 401, 413]).toContain(res.status);
      }),
      { numRuns: 150, seed: 9 },
    );
    expect(await count()).toBe(before);
  });

  it('keeps authentic deliveries of any shape and type and processes them to a recorded status', async () => {
    const topics = {
      shopify: ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'refunds/create', 'products/update'],
      woocommerce: ['order.created', 'order.updated', 'order.deleted', 'coupon.created'],
      generic: ['order.created', 'order.updated', 'order.paid', 'order.cancelled', 'order.shipped', 'refund.created', 'review.created', 'nope'],
    };
    const payload = fc.oneof(
      { weight: 4, arbitrary: fc.anything({ maxDepth: 3, stringUnit: 'binary' }) },
      { weight: 1, arbitrary: fc.record({ id: fc.integer(), line_items: fc.array(fc.record({ title: oddString, quantity: fc.integer(), price: oddString })), customer: fc.record({ first_name: oddString }) }) },
      { weight: 1, arbitrary: deepJson.map((text) => JSON.parse(text) as unknown) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('shopify', 'woocommerce', 'generic'), fc.nat(20), payload, anyType, async (platform, ti, data, type) => {
        const s = shops[platform];
        const list = topics[platform as keyof typeof topics];
        const topic = list[ti % list.length];
        const body = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : { value: data };
        const sent =
          platform === 'shopify'
            ? postShopify(t, s.id, topic, body, { secret: s.secret })
            : platform === 'woocommerce'
              ? postWoo(t, s.id, topic, body, { secret: s.secret })
              : postGeneric(t, s.id, { id: randomUUID(), topic, data: body }, { secret: s.secret });
        const res = await typed(sent, type);
        if (res.status >= 500) throw new Error(`${platform} ${topic} [${type}] → ${res.status}: ${JSON.stringify(res.body)}`);
        if (res.status !== 200) {
          // the generic envelope is checked at once (400); a signature never fails for the type
          expect([platform, res.status]).toEqual(['generic', 400]);
          return;
        }
        if (!res.body.id) return;
        await processDelivery(t, res.body.id);
        const [row] = await t.db.query('SELECT status, last_error FROM webhook_deliveries WHERE id = $1', [res.body.id]);
        if (!['processed', 'ignored', 'unhandled', 'failed'].includes(row.status)) throw new Error(`${platform} ${topic}: left ${row.status} (${row.last_error}) for ${JSON.stringify(body).slice(0, 300)}`);
      }),
      { numRuns: 150, seed: 9 },
    );
  });

  it('authentic carrier pushes of any type are applied or refused with 400, never 5xx', async () => {
    const s = shops.generic;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), oddString, fc.oneof(oddString, fc.constant('SF1234567')), anyType, async (kuaidi100, carrier, trackingNo, type) => {
        let res;
        if (kuaidi100) {
          const param = kuaidi100Param({ carrier, trackingNo, state: '0', events: [{ context: carrier, time: '2025-03-01 10:00:00' }] });
          res = await typed(t.http().post(`/webhooks/carriers/kuaidi100/${s.id}`), type).send(bytes(`param=${encodeURIComponent(param)}&sign=${kuaidi100Sign(param, s.salt)}`, type));
        } else {
          const raw = JSON.stringify({ id: randomUUID(), topic: 'tracking.updated', occurredAt: new Date().toISOString(), data: { carrier, trackingNo, events: [{ time: new Date().toISOString(), description: carrier }] } });
          res = await typed(t.http().post(`/webhooks/carriers/generic/${s.id}`).set('X-Signature', genericSignature(raw, s.salt)), type).send(bytes(raw, type));
        }
        if (res.status >= 500) throw new Error(`${kuaidi100 ? 'kuaidi100' : 'generic'} [${type}] ${JSON.stringify([carrier, trackingNo])} → ${res.status}: ${res.text}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});
