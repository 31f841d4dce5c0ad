/**
 * Signed webhook deliveries in the platforms' documented shapes, sent over real HTTP.
 * Shopify: REST Order resource as in the orders/create sample payload; WooCommerce: REST API v3
 * order; generic: docs/webhooks.md.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { WebhookProcessorService } from '../../src/webhooks/webhook-processor.service.js';
import type { TestApp } from './test-app.js';

/** Emits `n` unquoted in the JSON text (ids beyond 2^53, as platforms send them). */
export const rawNumber = (digits: string) => `\u0000RAW:${digits}\u0000`;

export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000RAW:([0-9.-]+)\\u0000"/g, '$1');
}

let seq = 0;
/** A platform-like id above 2^53 (Shopify's sample ids are ~8.2e17), unique per call. */
export function bigId(): string {
  seq++;
  return (820982911946154508n + BigInt(seq) * 7919n + BigInt(Date.now() % 1_000_000) * 1_000_003n).toString();
}

export interface LineSpec {
  sku: string;
  title: string;
  quantity: number;
  price: string;
}

export interface ShopifyOrderSpec {
  id?: string;
  name?: string;
  createdAt?: Date;
  updatedAt?: Date;
  financialStatus?: 'pending' | 'paid' | 'authorized' | 'refunded' | 'voided';
  fulfillmentStatus?: 'fulfilled' | 'partial' | null;
  lines?: LineSpec[];
  shipping?: string;
  discount?: string;
  tax?: string;
  total?: string;
  currency?: string;
  province?: string;
  gateway?: string;
  cancelledAt?: Date | null;
  fulfillments?: Array<{ company: string; number: string; shipmentStatus?: string | null }>;
  phone?: string;
}

/** Exact 2-decimal arithmetic on amount strings, through integer cents. */
const cents = (v: string) => BigInt(v.replace('.', ''));
const fmt = (c: bigint) => {
  const s = c.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
};
const addDecimal = (values: string[]): string => fmt(values.reduce((s, v) => s + cents(v), 0n));
const mul = (price: string, qty: number) => addDecimal(Array.from({ length: qty }, () => price));

