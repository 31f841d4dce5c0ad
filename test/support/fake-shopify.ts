/**
 * A fake Shopify Admin API on 127.0.0.1 (real HTTP) for refund execution and return decisions
 * (GraphQL), and a SQL factory of paid orders for specs that do not go through the order webhooks.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TestApp } from './test-app.js';

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;

export interface PaidOrderSpec {
  /** Minor units. */
  total?: number;
  shipping?: number;
  currency?: string;
  paid?: boolean;
  platformOrderId?: string;
  orderNumber?: string;
  customerName?: string;
  lines?: Array<{ title: string; sku?: string; quantity: number; unitPrice: number; platformLineId?: string }>;
}

export interface PaidOrder {
  id: string;
  platformOrderId: string;
  orderNumber: string;
  lineIds: string[];
}

/** Inserts a paid order (and its lines) straight into the database. */
export async function insertPaidOrder(t: TestApp, shopId: string, spec: PaidOrderSpec = {}): Promise<PaidOrder> {
  const total = spec.total ?? 10_000;
  const shipping = spec.shipping ?? 0;
  const lines = spec.lines ?? [{ title: 'Tea 250g', sku: 'TEA-250', quantity: 2, unitPrice: (total - shipping) / 2 }];
  const platformOrderId = spec.platformOrderId ?? `${Date.now()}${seq++}${Math.floor(Math.random() * 1000)}`;
  const orderNumber = spec.orderNumber ?? `#${unique()}`;
  const [o]: Array<{ id: string }> = await t.db.query(
    `INSERT INTO orders (merchant_id, shop_id, status, version, platform, platform_order_id, order_number, payment_method, currency,
                         items_amount, shipping_amount, total_amount, customer_name, placed_at, paid_at, platform_updated_at)
     SELECT merchant_id, id, $2, 1, platform, $3, $4, 'prepaid', $5, $6, $7, $8, $9, now(), $10, now() FROM shops WHERE id = $1 RETURNING id`,
    [shopId, spec.paid === false ? 'pending_payment' : 'paid', platformOrderId, orderNumber, spec.currency ?? 'CNY', total - shipping, shipping, total, spec.customerName ?? '张三', spec.paid === false ? null : new Date()],
  );
  const lineIds: string[] = [];
  for (const [i, l] of lines.entries()) {
    const [row]: Array<{ id: string }> = await t.db.query(
      `INSERT INTO order_lines (merchant_id, order_id, line_no, sku, title, quantity, unit_price, amount, platform_line_id)
       SELECT merchant_id, id, $2, $3, $4, $5, $6, $7, $8 FROM orders WHERE id = $1 RETURNING id`,
      [o.id, i + 1, l.sku ?? null, l.title, l.quantity, Math.round(l.unitPrice), Math.round(l.unitPrice) * l.quantity, l.platformLineId ?? null],
    );
    lineIds.push(row.id);
  }
  return { id: o.id, platformOrderId, orderNumber, lineIds };
}

interface FakeRefund {
  id: string;
  orderId: string;
  note: string;
  amount: string;
  currency: string;
  body: Record<string, unknown>;
}

/**
 * Fake Shopify Admin REST API: orders/{id}/transactions.json, orders/{id}/refunds.json (GET/POST).
 * Counts refund creations, can fail the next N creations (503), refuse them (422), or make a
 * refund and answer too late (the client times out, the refund exists anyway).
 */
