import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { FakeShopify } from '../support/fake-shopify.js';
import { bigId, postGeneric, postShopify, processDelivery, rawNumber, shopifyOrder } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A generic shop's endpoint for return decisions: checks the signature, keeps what it heard. */
class DecisionReceiver {
  server!: Server;
  url = '';
  secret = '';
  readonly calls: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown>; validSignature: boolean }> = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
        const valid = !!m && createHmac('sha256', this.secret).update(`${m[1]}.${raw}`).digest('hex') === m[2];
        this.calls.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown>, validSignature: valid });
        res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/aftersales`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Shopify's `returns/request` payload as its webhook reference documents it (ids as bare JSON numbers). */
function shopifyReturnRequest(orderId: string, returnId: string, lines: Array<{ lineItemId: string; quantity: number; reason: string; note?: string | null }>) {
  return {
    id: rawNumber(returnId),
    admin_graphql_api_id: `gid://shopify/Return/${returnId}`,
    status: 'requested',
    order: { id: rawNumber(orderId), admin_graphql_api_id: `gid://shopify/Order/${orderId}` },
    total_return_line_items: lines.length,
    name: '#1106-R2',
    return_line_items: lines.map((l, i) => ({
      id: rawNumber(`620052494${i}`),
      admin_graphql_api_id: `gid://shopify/ReturnLineItem/620052494${i}`,
      fulfillment_line_item: {
        id: rawNumber(`1073634135259${i}`),
        admin_graphql_api_id: `gid://shopify/FulfillmentLineItem/1073634135259${i}`,
        line_item: { id: rawNumber(l.lineItemId), admin_graphql_api_id: `gid://shopify/LineItem/${l.lineItemId}` },
      },
      quantity: l.quantity,
      return_reason: l.reason,
      return_reason_note: '',
      customer_note: l.note ?? null,
    })),
    exchange_line_items: [],
    return_shipping_fees: [],
    decline: null,
  };
}

const HOUR = 3600_000;