export function shopifyOrder(spec: ShopifyOrderSpec = {}): { id: string; body: Record<string, unknown> } {
  const id = spec.id ?? bigId();
  const created = spec.createdAt ?? new Date();
  const updated = spec.updatedAt ?? created;
  const lines = spec.lines ?? [{ sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' }];
  const itemsTotal = addDecimal(lines.map((l) => mul(l.price, l.quantity)));
  const shipping = spec.shipping ?? '0.00';
  const discount = spec.discount ?? '0.00';
  const tax = spec.tax ?? '0.00';
  const total = spec.total ?? fmt(cents(itemsTotal) + cents(shipping) + cents(tax) - cents(discount));
  const currency = spec.currency ?? 'CNY';
  const body: Record<string, unknown> = {
    id: rawNumber(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: true,
    cancel_reason: spec.cancelledAt ? 'customer' : null,
    cancelled_at: spec.cancelledAt ? spec.cancelledAt.toISOString() : null,
    closed_at: null,
    confirmed: true,
    contact_email: 'jon@example.com',
    created_at: created.toISOString(),
    currency,
    current_total_price: total,
    customer_locale: 'zh-CN',
    email: 'jon@example.com',
    estimated_taxes: false,
    financial_status: spec.financialStatus ?? 'pending',
    fulfillment_status: spec.fulfillmentStatus ?? null,
    gateway: spec.gateway ?? 'bogus',
    name: spec.name ?? `#${1000 + (seq % 9000)}`,
    note: '请尽快发货',
    number: 234,
    order_number: 1234,
    payment_gateway_names: [spec.gateway ?? 'bogus'],
    phone: null,
    presentment_currency: currency,
    processed_at: created.toISOString(),
    subtotal_price: addDecimal([itemsTotal]),
    tags: '',
    taxes_included: false,
    test: true,
    total_discounts: discount,
    total_line_items_price: itemsTotal,
    total_outstanding: total,
    total_price: total,
    total_price_set: { shop_money: { amount: total, currency_code: currency }, presentment_money: { amount: total, currency_code: currency } },
    total_shipping_price_set: { shop_money: { amount: shipping, currency_code: currency }, presentment_money: { amount: shipping, currency_code: currency } },
    total_tax: tax,
    total_tip_received: '0.00',
    total_weight: 0,
    updated_at: updated.toISOString(),
    user_id: null,
    billing_address: null,
    customer: { id: rawNumber('115310627314723954'), email: 'john@example.com', first_name: 'John', last_name: 'Smith', phone: null, currency },
    discount_codes: [],
    fulfillments: (spec.fulfillments ?? []).map((f, i) => ({
      id: rawNumber(`25557483917${String(i).padStart(7, '0')}`),
      order_id: rawNumber(id),
      status: 'success',
      created_at: updated.toISOString(),
      updated_at: updated.toISOString(),
      service: 'manual',
      shipment_status: f.shipmentStatus ?? null,
      tracking_company: f.company,
      tracking_number: f.number,
      tracking_numbers: [f.number],
      tracking_url: null,
      tracking_urls: [],
    })),
    line_items: lines.map((l, i) => ({
      id: rawNumber(`86655031176643${String(9000 + i)}`),
      admin_graphql_api_id: `gid://shopify/LineItem/86655031176643${9000 + i}`,
      fulfillable_quantity: l.quantity,
      fulfillment_service: 'manual',
      fulfillment_status: null,
      gift_card: false,
      grams: 567,
      name: l.title,
      price: l.price,
      price_set: { shop_money: { amount: l.price, currency_code: currency }, presentment_money: { amount: l.price, currency_code: currency } },
      product_exists: true,
      product_id: 632910392,
      properties: [],
      quantity: l.quantity,
      requires_shipping: true,
      sku: l.sku,
      taxable: true,
      title: l.title,
      total_discount: '0.00',
      variant_id: 808950810,
      variant_title: null,
      vendor: null,
      tax_lines: [],
      duties: [],
      discount_allocations: [],
    })),
    payment_terms: null,
    refunds: [],
    shipping_address: {
      first_name: '三',
      address1: '科技园南区 8 栋 1201',
      phone: spec.phone ?? '13800138000',
      city: '深圳市',
      zip: '518057',
      province: spec.province ?? 'Guangdong',
      country: 'China',
      last_name: '张',
      address2: null,
      company: null,
      latitude: null,
      longitude: null,
      name: '张三',
      country_code: 'CN',
      province_code: 'GD',
    },
    shipping_lines: [{ id: rawNumber('271878346596884015'), code: 'Standard', price: shipping, discounted_price: shipping, source: 'shopify', title: 'Standard', tax_lines: [], carrier_identifier: null }],
  };
  return { id, body };
}

export interface PostOptions {
  secret: string;
  /** Sign with this secret instead (a forgery). */
  signWith?: string;
  /** Change one byte of the body after signing. */
  tamper?: boolean;
  omitSignature?: boolean;
  deliveryId?: string;
  /** Generic: the signature timestamp (unix seconds). */
  timestamp?: number;
}

function tamper(raw: string): string {
  // flip the first digit of the first total amount: a one-byte change that keeps the JSON valid
  const i = raw.indexOf('"total');
  if (i < 0) throw new Error('nothing to tamper with');
  const j = raw.slice(i).search(/\d/) + i;
  return raw.slice(0, j) + (raw[j] === '9' ? '8' : String(Number(raw[j]) + 1)) + raw.slice(j + 1);
}

export function postShopify(t: TestApp, shopId: string, topic: string, body: unknown, o: PostOptions) {
  const raw = typeof body === 'string' ? body : toJson(body);
  const signature = createHmac('sha256', o.signWith ?? o.secret).update(raw).digest('base64');
  const req = t
    .http()
    .post(`/webhooks/shopify/${shopId}`)
    .set('Content-Type', 'application/json')
    .set('X-Shopify-Topic', topic)
    .set('X-Shopify-Shop-Domain', 'example.myshopify.com')
    .set('X-Shopify-API-Version', '2025-01')
    .set('X-Shopify-Webhook-Id', randomUUID())
    .set('X-Shopify-Event-Id', o.deliveryId ?? randomUUID())
    .set('X-Shopify-Triggered-At', new Date().toISOString());
  if (!o.omitSignature) req.set('X-Shopify-Hmac-Sha256', signature);
  return req.send(o.tamper ? tamper(raw) : raw);
}

export interface WooOrderSpec {
  id?: number;
  status?: 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded';
  paymentMethod?: 'bacs' | 'cod' | 'stripe';
  createdAt?: Date;
  modifiedAt?: Date;
  paidAt?: Date | null;
  lines?: LineSpec[];
  shipping?: string;
  totalTax?: string;
  total?: string;
  state?: string;
  tracking?: Array<{ provider: string; number: string }>;
  refunds?: Array<{ id: number; total: string; reason: string }>;
}

let wooSeq = 700;
/** WooCommerce dates: local time without offset, and *_gmt in UTC without offset. */
const wcGmt = (d: Date) => d.toISOString().slice(0, 19);

export function wooOrder(spec: WooOrderSpec = {}): { id: number; body: Record<string, unknown> } {
  const id = spec.id ?? wooSeq++ + Math.floor(Math.random() * 100000) * 1000;
  const created = spec.createdAt ?? new Date();
  const modified = spec.modifiedAt ?? created;
  const lines = spec.lines ?? [{ sku: 'WOO-1', title: 'Woo Single #1', quantity: 2, price: '3.00' }];
  const shipping = spec.shipping ?? '10.00';
  const totalTax = spec.totalTax ?? '0.00';
  const itemsTotal = addDecimal(lines.map((l) => mul(l.price, l.quantity)));
  const total = spec.total ?? addDecimal([itemsTotal, shipping, totalTax]);
  const paidAt = spec.paidAt === undefined ? (spec.status === 'processing' || spec.status === 'completed' ? modified : null) : spec.paidAt;
  return {
    id,
    body: {
      id,
      parent_id: 0,
      number: String(id),
      order_key: `wc_order_${id}`,
      created_via: 'checkout',
      version: '8.5.2',
      status: spec.status ?? 'pending',
      currency: 'CNY',
      date_created: wcGmt(new Date(created.getTime() + 8 * 3600_000)),
      date_created_gmt: wcGmt(created),
      date_modified: wcGmt(new Date(modified.getTime() + 8 * 3600_000)),
      date_modified_gmt: wcGmt(modified),
      discount_total: '0.00',
      discount_tax: '0.00',
      shipping_total: shipping,
      shipping_tax: '0.00',
      cart_tax: totalTax,
      total,
      total_tax: totalTax,
      prices_include_tax: false,
      customer_id: 0,
      customer_ip_address: '127.0.0.1',
      customer_user_agent: 'curl',
      customer_note: '',
      billing: {
        first_name: '四', last_name: '李', company: '', address_1: '西湖区文三路 90 号', address_2: '', city: '杭州市', state: spec.state ?? 'CN12',
        postcode: '310012', country: 'CN', email: 'li.si@example.com', phone: '13900139000',
      },
      shipping: {
        first_name: '四', last_name: '李', company: '', address_1: '西湖区文三路 90 号', address_2: '', city: '杭州市', state: spec.state ?? 'CN12',
        postcode: '310012', country: 'CN', phone: '13900139000',
      },
      payment_method: spec.paymentMethod ?? 'bacs',
      payment_method_title: spec.paymentMethod === 'cod' ? 'Cash on delivery' : 'Direct Bank Transfer',
      transaction_id: '',
      date_paid: paidAt ? wcGmt(new Date(paidAt.getTime() + 8 * 3600_000)) : null,
      date_paid_gmt: paidAt ? wcGmt(paidAt) : null,
      date_completed: null,
      date_completed_gmt: null,
      cart_hash: '',
      meta_data: spec.tracking
        ? [{ id: 1, key: '_wc_shipment_tracking_items', value: spec.tracking.map((x) => ({ tracking_provider: x.provider, custom_tracking_provider: '', tracking_number: x.number, date_shipped: '1700000000' })) }]
        : [],
      line_items: lines.map((l, i) => ({
        id: 315 + i,
        name: l.title,
        product_id: 93 + i,
        variation_id: 0,
        quantity: l.quantity,
        tax_class: '',
        subtotal: mul(l.price, l.quantity),
        subtotal_tax: '0.00',
        total: mul(l.price, l.quantity),
        total_tax: '0.00',
        taxes: [],
        meta_data: [],
        sku: l.sku,
        price: rawNumber(l.price),
      })),
      tax_lines: [],
      shipping_lines: [{ id: 317, method_title: 'Flat Rate', method_id: 'flat_rate', total: shipping, total_tax: '0.00', taxes: [] }],
      fee_lines: [],
      coupon_lines: [],
      refunds: (spec.refunds ?? []).map((r) => ({ id: r.id, reason: r.reason, total: `-${r.total}` })),
    },
  };
}

export function postWoo(t: TestApp, shopId: string, topic: string, body: unknown, o: PostOptions) {
  const raw = typeof body === 'string' ? body : toJson(body);
  const signature = createHmac('sha256', o.signWith ?? o.secret).update(raw).digest('base64');
  const req = t
    .http()
    .post(`/webhooks/woocommerce/${shopId}`)
    .set('Content-Type', 'application/json')
    .set('User-Agent', 'WooCommerce/8.5.2 Hookshot (WordPress/6.4.2)')
    .set('X-WC-Webhook-Source', 'https://shop.example.com/')
    .set('X-WC-Webhook-Topic', topic)
    .set('X-WC-Webhook-Resource', topic.split('.')[0])
    .set('X-WC-Webhook-Event', topic.split('.')[1] ?? '')
    .set('X-WC-Webhook-ID', '12')
    .set('X-WC-Webhook-Delivery-ID', o.deliveryId ?? randomUUID().replace(/-/g, ''));
  if (!o.omitSignature) req.set('X-WC-Webhook-Signature', signature);
  return req.send(o.tamper ? tamper(raw) : raw);
}

export function postGeneric(t: TestApp, shopId: string, envelope: { id: string; topic: string; occurredAt?: string; data: unknown }, o: PostOptions) {
  const raw = toJson({ occurredAt: new Date().toISOString(), ...envelope });
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', o.signWith ?? o.secret).update(`${ts}.${raw}`).digest('hex');
  const req = t.http().post(`/webhooks/generic/${shopId}`).set('Content-Type', 'application/json');
  if (!o.omitSignature) req.set('X-Signature', `t=${ts},v1=${v1}`);
  return req.send(o.tamper ? tamper(raw) : raw);
}

/** Processes an accepted delivery now, in-process (an inbox worker may race it: both are safe). */
export async function processDelivery(t: TestApp, inboxId: string): Promise<void> {
  await t.app.get(WebhookProcessorService).process(inboxId);
}

/** Waits (bounded) until an inbox worker has processed a delivery. */
export async function waitProcessed(t: TestApp, inboxId: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.db.query('SELECT status FROM webhook_deliveries WHERE id = $1', [inboxId]);
    if (row && row.status !== 'received') return row.status as string;
    if (Date.now() > until) throw new Error(`delivery ${inboxId} not processed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
