import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { PaymentMethod } from '../../orders/order-status.js';
import type { PlatformOrder, PlatformOrderLine, PlatformShipment } from '../../orders/platform-order.js';
import type { PlatformEvent } from './platform-event.js';
import { wooStateName } from '../../orders/provinces.js';
import { ShopPlatform } from '../../shops/shop.entity.js';
import { idText } from '../../kernel/json/lossless-json.js';
import { verifyBase64Hmac } from '../../kernel/crypto/signature.js';
import {
  arr, bodyDigest, currencyOf, date, Envelope, gmtDate, header, Headers, money, Obj, obj, PayloadError, pickHeaders, PlatformAdapter, quantity,
  ShopContext, str, sum,
} from './platform-adapter.js';
import { joinText, personName, text } from './text.js';

const SIGNATURE = 'X-WC-Webhook-Signature';
const KEPT_HEADERS = [
  'X-WC-Webhook-Topic', 'X-WC-Webhook-Signature', 'X-WC-Webhook-Source', 'X-WC-Webhook-Resource', 'X-WC-Webhook-Event', 'X-WC-Webhook-ID',
  'X-WC-Webhook-Delivery-ID',
];

export const WOO_ORDER_TOPICS = ['order.created', 'order.updated', 'order.restored'];
const PAID_STATUSES = new Set(['processing', 'completed', 'refunded']);

/** WooCommerce's creation ping: a form body `webhook_id=<n>`, unsigned; answered 200, nothing stored. */
export function isWooPing(raw: Buffer | undefined, headers: Headers): boolean {
  return !header(headers, SIGNATURE) && !!raw && raw.length < 64 && /^webhook_id=\d+$/.test(raw.toString('utf8').trim());
}

/**
 * WooCommerce webhooks: `X-WC-Webhook-Signature` = base64 HMAC-SHA256 of the raw body; dedup by
 * `X-WC-Webhook-Delivery-ID`. Order fields as documented for the REST API v3 order resource.
 */
export class WooCommerceAdapter implements PlatformAdapter {
  readonly platform = ShopPlatform.WooCommerce;

  precheck(headers: Headers): void {
    if (!header(headers, SIGNATURE)) throw new Unauthenticated(`Missing ${SIGNATURE} header`);
  }

  verify(raw: Buffer, headers: Headers, secret: string): boolean {
    return verifyBase64Hmac(raw, secret, header(headers, SIGNATURE) ?? '');
  }

  envelope(raw: Buffer, headers: Headers): Envelope {
    const topic = header(headers, 'X-WC-Webhook-Topic');
    if (!topic) throw new InvalidInput('Missing X-WC-Webhook-Topic header');
    return {
      topic,
      deliveryId: header(headers, 'X-WC-Webhook-Delivery-ID') ?? bodyDigest(raw),
      eventAt: null,
      headers: pickHeaders(headers, KEPT_HEADERS),
    };
  }

  map(topic: string, body: unknown, shop: ShopContext): PlatformEvent {
    const b = obj(body);
    if (!b) throw new PayloadError('body is not a JSON object');
    if (WOO_ORDER_TOPICS.includes(topic)) return { kind: 'order', order: mapWooOrder(b, shop) };
    return { kind: 'unhandled', reason: `topic ${topic} is not handled` };
  }
}

/** Unit price of a line from its amount; exact when it divides, else rounded half up (WooCommerce stores line totals). */
function unitOf(amount: number, qty: number): number {
  if (qty === 0) return amount;
  const a = BigInt(amount);
  const q = BigInt(qty);
  return Number((a * 2n + q) / (q * 2n));
}

