import { createHmac, randomUUID } from 'node:crypto';
import { Role } from '../../src/kernel/auth/roles.js';
import { MAX_JSON_DEPTH } from '../../src/kernel/http/json-depth.js';
import { genericSignature, kuaidi100Param, kuaidi100Sign } from '../support/carriers.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { postShopify, processDelivery, shopifyOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 9, faults 5 and 10, each with its smallest input: hostile bodies, text PostgreSQL cannot
 * store, settings bodies, content types. Every refusal is a 4xx naming the field and changes nothing.
 */
describe('hostile input and content types (SPEC §4)', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let shopify: { id: string; webhookSecret: string; trackingSalt: string };
  let generic: { id: string; webhookSecret: string; trackingSalt: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    [agent, shopify, generic] = await Promise.all([
      createStaff(t, Role.Agent),
      createShop(t, { platform: 'shopify' }),
      createShop(t, { platform: 'generic' }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const json = (method: 'post' | 'patch' | 'put', url: string, raw: string, token?: string) => {
    const req = t.http()[method](url).set('content-type', 'application/json');
    if (token) req.set(bearer(token));
    return req.send(raw);
  };
  /** `{"a":{"a":…1…}}`, `levels` deep: ~2,500 levels are 15 KB, far below the body limit. */
  const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  const rowOf = async (table: string, id: string) => (await t.db.query(`SELECT * FROM ${table} WHERE id = $1`, [id]))[0];
  const paidOrder = async () => {
    const { id, body } = shopifyOrder({ financialStatus: 'paid' });
    const res = await postShopify(t, shopify.id, 'orders/create', body, { secret: shopify.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    return (await t.db.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopify.id, id]))[0].id as string;
  };

  describe('5a: deeply nested JSON is refused at the parser', () => {
    it('answers 400 "JSON nested too deeply" on the unauthenticated login, and the service keeps serving', async () => {
      const res = await json('post', '/api/v1/auth/login', `{"email":"a@x.com","password":"p","x":${nested(2500)}}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: `JSON nested too deeply: at most ${MAX_JSON_DEPTH} levels of objects and arrays` });
      expect((await t.http().get('/health')).status).toBe(200);
    });

    it('refuses it on an authenticated body too, and takes the deepest allowed body to validation', async () => {
      expect((await json('post', '/api/v1/shops', nested(2500), t.adminToken)).status).toBe(400);
      expect((await json('post', '/api/v1/shops', `[${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}]`, t.adminToken)).body.message).toMatch(/nested too deeply/);
      // exactly at the limit: parsed, then refused by the DTO as an unknown field, not by depth
      const atLimit = await json('post', '/api/v1/shops', nested(MAX_JSON_DEPTH), t.adminToken);
      expect(atLimit.status).toBe(400);
      expect(atLimit.body.message).toBe('Validation failed');
    });

    it('brackets inside strings do not count', async () => {
      const res = await json('post', '/api/v1/auth/login', JSON.stringify({ email: 'a@x.com', password: '{['.repeat(MAX_JSON_DEPTH) }));
      expect(res.status).toBe(401);
    });

    it('5e: a deep body with an Idempotency-Key answers 400 and keeps no key', async () => {
      const key = `deep-${randomUUID()}`;
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('idempotency-key', key).set('content-type', 'application/json').send(nested(2500));
      expect(res.status).toBe(400);
      expect(await t.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toHaveLength(0);
    });

    it('a signed webhook nested too deeply is refused (generic, carrier push) or kept as failed (Shopify), never a 500', async () => {
      const deepGeneric = `{"id":"evt-deep","topic":"order.created","occurredAt":"${new Date().toISOString()}","data":${nested(2500)}}`;
      const ts = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', generic.webhookSecret).update(`${ts}.${deepGeneric}`).digest('hex');
      const g = await t.http().post(`/webhooks/generic/${generic.id}`).set('content-type', 'application/json').set('x-signature', `t=${ts},v1=${v1}`).send(deepGeneric);
      expect(g.status).toBe(400);

      const push = await t.http().post(`/webhooks/carriers/generic/${generic.id}`).set('x-signature', genericSignature(deepGeneric, generic.trackingSalt)).set('content-type', 'application/json').send(deepGeneric);
      expect(push.status).toBe(400);
      const param = `{"lastResult":${nested(2500)}}`;
      const k = await t.http().post(`/webhooks/carriers/kuaidi100/${generic.id}`).type('form').send({ param, sign: kuaidi100Sign(param, generic.trackingSalt) });
      expect(k.status).toBe(400);

      const deepShopify = `{"id":1,"line_items":${nested(2500)}}`;
      const s = await postShopify(t, shopify.id, 'orders/create', deepShopify, { secret: shopify.webhookSecret });
      expect(s.status).toBe(200);
      await processDelivery(t, s.body.id);
      expect(await rowOf('webhook_deliveries', s.body.id)).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/nested too deeply/) });
    });
  });

  describe('5b, 5c: NUL and unpaired surrogates are refused in every string, with the field', () => {
    it('5b: a lone surrogate in the login email answers 400 naming email', async () => {
      const res = await json('post', '/api/v1/auth/login', '{"email":"a\\ud800@x.com","password":"p"}');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: 'Validation failed', details: [{ field: 'email', errors: ['email (body) must not contain an unpaired surrogate'] }] });
    });

    it('5c: a NUL in a hold note answers 400 naming note; the order is unchanged', async () => {
      const orderId = await paidOrder();
      const before = await rowOf('orders', orderId);
      const res = await json('post', `/api/v1/orders/${orderId}/hold`, '{"reason":"other","note":"a\\u0000b"}', agent.token);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'note', errors: ['note (body) must not contain a NUL character'] }]);
      expect(await rowOf('orders', orderId)).toEqual(before);
    });

    it.each([
      ['a cancel reason', 'post', (o: string) => `/api/v1/orders/${o}/cancel`, '{"reason":"x\\u0000"}', 'reason'],
      ['a staff name', 'post', () => '/api/v1/staff', '{"email":"n@x.com","name":"\\u0000","role":"agent","password":"password-1"}', 'name'],
      ['a shop name (beside a secret)', 'post', () => '/api/v1/shops', '{"name":"x\\u0000","platform":"generic","webhookSecret":"whsec_12345678"}', 'name'],
      ['an endpoint description', 'post', () => '/api/v1/webhook-endpoints', '{"url":"https://example.com/h","description":"\\udc00"}', 'description'],
      ['a nested line note', 'post', () => '/api/v1/returns', '{"orderId":"00000000-0000-4000-8000-000000000000","type":"exchange","reason":"other","lines":[{"note":"\\u0000"}]}', 'lines.0.note'],
      ['an object key', 'post', () => '/api/v1/shops', '{"na\\u0000me":"x"}', 'na\\u0000me'],
    ] as const)('5c: %s', async (_what, method, url, raw, field) => {
      const orderId = await paidOrder();
      const counts = await t.db.query('SELECT (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM shops) AS shops, (SELECT count(*) FROM webhook_endpoints) AS endpoints, (SELECT count(*) FROM timeline_events) AS events');
      const res = await json(method, url(orderId), raw, t.adminToken);
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe(field);
      expect(await t.db.query('SELECT (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM shops) AS shops, (SELECT count(*) FROM webhook_endpoints) AS endpoints, (SELECT count(*) FROM timeline_events) AS events')).toEqual(counts);
    });

    it('query strings and path params: a NUL or a lone surrogate in ?q= or an id answers 400, never 500', async () => {
      const q = await t.http().get('/api/v1/orders?q=a%00b').set(bearer(agent.token));
      expect(q.status).toBe(400);
      expect(q.body.details).toEqual([{ field: 'q', errors: ['q (query) must not contain a NUL character'] }]);
      const byId = await t.http().get('/api/v1/orders/%00').set(bearer(agent.token));
      expect(byId.status).toBe(400);
      expect(byId.body.details[0]).toMatchObject({ field: 'id' });
      // %ED%A0%80 is the (invalid) UTF-8 of U+D800: whatever the decoder makes of it, never a 500
      for (const url of ['/api/v1/orders?q=%ED%A0%80', '/api/v1/orders/%ED%A0%80', '/api/v1/shipments?trackingNo=%00']) {
        const res = await t.http().get(url).set(bearer(agent.token));
        expect(res.status).toBeLessThan(500);
      }
    });
  });

  it('an authentic platform order carrying NUL and unpaired surrogates is stored (the text made storable), not refused', async () => {
    const { body } = shopifyOrder({ financialStatus: 'paid', lines: [{ sku: 'S\u0000KU', title: 'Mug \ud800', quantity: 1, price: '9.90' }] });
    const res = await postShopify(t, shopify.id, 'orders/create', { ...body, note: 'gift\u0000wrap \udfff' }, { secret: shopify.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    const delivery = await rowOf('webhook_deliveries', res.body.id);
    expect(delivery).toMatchObject({ status: 'processed' });
    const [line] = await t.db.query('SELECT sku, title FROM order_lines WHERE order_id = $1', [delivery.order_id]);
    // NUL dropped by the adapter; an unpaired surrogate becomes U+FFFD on its way to UTF-8
    expect(line).toEqual({ sku: 'SKU', title: 'Mug \ufffd' });
  });

  describe('5d: settings bodies are validated like every other body', () => {
    it.each([
      ['{"shipFromProvince":null}', 'shipFromProvince'],
      ['{"shipFromProvince":"\\ud800"}', 'shipFromProvince'],
      ['{"shipFromProvince":7}', 'shipFromProvince'],
      ['{"completeAfterDays":null}', 'completeAfterDays'],
      ['{"completeAfterDays":"15"}', 'completeAfterDays'],
      ['{"other":1}', 'other'],
    ])('PATCH /settings/orders %s → 400 naming the field, settings unchanged', async (raw, field) => {
      const before = (await t.http().get('/api/v1/settings/orders').set(bearer(t.adminToken))).body;
      const res = await json('patch', '/api/v1/settings/orders', raw, t.adminToken);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
      expect((await t.http().get('/api/v1/settings/orders').set(bearer(t.adminToken))).body).toEqual(before);
    });

    it('carrier coverage: null lists and null entries are 400 too', async () => {
      for (const raw of ['{"carriers":null}', '{"carriers":[null]}', '{"carriers":[{"carrier":"SF","provinces":null}]}', '{"carriers":[{"carrier":"SF","provinces":[null]}]}']) {
        const res = await json('put', '/api/v1/settings/carrier-coverage', raw, t.adminToken);
        expect([raw, res.status]).toEqual([raw, 400]);
      }
    });
  });

  describe('10: content types', () => {
    const genericDelivery = () => {
      const id = `evt-${randomUUID()}`;
      const now = new Date().toISOString();
      const raw = JSON.stringify({
        id,
        topic: 'order.created',
        occurredAt: now,
        data: { orderId: `G-${id}`, orderNumber: 'G1', createdAt: now, updatedAt: now, currency: 'CNY', amounts: { total: '1.00' }, lines: [{ sku: 'S', title: 'x', quantity: 1, unitPrice: '1.00' }] },
      });
      const ts = Math.floor(Date.now() / 1000);
      return { id, raw, signature: `t=${ts},v1=${createHmac('sha256', generic.webhookSecret).update(`${ts}.${raw}`).digest('hex')}` };
    };

    it.each([['text/plain'], ['application/octet-stream'], ['application/x-www-form-urlencoded'], ['json'], [null]])(
      'a correctly signed generic delivery sent as %p is verified over its raw bytes and kept',
      async (type) => {
        const d = genericDelivery();
        const req = t.http().post(`/webhooks/generic/${generic.id}`).set('x-signature', d.signature);
        // superagent sends a Buffer as it is, and without a Content-Type unless told
        if (type) req.set('content-type', type);
        const res = await req.send(type ? d.raw : Buffer.from(d.raw));
        expect([res.status, res.body]).toEqual([200, { received: true, duplicate: false, id: expect.any(String) }]);
        const [row] = await t.db.query('SELECT raw_body FROM webhook_deliveries WHERE id = $1', [res.body.id]);
        expect(row.raw_body.toString('utf8')).toBe(d.raw);
      },
    );

    it('a tampered delivery is still 401 whatever its type', async () => {
      const d = genericDelivery();
      const res = await t.http().post(`/webhooks/generic/${generic.id}`).set('x-signature', d.signature).set('content-type', 'text/plain').send(d.raw.replace('1.00', '2.00'));
      expect(res.status).toBe(401);
    });

    it('Kuaidi100 pushes are read as a form whatever their type; generic carrier pushes verify over the raw bytes', async () => {
      const param = kuaidi100Param({ carrier: 'shunfeng', trackingNo: `SF${Date.now()}`, state: '0', events: [] });
      const form = `param=${encodeURIComponent(param)}&sign=${kuaidi100Sign(param, generic.trackingSalt)}`;
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', null]) {
        const req = t.http().post(`/webhooks/carriers/kuaidi100/${generic.id}`);
        if (type) req.set('content-type', type);
        const res = await req.send(type ? form : Buffer.from(form));
        expect([type, res.status, res.text]).toEqual([type, 200, '{"result": true, "returnCode": "200", "message": "ok"}']);
      }
      const raw = JSON.stringify({ id: `p-${randomUUID()}`, topic: 'tracking.updated', occurredAt: new Date().toISOString(), data: { carrier: 'SF', trackingNo: `SF${Date.now()}`, events: [] } });
      const push = await t.http().post(`/webhooks/carriers/generic/${generic.id}`).set('x-signature', genericSignature(raw, generic.trackingSalt)).set('content-type', 'text/plain').send(raw);
      expect(push.status).toBe(200);
    });

    it('the admin API answers a text/plain body with 415 naming application/json, and stores nothing', async () => {
      const before = (await t.db.query('SELECT count(*)::int AS n FROM shops'))[0].n;
      const res = await t.http().post('/api/v1/shops').set(bearer(t.adminToken)).set('content-type', 'text/plain').send('{"name":"x","platform":"generic","webhookSecret":"whsec_12345678"}');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'Content-Type text/plain is not supported; send application/json' });
      expect((await t.db.query('SELECT count(*)::int AS n FROM shops'))[0].n).toBe(before);
    });

    it.each([['application/x-www-form-urlencoded', 'a=1'], ['application/octet-stream', '{}'], ['application/xml', '<a/>'], ['multipart/form-data; boundary=x', '--x--']])(
      'the admin API answers %s with 415',
      async (type, raw) => {
        const res = await t.http().patch('/api/v1/settings/orders').set(bearer(t.adminToken)).set('content-type', type).send(raw);
        expect([res.status, res.body.message]).toEqual([415, `Content-Type ${type.split(';')[0]} is not supported; send application/json`]);
      },
    );

    it('a body without a Content-Type is 415 too; a body-less action without one still works; charset parameters are fine', async () => {
      const noType = await t.http().post('/api/v1/auth/login').send(Buffer.from('{"email":"a@x.com","password":"p"}'));
      expect([noType.status, noType.body.message]).toEqual([415, 'A request body needs a Content-Type; send application/json']);
      const orderId = await paidOrder();
      expect((await t.http().post(`/api/v1/orders/${orderId}/hold`).set(bearer(agent.token)).set('content-type', 'application/json; charset=utf-8').send('{"reason":"customer_contact_needed"}')).status).toBe(200);
      expect((await t.http().post(`/api/v1/orders/${orderId}/release`).set(bearer(agent.token))).status).toBe(200);
    });

    it('a Content-Type that is not a media type at all is 415 on the admin API', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', 'json').send('{}');
      expect(res.status).toBe(415);
      expect(res.body.message).toMatch(/application\/json/);
    });
  });
});