export class FakeShopify {
  readonly accessToken = `shpat_${randomBytes(8).toString('hex')}`;
  server!: Server;
  baseUrl = '';
  /** POST refunds.json calls that reached the server (also failed ones). */
  createCalls = 0;
  listCalls = 0;
  failNext = 0;
  rejectNext = 0;
  /** Make the refund, then answer after this many ms (set above the client's timeout). */
  slowNextMs = 0;
  readonly refunds: FakeRefund[] = [];
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }> = [];
  /** GraphQL calls (return decisions), in order. */
  readonly graphql: Array<{ query: string; variables: Record<string, any> }> = [];
  /** Returns as Shopify holds them: gid → Return.status (REQUESTED, OPEN, DECLINED...). */
  readonly returns = new Map<string, string>();
  /** Answer the next N GraphQL calls with a THROTTLED error (a 200, as Shopify does). */
  throttleNext = 0;
  private nextId = 820982911946154508n + BigInt(Date.now() % 100_000) * 1000n;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => void this.handle(req, data, res));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(() => r()));
  }

  refundsOf(orderId: string): FakeRefund[] {
    return this.refunds.filter((r) => r.orderId === orderId);
  }

  /** A customer asked to return something on Shopify (Return.status REQUESTED). */
  requestReturn(returnId: string): void {
    this.returns.set(`gid://shopify/Return/${returnId}`, 'REQUESTED');
  }

  returnStatus(returnId: string): string | undefined {
    return this.returns.get(`gid://shopify/Return/${returnId}`);
  }

  /** returnApproveRequest / returnDeclineRequest move a REQUESTED return (else userErrors INVALID_STATE); `return(id)` reads it. */
  private answerGraphql(body: string): string {
    const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, any> };
    this.graphql.push({ query, variables });
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return JSON.stringify({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] });
    }
    const decide = (field: string, to: string) => {
      const id = String(variables.input?.id);
      const status = this.returns.get(id);
      if (status !== 'REQUESTED') {
        return { data: { [field]: { return: null, userErrors: [{ code: status ? 'INVALID_STATE' : 'NOT_FOUND', field: ['input', 'id'], message: 'Return cannot be changed' }] } } };
      }
      this.returns.set(id, to);
      return { data: { [field]: { return: { id, status: to }, userErrors: [] } } };
    };
    if (query.includes('returnApproveRequest(')) return JSON.stringify(decide('returnApproveRequest', 'OPEN'));
    if (query.includes('returnDeclineRequest(')) return JSON.stringify(decide('returnDeclineRequest', 'DECLINED'));
    if (query.includes('return(id:')) {
      const id = String(variables.id);
      const status = this.returns.get(id);
      return JSON.stringify({ data: { return: status ? { id, status } : null } });
    }
    return JSON.stringify({ errors: [{ message: 'Unknown operation', extensions: { code: 'BAD_REQUEST' } }] });
  }

  private async handle(req: IncomingMessage, body: string, res: import('node:http').ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const send = (status: number, text: string) => {
      if (!res.writableEnded) res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    };
    if (req.headers['x-shopify-access-token'] !== this.accessToken) return send(401, '{"errors":"[API] Invalid API key or access token"}');
    if (/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(path) && req.method === 'POST') return send(200, this.answerGraphql(body));
    const m = /^\/admin\/api\/[\w-]+\/orders\/(\d+)\/(transactions|refunds)\.json$/.exec(path);
    if (!m) return send(404, '{"errors":"Not Found"}');
    const [, orderId, what] = m;
    if (what === 'transactions') {
      // A successful sale, with an id beyond 2^53 written as a bare JSON number, as Shopify does.
      return send(200, `{"transactions":[{"id":${BigInt(orderId) + 7n},"order_id":${orderId},"kind":"sale","status":"success","gateway":"shopify_payments","amount":"999.00"}]}`);
    }
    if (req.method === 'GET') {
      this.listCalls++;
      const list = this.refundsOf(orderId).map((r) => `{"id":${r.id},"order_id":${orderId},"note":${JSON.stringify(r.note)}}`);
      return send(200, `{"refunds":[${list.join(',')}]}`);
    }
    this.createCalls++;
    if (this.failNext > 0) {
      this.failNext--;
      return send(503, '{"errors":"Service Unavailable"}');
    }
    if (this.rejectNext > 0) {
      this.rejectNext--;
      return send(422, '{"errors":{"amount":["must be less than or equal to the refundable amount"]}}');
    }
    const parsed = JSON.parse(body) as { refund: { note: string; currency: string; transactions: Array<{ amount: string }> } };
    const id = (this.nextId += 13n).toString();
    this.refunds.push({ id, orderId, note: parsed.refund.note, amount: parsed.refund.transactions[0].amount, currency: parsed.refund.currency, body: parsed as unknown as Record<string, unknown> });
    const answer = `{"refund":{"id":${id},"order_id":${orderId},"note":${JSON.stringify(parsed.refund.note)},"transactions":[{"id":${(BigInt(id) + 1n).toString()},"kind":"refund","status":"success","amount":${JSON.stringify(parsed.refund.transactions[0].amount)}}]}}`;
    if (this.slowNextMs > 0) {
      const ms = this.slowNextMs;
      this.slowNextMs = 0;
      await new Promise((r) => setTimeout(r, ms));
    }
    send(201, answer);
  }
}
