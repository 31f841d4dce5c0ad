import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { PaymentMethod } from '../../orders/order-status.js';
import type { PlatformOrder, PlatformOrderLine, PlatformRefund, PlatformShipment } from '../../orders/platform-order.js';
import type { PlatformEvent } from './platform-event.js';
import { ShopPlatform } from '../../shops/shop.entity.js';
import { idText } from '../../kernel/json/lossless-json.js';
import { verifyBase64Hmac } from '../../kernel/crypto/signature.js';
import {
  arr, bodyDigest, currencyOf, date, parseInstant, Envelope, header, Headers, money, Obj, obj, PayloadError, pickHeaders, PlatformAdapter, quantity, ShopContext,
  str, sum, times,
} from './platform-adapter.js';
import { mapShopifyReturnRequest, SHOPIFY_RETURN_REQUEST_TOPIC } from './shopify-returns.js';
import { joinText, personName, text } from './text.js';

const SIGNATURE = 'X-Shopify-Hmac-Sha256';
const KEPT_HEADERS = [
  'X-Shopify-Topic', 'X-Shopify-Hmac-Sha256', 'X-Shopify-Shop-Domain', 'X-Shopify-API-Version', 'X-Shopify-Webhook-Id', 'X-Shopify-Event-Id',
  'X-Shopify-Triggered-At',
];

export const SHOPIFY_ORDER_TOPICS = ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'orders/partially_fulfilled'];
/** financial_status values meaning the money is secured ("authorized" = captured at fulfilment). */
const PAID = new Set(['paid', 'partially_refunded', 'refunded', 'authorized']);
const COD = /cash on delivery|\bcod\b|货到付款/i;

/**
 * Shopify webhooks: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body; dedup by
 * `X-Shopify-Event-Id` (older deliveries: `X-Shopify-Webhook-Id`). Order fields as documented for
 * the REST Order resource (the webhook payload).
 */
export class ShopifyAdapter implements PlatformAdapter {
  readonly platform = ShopPlatform.Shopify;

  precheck(headers: Headers): void {
    if (!header(headers, SIGNATURE)) throw new Unauthenticated(`Missing ${SIGNATURE} header`);
  }

  verify(raw: Buffer, headers: Headers, secret: string): boolean {
    return verifyBase64Hmac(raw, secret, header(headers, SIGNATURE) ?? '');
  }

  envelope(raw: Buffer, headers: Headers): Envelope {
    const topic = header(headers, 'X-Shopify-Topic');
    if (!topic) throw new InvalidInput('Missing X-Shopify-Topic header');
    return {
      topic,
      deliveryId: header(headers, 'X-Shopify-Event-Id') ?? header(headers, 'X-Shopify-Webhook-Id') ?? bodyDigest(raw),
      eventAt: parseInstant(header(headers, 'X-Shopify-Triggered-At')),
      headers: pickHeaders(headers, KEPT_HEADERS),
    };
  }

  map(topic: string, body: unknown, shop: ShopContext): PlatformEvent {
    const b = obj(body);
    if (!b) throw new PayloadError('body is not a JSON object');
    if (SHOPIFY_ORDER_TOPICS.includes(topic)) return { kind: 'order', order: mapShopifyOrder(topic, b, shop) };
    if (topic === 'refunds/create') return { kind: 'refund', refund: mapShopifyRefund(b, shop) };
    if (topic === SHOPIFY_RETURN_REQUEST_TOPIC) return { kind: 'return', request: mapShopifyReturnRequest(b) };
    return { kind: 'unhandled', reason: `topic ${topic} is not handled` };
  }
}

