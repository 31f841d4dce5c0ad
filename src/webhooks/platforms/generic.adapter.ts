import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { PaymentMethod } from '../../orders/order-status.js';
import type { PlatformOrder, PlatformOrderLine, PlatformRefund, PlatformShipment } from '../../orders/platform-order.js';
import type { PlatformEvent } from './platform-event.js';
import type { PlatformReview } from '../../reviews/platform-review.js';
import { ShopPlatform } from '../../shops/shop.entity.js';
import { idText, parseJsonLossless } from '../../kernel/json/lossless-json.js';
import { isFresh, parseGenericSignature, verifyGenericSignature } from '../../kernel/crypto/signature.js';
import {
  arr, currencyOf, date, Envelope, parseInstant, header, Headers, money, Obj, obj, PayloadError, pickHeaders, PlatformAdapter, quantity, ShopContext, str, sum, times,
} from './platform-adapter.js';
import { GENERIC_RETURN_REQUEST_TOPIC, mapGenericReturnRequest } from './generic-returns.js';
import { text } from './text.js';

const SIGNATURE = 'X-Signature';

export const GENERIC_ORDER_TOPICS = ['order.created', 'order.updated', 'order.paid', 'order.cancelled', 'order.shipped'];
export const GENERIC_REVIEW_TOPICS = ['review.created', 'review.updated'];
export const GENERIC_TOPICS = [...GENERIC_ORDER_TOPICS, 'refund.created', GENERIC_RETURN_REQUEST_TOPIC, ...GENERIC_REVIEW_TOPICS];

/**
 * Our own format (docs/webhooks.md): `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
 * refused when t is more than 5 minutes off; body `{id, topic, occurredAt, data}`.
 */
export class GenericAdapter implements PlatformAdapter {
  readonly platform = ShopPlatform.Generic;

  precheck(headers: Headers, now: Date): void {
    const h = header(headers, SIGNATURE);
    if (!h) throw new Unauthenticated(`Missing ${SIGNATURE} header`);
    const sig = parseGenericSignature(h);
    if (!sig) throw new Unauthenticated(`Malformed ${SIGNATURE} header; expected t=<unix seconds>,v1=<hex>`);
    if (!isFresh(sig.timestamp, now)) throw new Unauthenticated(`${SIGNATURE} timestamp is more than 5 minutes off`);
  }

  verify(raw: Buffer, headers: Headers, secret: string): boolean {
    const sig = parseGenericSignature(header(headers, SIGNATURE) ?? '');
    return !!sig && verifyGenericSignature(raw, secret, sig);
  }

  envelope(raw: Buffer, headers: Headers): Envelope {
    let body: Obj | undefined;
    try {
      body = obj(parseJsonLossless(raw.toString('utf8')));
    } catch {
      body = undefined;
    }
    if (!body) throw new InvalidInput('Body must be a JSON object {id, topic, occurredAt, data}');
    const id = idText(body.id);
    const topic = str(body.topic);
    const problems: Array<{ field: string; errors: string[] }> = [];
    if (!id || id.length > 200) problems.push({ field: 'id', errors: ['id must be a non-empty string of at most 200 characters'] });
    if (!topic || !GENERIC_TOPICS.includes(topic)) problems.push({ field: 'topic', errors: [`topic must be one of ${GENERIC_TOPICS.join(', ')}`] });
    const occurredAt = str(body.occurredAt);
    if (!parseInstant(occurredAt)) problems.push({ field: 'occurredAt', errors: ['occurredAt must be an ISO 8601 date'] });
    if (!obj(body.data)) problems.push({ field: 'data', errors: ['data must be an object'] });
    if (problems.length) throw new InvalidInput('Invalid generic webhook body', problems);
    return { topic: topic!, deliveryId: id!, eventAt: parseInstant(occurredAt), headers: pickHeaders(headers, [SIGNATURE]) };
  }

  map(topic: string, body: unknown, shop: ShopContext): PlatformEvent {
    const envelope = obj(body);
    const data = obj(envelope?.data);
    if (!envelope || !data) throw new PayloadError('body.data is not an object');
    if (GENERIC_ORDER_TOPICS.includes(topic)) return { kind: 'order', order: mapGenericOrder(topic, data, envelope, shop) };
    if (topic === 'refund.created') return { kind: 'refund', refund: mapGenericRefund(data, shop) };
    if (topic === GENERIC_RETURN_REQUEST_TOPIC) return { kind: 'return', request: mapGenericReturnRequest(data, envelope, shop) };
    if (GENERIC_REVIEW_TOPICS.includes(topic)) return { kind: 'review', review: mapGenericReview(topic, data, envelope) };
    return { kind: 'unhandled', reason: `topic ${topic} is not handled yet` };
  }
}