export function mapWooOrder(b: Obj, shop: ShopContext): PlatformOrder {
  const platformOrderId = idText(b.id);
  if (!platformOrderId) throw new PayloadError('order id is missing');
  const currency = currencyOf(b.currency, shop.currency);
  const m = (v: unknown, what: string) => money(v, currency, what);
  const status = str(b.status) ?? 'pending';

  // Line `subtotal` is before coupons and without tax, as are shipping_total and discount_total; total_tax holds all tax.
  const lines: PlatformOrderLine[] = arr(b.line_items).map((raw, i) => {
    const li = obj(raw) ?? {};
    const qty = quantity(li.quantity, `line_items[${i}].quantity`);
    const amount = m(li.subtotal ?? li.total, `line_items[${i}].subtotal`);
    return { platformLineId: idText(li.id), sku: str(li.sku), title: text(li.name) ?? `line ${i + 1}`, quantity: qty, unitPrice: unitOf(amount, qty), amount };
  });
  if (b.total === undefined || b.total === null) throw new PayloadError('total is missing');

  const updatedAt = gmtDate(b.date_modified_gmt, 'date_modified_gmt') ?? date(b.date_modified ?? b.date_created, 'date_modified', true);
  const placedAt = gmtDate(b.date_created_gmt, 'date_created_gmt') ?? date(b.date_created, 'date_created', true);
  const paidAt = gmtDate(b.date_paid_gmt, 'date_paid_gmt') ?? date(b.date_paid, 'date_paid');
  const cod = str(b.payment_method) === 'cod';
  // A COD order is "processing" before any money arrives; only date_paid says it was collected.
  const paid = !!paidAt || (!cod && PAID_STATUSES.has(status));

  // WooCommerce Shipment Tracking extension: meta _wc_shipment_tracking_items.
  const shipments: PlatformShipment[] = [];
  for (const meta of arr(b.meta_data).map((x) => obj(x) ?? {})) {
    if (str(meta.key) !== '_wc_shipment_tracking_items') continue;
    for (const t of arr(meta.value).map((x) => obj(x) ?? {})) {
      const trackingNo = str(t.tracking_number);
      if (trackingNo) shipments.push({ carrier: str(t.custom_tracking_provider) ?? str(t.tracking_provider) ?? 'unknown', trackingNo, shippedAt: null });
    }
  }

  const ship = obj(b.shipping) ?? {};
  const bill = obj(b.billing) ?? {};
  const hasShipping = !!(str(ship.address_1) || str(ship.city));
  const addr = hasShipping ? ship : bill;
  const country = str(addr.country);
  return {
    platformOrderId,
    orderNumber: str(b.number) ?? platformOrderId,
    paymentMethod: cod ? PaymentMethod.CashOnDelivery : PaymentMethod.Prepaid,
    platformStatus: status,
    currency,
    amounts: {
      items: sum(lines.map((l) => l.amount), 'items'),
      discount: m(b.discount_total, 'discount_total'),
      shipping: m(b.shipping_total, 'shipping_total'),
      tax: m(b.total_tax, 'total_tax'),
      other: sum(arr(b.fee_lines).map((f, i) => m(obj(f)?.total, `fee_lines[${i}].total`)), 'fees'),
      total: m(b.total, 'total'),
    },
    lines,
    customer: {
      name: personName(ship.first_name, ship.last_name) ?? personName(bill.first_name, bill.last_name),
      phone: str(ship.phone) ?? str(bill.phone),
      email: str(bill.email),
    },
    shippingAddress: {
      country,
      province: wooStateName(country, str(addr.state)),
      city: text(addr.city),
      district: null,
      address: joinText(addr.address_1, addr.address_2),
      postcode: str(addr.postcode),
    },
    note: text(b.customer_note),
    carrier: null,
    placedAt,
    updatedAt,
    facts: {
      paid,
      paidAt: paid ? (paidAt ?? updatedAt) : null,
      cancelled: status === 'cancelled',
      cancelReason: status === 'cancelled' ? 'cancelled in WooCommerce' : null,
      shipped: status === 'completed',
      shipments,
      delivered: false,
      deliveredAt: null,
    },
    refunds: arr(b.refunds).map((raw, i) => {
      const r = obj(raw) ?? {};
      const id = idText(r.id);
      if (!id) throw new PayloadError(`refunds[${i}].id is missing`);
      const amount = m(r.total, `refunds[${i}].total`);
      return { platformRefundId: id, platformOrderId, amount: amount < 0 ? -amount : amount, currency, reason: text(r.reason), refundedAt: updatedAt };
    }),
  };
}
