import { createHmac, randomUUID } from 'node:crypto';
import { type ApiClient, createApiClient, type ErrorResponse, type Schemas } from '../../src/client/index.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { processDelivery, shopifyOrder, toJson } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Compile-time equality: `expectType<Equal<A, B>>()` fails `tsc` (and ts-jest) when A and B differ. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T | undefined => undefined;

/**
 * Issue 17: a whole return driven through the generated client (src/client), so every call below
 * is checked by the compiler against the OpenAPI document — paths, path/header params, bodies and
 * answers, error answers typed as ErrorResponse.
 */
describe('typed client (openapi-fetch over the generated types): a return from webhook to refund', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = createApiClient({ baseUrl: t.baseUrl, token: t.adminToken });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A staff member added and logged in through the client. */
  const staff = async (role: Role): Promise<ApiClient> => {
    const email = `${role}-${randomUUID()}@test.local`;
    const password = `pw-${randomUUID()}`;
    const created = await admin.POST('/api/v1/staff', { body: { email, name: `${role} member`, role, password } });
    expect(created.response.status).toBe(201);
    const login = await createApiClient({ baseUrl: t.baseUrl }).POST('/api/v1/auth/login', { body: { email, password } });
    if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.error)}`);
    return createApiClient({ baseUrl: t.baseUrl, token: login.data.accessToken });
  };

  it('order by signed webhook, return created, approved, received, inspected, refunded; 409 and 422 typed as ErrorResponse', async () => {
    const webhookSecret = `whsec_${randomUUID()}`;
    const shop = await admin.POST('/api/v1/shops', { body: { name: 'Typed shop', platform: 'shopify', webhookSecret } });
    if (!shop.data) throw new Error(`shop: ${JSON.stringify(shop.error)}`);
    const [agent, warehouse, finance] = await Promise.all([staff(Role.Agent), staff(Role.Warehouse), staff(Role.Finance)]);

    // The platform's side: a signed delivery, through the same client (the webhook is in the document too).
    const order = shopifyOrder({ financialStatus: 'paid', lines: [{ sku: 'CUP-1', title: '保温杯', quantity: 2, price: '100.00' }] });
    const raw = toJson(order.body);
    const anonymous = createApiClient({ baseUrl: t.baseUrl });
    const delivered = await anonymous.POST('/webhooks/{platform}/{shopId}', {
      params: {
        path: { platform: 'shopify', shopId: shop.data.id },
        header: { 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Hmac-Sha256': createHmac('sha256', webhookSecret).update(raw).digest('base64') },
      },
      body: order.body,
      bodySerializer: () => raw,
    });
    if (!delivered.data?.id) throw new Error(`webhook: ${delivered.response.status} ${JSON.stringify(delivered.error)}`);
    await processDelivery(t, delivered.data.id);
    const forged = await anonymous.POST('/webhooks/{platform}/{shopId}', {
      params: { path: { platform: 'shopify', shopId: shop.data.id }, header: { 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Hmac-Sha256': 'AAAA' } },
      body: order.body,
      bodySerializer: () => raw,
    });
    expect(forged.response.status).toBe(401);
    expect(forged.error?.message).toBe('Invalid webhook signature');

    const found = await agent.GET('/api/v1/orders/by-platform-id/{platformOrderId}', { params: { path: { platformOrderId: order.id } } });
    if (!found.data) throw new Error(`order: ${JSON.stringify(found.error)}`);
    expectType<Equal<typeof found.data.status, Schemas['OrderDetailResponseDto']['status']>>();
    // typed reads: a field the document does not have would not compile
    expect([found.data.status, found.data.totalAmount, found.data.lines.length]).toEqual(['paid', 20_000, 1]);

    const created = await agent.POST('/api/v1/returns', {
      body: { orderId: found.data.id, type: 'return_refund', reason: 'quality', requestedAmount: 10_000, lines: [{ orderLineId: found.data.lines[0].id, quantity: 1 }] },
    });
    if (!created.data) throw new Error(`return: ${JSON.stringify(created.error)}`);
    const id = created.data.id;
    const path = { path: { id } };
    expect(created.data).toMatchObject({ status: 'requested', version: 1, requestedAmount: 10_000 });

    const approved = await agent.POST('/api/v1/returns/{id}/approve', { params: path, body: { expectedVersion: created.data.version } });
    expect(approved.data?.status).toBe('awaiting_return');

    // The same approve again: 409, and the error is typed as the one error body of the document.
    const again = await agent.POST('/api/v1/returns/{id}/approve', { params: path, body: { expectedVersion: 1 } });
    expectType<Equal<NonNullable<typeof again.error>, ErrorResponse>>();
    expect(again.data).toBeUndefined();
    const conflict: ErrorResponse | undefined = again.error;
    expect(again.response.status).toBe(409);
    expect(conflict).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(conflict?.details).toEqual({ status: 'awaiting_return', allowedActions: ['cancel', 'assign', 'note'] });

    const received = await warehouse.POST('/api/v1/returns/{id}/receive', { params: path, body: { returnTrackingNo: 'YT9988776655', returnCarrier: '圆通' } });
    expect(received.data).toMatchObject({ status: 'received', returnTrackingNo: 'YT9988776655' });
    const inspected = await warehouse.POST('/api/v1/returns/{id}/inspect', { params: path, body: { result: 'pass', inspectionNote: '未拆封' } });
    expect(inspected.data?.status).toBe('inspected');
    expect(inspected.data?.allowedActions).toBeDefined();

    // More than was approved: a business rule, 422, the same typed body.
    const tooMuch = await agent.POST('/api/v1/returns/{id}/refund', { params: path, body: { amount: 10_001 } });
    expectType<Equal<NonNullable<typeof tooMuch.error>, ErrorResponse>>();
    expect(tooMuch.response.status).toBe(422);
    expect(tooMuch.error).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect(typeof tooMuch.error?.message).toBe('string');

    // Invalid input: 400 with the fields listed.
    const invalid = await agent.POST('/api/v1/returns/{id}/inspect', { params: path, body: { result: 'maybe' as 'pass' } });
    expect(invalid.response.status).toBe(400);
    const fields = Array.isArray(invalid.error?.details) ? invalid.error.details.map((d) => d.field) : [];
    expect(fields).toEqual(['result']);

    const refunding = await agent.POST('/api/v1/returns/{id}/refund', { params: path, body: {} });
    if (!refunding.data) throw new Error(`refund: ${JSON.stringify(refunding.error)}`);
    expect(refunding.data.status).toBe('refunding');
    const [refund] = refunding.data.refunds;
    expect(refund).toMatchObject({ status: 'pending', amount: 10_000, method: 'manual' });

    const paid = await finance.POST('/api/v1/refunds/{id}/record-manual', { params: { path: { id: refund.id } }, body: { externalReference: 'BANK-778899' } });
    expect(paid.data?.status).toBe('succeeded');
    const done = await agent.GET('/api/v1/returns/{id}', { params: path });
    expect(done.data).toMatchObject({ status: 'refunded', cost: 10_000 });
    expect(done.data?.timeline.map((e) => e.action)).toEqual(['create', 'approve', 'receive', 'inspect', 'refund', 'refund-succeeded']);
  });
});