export function mapGenericOrder(topic: string, d: Obj, envelope: Obj, shop: ShopContext): PlatformOrder {
  const platformOrderId = idText(d.orderId);
  if (!platformOrderId) throw new PayloadError('data.orderId is missing');
  const currency = currencyOf(d.currency, shop.currency);
  const m = (v: unknown, what: string) => money(v, currency, what);
  const lines: PlatformOrderLine[] = arr(d.lines).map((raw, i) => {
    const l = obj(raw) ?? {};
    const qty = quantity(l.quantity, `data.lines[${i}].quantity`);
    const unit = m(l.unitPrice, `data.lines[${i}].unitPrice`);
    const title = text(l.title);
    if (!title) throw new PayloadError(`data.lines[${i}].title is missing`);
    return { platformLineId: idText(l.id), sku: str(l.sku), title, quantity: qty, unitPrice: unit, amount: times(unit, qty, `data.lines[${i}]`) };
  });
  const a = obj(d.amounts) ?? {};
  if (a.total === undefined) throw new PayloadError('data.amounts.total is missing');
  const paymentMethod = str(d.paymentMethod) ?? 'prepaid';
  if (paymentMethod !== PaymentMethod.Prepaid && paymentMethod !== PaymentMethod.CashOnDelivery) throw new PayloadError('data.paymentMethod must be prepaid or cod');
  const updatedAt = date(d.updatedAt ?? envelope.occurredAt, 'data.updatedAt', true);
  const paidAt = date(d.paidAt, 'data.paidAt');
  const cancelledAt = date(d.cancelledAt, 'data.cancelledAt');
  const deliveredAt = date(d.deliveredAt, 'data.deliveredAt');
  const shipments: PlatformShipment[] = arr(d.shipments).map((raw, i) => {
    const s = obj(raw) ?? {};
    const carrier = str(s.carrier);
    const trackingNo = str(s.trackingNo);
    if (!carrier || !trackingNo) throw new PayloadError(`data.shipments[${i}] needs carrier and trackingNo`);
    return { carrier, trackingNo, shippedAt: date(s.shippedAt, `data.shipments[${i}].shippedAt`) };
  });
  const c = obj(d.customer) ?? {};
  const s = obj(d.shippingAddress) ?? {};
  const paid = !!paidAt || topic === 'order.paid';
  const shipped = shipments.length > 0 || topic === 'order.shipped';
  return {
    platformOrderId,
    orderNumber: str(d.orderNumber) ?? platformOrderId,
    paymentMethod: paymentMethod as PaymentMethod,
    platformStatus: str(d.status),
    currency,
    amounts: {
      items: a.items !== undefined ? m(a.items, 'data.amounts.items') : sum(lines.map((l) => l.amount), 'items'),
      discount: m(a.discount, 'data.amounts.discount'),
      shipping: m(a.shipping, 'data.amounts.shipping'),
      tax: m(a.tax, 'data.amounts.tax'),
      other: m(a.other, 'data.amounts.other'),
      total: m(a.total, 'data.amounts.total'),
    },
    lines,
    customer: { name: text(c.name), phone: str(c.phone), email: str(c.email) },
    shippingAddress: {
      country: str(s.country),
      province: text(s.province),
      city: text(s.city),
      district: text(s.district),
      address: text(s.address),
      postcode: str(s.postcode),
    },
    note: text(d.note),
    carrier: str(d.carrier),
    placedAt: date(d.createdAt ?? envelope.occurredAt, 'data.createdAt', true),
    updatedAt,
    facts: {
      paid,
      paidAt: paid ? (paidAt ?? updatedAt) : null,
      cancelled: !!cancelledAt || topic === 'order.cancelled',
      cancelReason: text(d.cancelReason),
      shipped,
      shipments,
      delivered: shipped && !!deliveredAt,
      deliveredAt,
    },
    refunds: [],
  };
}

export function mapGenericRefund(d: Obj, shop: ShopContext): PlatformRefund {
  const platformRefundId = idText(d.refundId);
  const platformOrderId = idText(d.orderId);
  if (!platformRefundId || !platformOrderId) throw new PayloadError('data.refundId and data.orderId are required');
  const currency = currencyOf(d.currency, shop.currency);
  if (d.amount === undefined) throw new PayloadError('data.amount is missing');
  return {
    platformRefundId,
    platformOrderId,
    amount: money(d.amount, currency, 'data.amount'),
    currency,
    reason: text(d.reason),
    refundedAt: date(d.refundedAt, 'data.refundedAt', true),
  };
}

/** SPEC §9 `data: {reviewId, orderId (the platform order id), rating, content, reviewedAt}`, plus an optional `updatedAt`. */
export function mapGenericReview(topic: string, d: Obj, envelope: Obj): PlatformReview {
  const platformReviewId = idText(d.reviewId);
  if (!platformReviewId) throw new PayloadError('data.reviewId is missing');
  if (platformReviewId.length > 200 || platformReviewId.includes('\u0000')) throw new PayloadError('data.reviewId must be at most 200 characters, without NUL');
  const platformOrderId = idText(d.orderId);
  if (platformOrderId && (platformOrderId.length > 100 || platformOrderId.includes('\u0000'))) throw new PayloadError('data.orderId must be at most 100 characters, without NUL');
  const rating = typeof d.rating === 'string' && /^\s*\d\s*$/.test(d.rating) ? Number(d.rating) : d.rating;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) throw new PayloadError('data.rating must be a whole number of stars, 1–5');
  if (d.content !== undefined && d.content !== null && typeof d.content !== 'string') throw new PayloadError('data.content must be text');
  const content = text(d.content) ?? '';
  if (content.length > 5000) throw new PayloadError('data.content is longer than 5000 characters');
  const reviewedAt = date(d.reviewedAt, 'data.reviewedAt', true);
  return {
    topic: topic === 'review.updated' ? 'updated' : 'created',
    platformReviewId,
    platformOrderId,
    rating,
    content,
    reviewedAt,
    updatedAt: date(d.updatedAt ?? envelope.occurredAt, 'data.updatedAt', true),
  };
}