export function mapShopifyOrder(topic: string, b: Obj, shop: ShopContext): PlatformOrder {
  const platformOrderId = idText(b.id);
  if (!platformOrderId) throw new PayloadError('order id is missing');
  const currency = currencyOf(b.currency, shop.currency);
  const m = (v: unknown, what: string) => money(v, currency, what);

  const lines: PlatformOrderLine[] = arr(b.line_items).map((raw, i) => {
    const li = obj(raw) ?? {};
    const qty = quantity(li.quantity, `line_items[${i}].quantity`);
    const unit = m(li.price, `line_items[${i}].price`);
    return {
      platformLineId: idText(li.id),
      sku: str(li.sku),
      title: lineTitle(li) ?? `line ${i + 1}`,
      quantity: qty,
      unitPrice: unit,
      amount: times(unit, qty, `line_items[${i}]`),
    };
  });
  const shippingSet = obj(obj(b.total_shipping_price_set)?.shop_money);
  const shipping = shippingSet ? m(shippingSet.amount, 'total_shipping_price_set') : sum(arr(b.shipping_lines).map((s, i) => m(obj(s)?.price, `shipping_lines[${i}].price`)), 'shipping');
  const items = b.total_line_items_price !== undefined ? m(b.total_line_items_price, 'total_line_items_price') : sum(lines.map((l) => l.amount), 'items');
  if (b.total_price === undefined || b.total_price === null) throw new PayloadError('total_price is missing');

  const financial = str(b.financial_status);
  const fulfillmentStatus = str(b.fulfillment_status);
  const gateways = [...arr(b.payment_gateway_names).map(str), str(b.gateway)].filter((g): g is string => !!g);
  const cod = gateways.some((g) => COD.test(g));
  const updatedAt = date(b.updated_at ?? b.created_at, 'updated_at', true);
  const placedAt = date(b.created_at ?? b.processed_at, 'created_at', true);
  const paid = (financial !== null && PAID.has(financial)) || topic === 'orders/paid';

  const fulfillments = arr(b.fulfillments).map((f) => obj(f) ?? {}).filter((f) => str(f.status) !== 'cancelled');
  const shipments: PlatformShipment[] = [];
  for (const f of fulfillments) {
    const numbers = [...arr(f.tracking_numbers).map(str), str(f.tracking_number)].filter((n): n is string => !!n);
    for (const trackingNo of new Set(numbers)) shipments.push({ carrier: str(f.tracking_company) ?? 'unknown', trackingNo, shippedAt: date(f.created_at, 'fulfillments.created_at') });
  }
  const shipped = fulfillmentStatus === 'fulfilled' || topic === 'orders/fulfilled';
  const delivered = shipped && fulfillments.length > 0 && fulfillments.every((f) => str(f.shipment_status) === 'delivered');
  const deliveredAt = delivered ? (fulfillments.map((f) => date(f.updated_at, 'fulfillments.updated_at')).filter((d): d is Date => !!d).sort((x, y) => y.getTime() - x.getTime())[0] ?? null) : null;

  const ship = obj(b.shipping_address) ?? {};
  const customer = obj(b.customer) ?? {};
  return {
    platformOrderId,
    orderNumber: str(b.name) ?? (str(b.order_number) ? `#${str(b.order_number)}` : platformOrderId),
    paymentMethod: cod ? PaymentMethod.CashOnDelivery : PaymentMethod.Prepaid,
    platformStatus: `${financial ?? 'pending'}/${fulfillmentStatus ?? 'unfulfilled'}`,
    currency,
    amounts: {
      items,
      discount: m(b.total_discounts, 'total_discounts'),
      shipping,
      // With taxes_included the tax is inside the prices already.
      tax: b.taxes_included === true ? 0 : m(b.total_tax, 'total_tax'),
      other: m(b.total_tip_received, 'total_tip_received'),
      total: m(b.total_price, 'total_price'),
    },
    lines,
    customer: {
      // Shopify's own `name` is "first last" whatever the script; composed here in the name's order.
      name: personName(ship.first_name, ship.last_name) ?? text(ship.name) ?? personName(customer.first_name, customer.last_name),
      phone: str(ship.phone) ?? str(b.phone) ?? str(customer.phone),
      email: str(b.email) ?? str(b.contact_email) ?? str(customer.email),
    },
    shippingAddress: {
      country: str(ship.country_code) ?? str(ship.country),
      province: text(ship.province),
      city: text(ship.city),
      district: null,
      address: joinText(ship.address1, ship.address2),
      postcode: str(ship.zip),
    },
    note: text(b.note),
    carrier: null,
    placedAt,
    updatedAt,
    facts: {
      paid,
      paidAt: paid ? (date(b.processed_at, 'processed_at') ?? updatedAt) : null,
      cancelled: !!str(b.cancelled_at) || topic === 'orders/cancelled',
      cancelReason: str(b.cancel_reason),
      shipped,
      shipments,
      delivered,
      deliveredAt,
    },
    refunds: [],
  };
}

/**
 * A line as the customer bought it: `name` is the product title with the variant ("IPod Nano - 8gb -
 * green"); `title` alone is the product, the same for every variant. SPEC §5.
 */
function lineTitle(li: Obj): string | null {
  const name = text(li.name);
  if (name) return name;
  const title = text(li.title);
  const variant = text(li.variant_title);
  return title && variant && variant !== 'Default Title' ? `${title} - ${variant}` : (title ?? variant);
}

export function mapShopifyRefund(b: Obj, shop: ShopContext): PlatformRefund {
  const platformRefundId = idText(b.id);
  const platformOrderId = idText(b.order_id);
  if (!platformRefundId || !platformOrderId) throw new PayloadError('refund id or order_id is missing');
  const txs = arr(b.transactions).map((t) => obj(t) ?? {}).filter((t) => str(t.kind) === 'refund' && str(t.status) === 'success');
  const currency = currencyOf(txs.map((t) => str(t.currency)).find((c) => !!c), shop.currency);
  return {
    platformRefundId,
    platformOrderId,
    amount: sum(txs.map((t, i) => money(t.amount, currency, `transactions[${i}].amount`)), 'refund amount'),
    currency,
    reason: text(b.note),
    refundedAt: date(b.processed_at ?? b.created_at, 'created_at', true),
  };
}
