// Platform payloads in their documented shapes, signed as the platforms sign them:
// Shopify REST Order / Refund resources (X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body)
// and Kuaidi100 subscription pushes (form `param` + `sign` = upper-case hex MD5 of param + salt).
// The same shapes as test/support/platforms.ts and test/support/carriers.ts (docs/webhooks.md, docs/carriers.md).
import { createHash, createHmac, randomUUID } from 'node:crypto';

/** Shopify ids exceed 2^53: they are written into the JSON text unquoted, as Shopify does. */
const RAW = (digits) => `\u0000RAW:${digits}\u0000`;
export const toJson = (v) => JSON.stringify(v).replace(/"\\u0000RAW:([0-9.-]+)\\u0000"/g, '$1');

let seq = 0;
/** A Shopify-like id above 2^53, unique per run (the demo may run twice against one DEMO_URL). */
export function bigId() {
  seq++;
  return (820982911946154508n + BigInt(Date.now()) * 1000n + BigInt(seq)).toString();
}

const cents = (s) => Math.round(Number(s) * 100);
const dec = (c) => (c / 100).toFixed(2);

/**
 * A Shopify order (REST Admin API Order resource, as in the orders/create sample payload).
 * lines: [{sku, title, quantity, price: "68.00"}]; customer: {first, last, phone, province, city, address1, zip}.
 */
export function shopifyOrder({ id, name, createdAt, updatedAt, financialStatus, lines, shipping = '0.00', customer, note = null, fulfillments = [], lineIds }) {
  const items = lines.reduce((s, l) => s + cents(l.price) * l.quantity, 0);
  const total = dec(items + cents(shipping));
  const money = (amount) => ({ shop_money: { amount, currency_code: 'CNY' }, presentment_money: { amount, currency_code: 'CNY' } });
  return {
    id: RAW(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    browser_ip: '116.24.65.10',
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    closed_at: null,
    confirmed: true,
    contact_email: customer.email,
    created_at: createdAt.toISOString(),
    currency: 'CNY',
    current_total_price: total,
    customer_locale: 'zh-CN',
    email: customer.email,
    financial_status: financialStatus,
    fulfillment_status: fulfillments.length ? 'fulfilled' : null,
    gateway: 'shopify_payments',
    name,
    note,
    number: Number(name.slice(1)) - 1000,
    order_number: Number(name.slice(1)),
    payment_gateway_names: ['shopify_payments'],
    phone: null,
    presentment_currency: 'CNY',
    processed_at: createdAt.toISOString(),
    source_name: 'web',
    subtotal_price: dec(items),
    tags: '',
    taxes_included: true,
    test: false,
    total_discounts: '0.00',
    total_line_items_price: dec(items),
    total_outstanding: financialStatus === 'paid' ? '0.00' : total,
    total_price: total,
    total_price_set: money(total),
    total_shipping_price_set: money(shipping),
    total_tax: '0.00',
    total_tip_received: '0.00',
    total_weight: lines.reduce((s, l) => s + 600 * l.quantity, 0),
    updated_at: (updatedAt ?? createdAt).toISOString(),
    billing_address: null,
    customer: { id: RAW('6940095564061'), email: customer.email, first_name: customer.first, last_name: customer.last, phone: customer.phone, currency: 'CNY' },
    discount_codes: [],
    fulfillments: fulfillments.map((f, i) => ({
      id: RAW(`5557483917${String(Date.now() % 1e7).padStart(7, '0')}${i}`),
      order_id: RAW(id),
      status: 'success',
      created_at: f.at.toISOString(),
      updated_at: f.at.toISOString(),
      service: 'manual',
      shipment_status: null,
      tracking_company: f.company,
      tracking_number: f.number,
      tracking_numbers: [f.number],
      tracking_url: null,
      tracking_urls: [],
    })),
    line_items: lines.map((l, i) => ({
      id: RAW(lineIds[i]),
      admin_graphql_api_id: `gid://shopify/LineItem/${lineIds[i]}`,
      fulfillable_quantity: fulfillments.length ? 0 : l.quantity,
      fulfillment_service: 'manual',
      fulfillment_status: fulfillments.length ? 'fulfilled' : null,
      gift_card: false,
      grams: 600,
      name: l.title,
      price: l.price,
      price_set: money(l.price),
      product_exists: true,
      product_id: 7513594356 + i,
      properties: [],
      quantity: l.quantity,
      requires_shipping: true,
      sku: l.sku,
      taxable: true,
      title: l.title,
      total_discount: '0.00',
      variant_id: 42404567531 + i,
      variant_title: null,
      vendor: '演示小店',
      tax_lines: [],
      discount_allocations: [],
    })),
    refunds: [],
    shipping_address: {
      first_name: customer.first,
      last_name: customer.last,
      name: `${customer.first} ${customer.last}`,
      address1: customer.address1,
      address2: null,
      city: customer.city,
      province: customer.province,
      province_code: customer.provinceCode,
      zip: customer.zip,
      country: 'China',
      country_code: 'CN',
      phone: customer.phone,
      company: null,
      latitude: null,
      longitude: null,
    },
    shipping_lines: [{ id: RAW('4235710562561'), code: 'Standard', price: shipping, discounted_price: shipping, source: 'shopify', title: '标准快递', tax_lines: [], carrier_identifier: null }],
  };
}

/** A Shopify Refund resource (refunds/create). */
export function shopifyRefund({ id, orderId, amount, note, at }) {
  return {
    id: RAW(id),
    order_id: RAW(orderId),
    created_at: at.toISOString(),
    processed_at: at.toISOString(),
    note,
    restock: false,
    user_id: RAW('109876543'),
    refund_line_items: [],
    order_adjustments: [],
    transactions: [{ id: RAW(bigId()), order_id: RAW(orderId), kind: 'refund', gateway: 'shopify_payments', status: 'success', amount, currency: 'CNY', parent_id: RAW(bigId()) }],
  };
}

/** Headers of a Shopify webhook delivery, signed with the shop's secret. */
export function shopifyHeaders(raw, topic, secret) {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
    'x-shopify-shop-domain': 'demo-shop.myshopify.com',
    'x-shopify-api-version': '2025-01',
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
  };
}

/** A Beijing wall-clock "yyyy-MM-dd HH:mm:ss" (Kuaidi100 times). */
export const beijingTime = (d) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** The form body of a Kuaidi100 push: `param` JSON and `sign` = MD5(param + salt), upper-case hex. */
export function kuaidi100Form({ com, nu, state, events, salt, status = 'polling', message = '' }) {
  const param = JSON.stringify({
    status,
    billstatus: 'got',
    message,
    autoCheck: '0',
    comOld: '',
    comNew: '',
    lastResult: {
      message: 'ok', state, status: '200', condition: 'F00', ischeck: state === '3' ? '1' : '0', com, nu,
      // newest first, as Kuaidi100 sends them
      data: [...events].reverse().map((e) => ({ context: e.context, time: beijingTime(e.at), ftime: beijingTime(e.at), areaName: e.area })),
    },
  });
  const sign = createHash('md5').update(param + salt, 'utf8').digest('hex').toUpperCase();
  return new URLSearchParams({ param, sign }).toString();
}