describe('platform-initiated returns: Shopify returns/request and generic return.requested; the decision goes back through the platform', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let outbox: OutboxService;
  const shopify = new FakeShopify();
  const receiver = new DecisionReceiver();
  let shopifyShop: { id: string; webhookSecret: string };
  let genericShop: { id: string; webhookSecret: string };
  let bareShop: { id: string; webhookSecret: string };

  beforeAll(async () => {
    await Promise.all([shopify.start(), receiver.start()]);
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '4', HTTP_TIMEOUT_MS: '2000' } });
    outbox = t.app.get(OutboxService);
    agent = await createStaff(t, Role.Agent);
    shopifyShop = await createShop(t, { platform: 'shopify' });
    genericShop = await createShop(t, { platform: 'generic' });
    bareShop = await createShop(t, { platform: 'generic' });
    receiver.secret = genericShop.webhookSecret;
    await t.http().put(`/api/v1/refund-channels/${shopifyShop.id}`).set(bearer(t.adminToken)).send({ apiBaseUrl: shopify.baseUrl, accessToken: shopify.accessToken }).expect(200);
    await t.http().put(`/api/v1/refund-channels/${genericShop.id}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: receiver.url }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([shopify.stop(), receiver.stop()]);
  });

  const deliver = async (res: { status: number; body: { id: string } }) => {
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    const [row] = await t.db.query('SELECT status, result, last_error FROM webhook_deliveries WHERE id = $1', [res.body.id]);
    return row as { status: string; result: Record<string, unknown>; last_error: string | null };
  };
  const getReturn = async (id: string) => (await t.http().get(`/api/v1/returns/${id}`).set(bearer(agent.token))).body;
  const act = (id: string, action: string, body: object = {}) => t.http().post(`/api/v1/returns/${id}/${action}`).set(bearer(agent.token)).send(body);
  /** Runs the outbox until the case's decision is no longer queued (bounded). */
  const drain = async (id: string) => {
    for (let i = 0; i < 20; i++) {
      await outbox.dispatch();
      const r = await getReturn(id);
      if (r.platformDecisionState !== 'queued') return r;
    }
    throw new Error(`decision of ${id} still queued`);
  };

  const shopifyPaidOrder = async () => {
    const o = shopifyOrder({
      financialStatus: 'paid',
      lines: [
        { sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB - Pink', quantity: 2, price: '199.00' },
        { sku: 'IPOD2008BLACK', title: 'IPod Nano - 8GB - Black', quantity: 1, price: '149.00' },
      ],
    });
    expect((await deliver(await postShopify(t, shopifyShop.id, 'orders/create', o.body, { secret: shopifyShop.webhookSecret }))).status).toBe('processed');
    return o.id;
  };
  // shopifyOrder's line items carry these ids (86655031176643 + 9000 + index).
  const PINK = '866550311766439000';
  const BLACK = '866550311766439001';

  it('Shopify returns/request opens one case (lines by line_item.id, reasons mapped, due 48 h later), deduplicated; approving it reaches Shopify', async () => {
    const platformOrderId = await shopifyPaidOrder();
    const returnId = bigId();
    shopify.requestReturn(returnId);
    const payload = shopifyReturnRequest(platformOrderId, returnId, [
      { lineItemId: BLACK, quantity: 1, reason: 'defective' },
      { lineItemId: PINK, quantity: 2, reason: 'unwanted', note: 'Wrong size' },
    ]);
    const first = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', payload, { secret: shopifyShop.webhookSecret }));
    expect(first.status).toBe('processed');
    expect(first.result).toMatchObject({ outcome: 'return_opened' });
    const caseId = first.result.returnId as string;

    const c = await getReturn(caseId);
    expect(c).toMatchObject({
      status: 'requested', source: 'platform', platformReturnId: returnId, type: 'return_refund', reason: 'changed_mind',
      requestedAmount: 2 * 19_900 + 14_900, description: 'Shopify return #1106-R2', platformDecision: null, assigneeId: null,
    });
    expect(new Date(c.dueAt).getTime() - new Date(c.reportedAt).getTime()).toBe(48 * HOUR);
    // The case counts under its largest line's reason (2 × unwanted → changed_mind).
    expect(c.lines.map((l: Record<string, unknown>) => [l.platformLineId, l.quantity, l.reason, l.customerNote, l.platformReturnLineId])).toEqual([
      [PINK, 2, 'changed_mind', 'Wrong size', '6200524941'],
      [BLACK, 1, 'quality', null, '6200524940'],
    ]);
    expect(c.timeline[0]).toMatchObject({ action: 'create', actor: { type: 'platform', id: null } });
    const detail = await t.http().get(`/api/v1/orders/${c.orderId}`).set(bearer(agent.token));
    expect(detail.body.relatedCases).toEqual([expect.objectContaining({ type: 'return', id: caseId, open: true })]);

    // Shopify retries with another event id (and a triggered-at of its own): no second case.
    const again = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', payload, { secret: shopifyShop.webhookSecret }));
    expect(again).toMatchObject({ status: 'ignored', result: { outcome: 'return_duplicate', returnId: caseId } });
    expect((await t.db.query('SELECT count(*)::int AS n FROM return_cases WHERE platform_return_id = $1', [returnId]))[0].n).toBe(1);

    // 548.00 asked: above the agent's limit (500.00), the agent approves what the limit allows.
    const approved = await act(caseId, 'approve', { amount: 50_000 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'awaiting_return', platformDecision: 'approve', platformDecisionState: 'queued' });
    const sent = await drain(caseId);
    expect(sent).toMatchObject({ platformDecisionState: 'sent', platformDecisionError: null, status: 'awaiting_return' });
    const calls = shopify.graphql.filter((g) => g.variables.input?.id === `gid://shopify/Return/${returnId}`);
    expect(calls).toHaveLength(1);
    expect(calls[0].query).toContain('returnApproveRequest(input: $input)');
    expect(shopify.returnStatus(returnId)).toBe('OPEN');
    expect(sent.timeline.at(-1)).toMatchObject({ action: 'platform-decision', from: 'awaiting_return', to: 'awaiting_return', actor: { type: 'system', id: null } });
    // Sent once: running the outbox again calls nobody.
    await outbox.dispatch();
    expect(shopify.graphql.filter((g) => g.variables.input?.id === `gid://shopify/Return/${returnId}`)).toHaveLength(1);
  });

  it('rejecting a Shopify request sends returnDeclineRequest; a throttled call is retried; a return already decided on Shopify counts as told', async () => {
    const platformOrderId = await shopifyPaidOrder();
    const declined = bigId();
    shopify.requestReturn(declined);
    const d1 = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', shopifyReturnRequest(platformOrderId, declined, [{ lineItemId: BLACK, quantity: 1, reason: 'style' }]), { secret: shopifyShop.webhookSecret }));
    const caseId = d1.result.returnId as string;
    shopify.throttleNext = 1;
    const rejected = await act(caseId, 'reject', { reason: '超过退货期限' });
    expect(rejected.body).toMatchObject({ status: 'rejected', platformDecision: 'reject', platformDecisionState: 'queued' });
    const sent = await drain(caseId);
    expect(sent.platformDecisionState).toBe('sent');
    const calls = shopify.graphql.filter((g) => g.variables.input?.id === `gid://shopify/Return/${declined}`);
    expect(calls).toHaveLength(2);
    // The default API version (2024-10) has no declineNote: the reason stays on our case.
    expect(calls[1].variables.input).toEqual({ id: `gid://shopify/Return/${declined}`, declineReason: 'OTHER' });
    expect(shopify.returnStatus(declined)).toBe('DECLINED');

    const decidedThere = bigId();
    shopify.requestReturn(decidedThere);
    const d2 = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', shopifyReturnRequest(platformOrderId, decidedThere, [{ lineItemId: PINK, quantity: 1, reason: 'defective' }]), { secret: shopifyShop.webhookSecret }));
    shopify.returns.set(`gid://shopify/Return/${decidedThere}`, 'OPEN'); // staff approved it in the Shopify admin meanwhile
    await act(d2.result.returnId as string, 'approve').expect(200);
    const told = await drain(d2.result.returnId as string);
    expect(told.platformDecisionState).toBe('sent');
    expect(told.timeline.at(-1).note).toBe('the platform already had this decision');
  });

  it('generic return.requested opens a case due at respondBy, deduplicated by returnId; the decision is a signed POST to the shop', async () => {
    const platformOrderId = `G-${bigId()}`;
    const order = await postGeneric(t, genericShop.id, {
      id: `evt-${bigId()}`,
      topic: 'order.paid',
      data: {
        orderId: platformOrderId, orderNumber: 'MK-1001', currency: 'CNY', paidAt: new Date().toISOString(),
        lines: [{ id: 'L-1', sku: 'TEA', title: '龙井 250g', quantity: 2, unitPrice: '88.00' }, { id: 'L-2', sku: 'CUP', title: '茶杯', quantity: 1, unitPrice: '30.00' }],
        amounts: { total: '206.00' },
      },
    }, { secret: genericShop.webhookSecret });
    expect((await deliver(order)).status).toBe('processed');

    const respondBy = new Date(Date.now() + 72 * HOUR);
    respondBy.setUTCMilliseconds(0);
    const envelope = (id: string) => ({
      id,
      topic: 'return.requested',
      data: {
        returnId: 'RMA-7001', orderId: platformOrderId, type: 'return_refund', reason: 'damaged', requestedAmount: '120.00',
        respondBy: respondBy.toISOString(), description: '快递压坏了',
        lines: [{ lineId: 'L-1', quantity: 1, reason: 'leaking', note: '漏了' }, { lineId: 'L-2', quantity: 1 }],
      },
    });
    const first = await deliver(await postGeneric(t, genericShop.id, envelope(`evt-${bigId()}`), { secret: genericShop.webhookSecret }));
    expect(first.status).toBe('processed');
    const caseId = first.result.returnId as string;
    const c = await getReturn(caseId);
    expect(c).toMatchObject({ status: 'requested', source: 'platform', platformReturnId: 'RMA-7001', reason: 'damaged', requestedAmount: 12_000, description: '快递压坏了' });
    expect(new Date(c.dueAt).toISOString()).toBe(respondBy.toISOString());
    expect(c.lines.map((l: Record<string, unknown>) => [l.platformLineId, l.reason, l.customerNote])).toEqual([
      ['L-1', 'leaking', '漏了'],
      ['L-2', 'damaged', null],
    ]);
    const [index] = await t.db.query(`SELECT due_at FROM case_index WHERE machine = 'return' AND case_id = $1`, [caseId]);
    expect(new Date(index.due_at).toISOString()).toBe(respondBy.toISOString());
    const dup = await deliver(await postGeneric(t, genericShop.id, envelope(`evt-${bigId()}`), { secret: genericShop.webhookSecret }));
    expect(dup).toMatchObject({ status: 'ignored', result: { outcome: 'return_duplicate', returnId: caseId } });

    await act(caseId, 'reject', { reason: '图片显示商品完好' }).expect(200);
    const sent = await drain(caseId);
    expect(sent.platformDecisionState).toBe('sent');
    const call = receiver.calls.find((x) => x.body.caseId === caseId)!;
    expect(call.validSignature).toBe(true);
    expect(call.headers['idempotency-key']).toBe(`return-decision-${caseId}`);
    expect(call.body).toMatchObject({ type: 'return.decision', returnId: 'RMA-7001', orderId: platformOrderId, decision: 'reject', reason: '图片显示商品完好', approvedAmount: null });

    // A second request on the same order, approved for less than asked.
    const second = await deliver(await postGeneric(t, genericShop.id, { ...envelope(`evt-${bigId()}`), data: { ...envelope('x').data, returnId: 'RMA-7002', lines: [{ lineId: '2', quantity: 1 }] } }, { secret: genericShop.webhookSecret }));
    const caseId2 = second.result.returnId as string;
    expect((await getReturn(caseId2)).lines[0].platformLineId).toBe('L-2');
    await act(caseId2, 'approve', { amount: 10_000 }).expect(200);
    await drain(caseId2);
    expect(receiver.calls.find((x) => x.body.caseId === caseId2)!.body).toMatchObject({
      type: 'return.decision', returnId: 'RMA-7002', decision: 'approve', reason: null, approvedAmount: '100.00', approvedAmountMinor: 10_000, currency: 'CNY',
    });
  });

  it('a request that cannot be applied (unknown order or line, malformed) changes nothing and is kept failed with the reason', async () => {
    const unknownOrder = await deliver(await postGeneric(t, genericShop.id, {
      id: `evt-${bigId()}`, topic: 'return.requested',
      data: { returnId: 'RMA-X1', orderId: 'NO-SUCH-ORDER', type: 'refund_only', reason: 'other', requestedAmount: '1.00', lines: [] },
    }, { secret: genericShop.webhookSecret }));
    expect(unknownOrder.status).toBe('failed');
    expect(unknownOrder.last_error).toContain('order NO-SUCH-ORDER of this shop is not known here');

    const platformOrderId = await shopifyPaidOrder();
    const unknownLine = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', shopifyReturnRequest(platformOrderId, bigId(), [{ lineItemId: '123456789', quantity: 1, reason: 'other' }]), { secret: shopifyShop.webhookSecret }));
    expect(unknownLine.status).toBe('failed');
    expect(unknownLine.last_error).toContain('order line 123456789 is not a line of order');
    const tooMany = await deliver(await postShopify(t, shopifyShop.id, 'returns/request', shopifyReturnRequest(platformOrderId, bigId(), [{ lineItemId: BLACK, quantity: 5, reason: 'other' }]), { secret: shopifyShop.webhookSecret }));
    expect(tooMany.last_error).toContain('cannot return 5');
    const malformed = await deliver(await postGeneric(t, genericShop.id, {
      id: `evt-${bigId()}`, topic: 'return.requested', data: { returnId: 'RMA-X2', orderId: 'O', type: 'swap', lines: [] },
    }, { secret: genericShop.webhookSecret }));
    expect(malformed.status).toBe('failed');
    expect(malformed.last_error).toContain('data.type must be one of refund_only, return_refund, exchange');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM return_cases WHERE platform_return_id LIKE 'RMA-X%'`))[0].n).toBe(0);
  });

  it('a shop without a decision channel: the case records that the platform was not told', async () => {
    const platformOrderId = `B-${bigId()}`;
    await deliver(await postGeneric(t, bareShop.id, {
      id: `evt-${bigId()}`, topic: 'order.paid',
      data: { orderId: platformOrderId, paidAt: new Date().toISOString(), lines: [{ id: 'A', title: 'Soap', quantity: 1, unitPrice: '9.90' }], amounts: { total: '9.90' } },
    }, { secret: bareShop.webhookSecret }));
    const d = await deliver(await postGeneric(t, bareShop.id, {
      id: `evt-${bigId()}`, topic: 'return.requested',
      data: { returnId: 'RMA-B1', orderId: platformOrderId, type: 'refund_only', reason: 'quality', requestedAmount: '9.90', lines: [] },
    }, { secret: bareShop.webhookSecret }));
    const caseId = d.result.returnId as string;
    expect((await getReturn(caseId)).dueAt).not.toBeNull();
    await act(caseId, 'approve').expect(200);
    const failed = await drain(caseId);
    expect(failed).toMatchObject({ status: 'approved', platformDecisionState: 'failed' });
    expect(failed.platformDecisionError).toBe('refund webhook URL is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
  });
});
