import type { EntityManager } from 'typeorm';
import type { RelatedCase } from '../kernel/cases/case-index.js';
import type { TimelineEntry } from '../kernel/timeline/timeline.service.js';
import type { OrderDetailParts } from './dto/order-response.dto.js';
import { Order, OrderConfirmationCall, OrderLine, PlatformRefundRecord } from './order.entity.js';
import type { OrderShipmentView } from './order-shipments.port.js';
import type { PendingGiftDto } from './pending-gifts.js';

/** A timestamp as whole epoch milliseconds in JSON (the driver's Date has ms precision too). */
const ms = (col: string) => `floor(extract(epoch FROM ${col}) * 1000)`;

/**
 * Everything an order's detail shows, read in ONE statement (SPEC §13: a case action answers with
 * the detail, so its cost is paid on every action): the order row, and as JSON arrays its lines,
 * shipments, related cases (case_index), confirmation calls, platform refunds, timeline and the
 * customer's pending gifts (pending-gifts.ts holds the rule, repeated here as SQL).
 */
const DETAIL_PARTS = `
  (SELECT COALESCE(json_agg(json_build_object('id', l.id, 'lineNo', l.line_no, 'platformLineId', l.platform_line_id, 'sku', l.sku, 'title', l.title,
          'quantity', l.quantity, 'unitPrice', l.unit_price::text, 'amount', l.amount::text) ORDER BY l.line_no), '[]')
     FROM order_lines l WHERE l.order_id = o.id) AS d_lines,
  (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'carrier', s.carrier, 'carrierName', s.carrier_name, 'trackingNo', s.tracking_no,
          'originProvince', s.origin_province, 'destProvince', s.dest_province, 'status', s.status, 'source', s.source,
          'lastEventAt', ${ms('s.last_event_at')}, 'createdAt', ${ms('s.created_at')}) ORDER BY s.created_at, s.id), '[]')
     FROM shipments s WHERE s.merchant_id = o.merchant_id AND s.order_id = o.id) AS d_shipments,
  (SELECT COALESCE(json_agg(json_build_object('type', c.machine, 'id', c.case_id, 'status', c.status, 'open', c.closed_at IS NULL,
          'createdAt', ${ms('c.opened_at')}) ORDER BY c.opened_at, c.case_id), '[]')
     FROM case_index c WHERE c.merchant_id = o.merchant_id AND c.order_id = o.id AND c.kind = 'case') AS d_cases,
  (SELECT COALESCE(json_agg(json_build_object('id', k.id, 'outcome', k.outcome, 'note', k.note, 'staffId', k.staff_id,
          'createdAt', ${ms('k.created_at')}) ORDER BY k.created_at, k.id), '[]')
     FROM order_confirmation_calls k WHERE k.order_id = o.id) AS d_calls,
  (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'platformRefundId', r.platform_refund_id, 'amount', r.amount::text, 'currency', r.currency,
          'reason', r.reason, 'refundedAt', ${ms('r.refunded_at')}) ORDER BY r.refunded_at, r.id), '[]')
     FROM platform_refunds r WHERE r.order_id = o.id) AS d_refunds,
  (SELECT COALESCE(json_agg(json_build_object('id', t.id::text, 'at', ${ms('t.at')}, 'actorType', t.actor_type, 'actorId', t.actor_id, 'action', t.action,
          'from', t.from_status, 'to', t.to_status, 'version', t.version, 'note', t.note, 'data', t.data) ORDER BY t.id), '[]')
     FROM timeline_events t WHERE t.merchant_id = o.merchant_id AND t.subject_type = 'order' AND t.subject_id = o.id) AS d_timeline,
  (SELECT COALESCE(json_agg(json_build_object('claimId', g.claim_id, 'sourceOrderId', g.source_order_id, 'note', g.note, 'giftCost', g.gift_cost::text,
          'status', g.status, 'promisedAt', ${ms('g.created_at')}) ORDER BY g.created_at, g.id), '[]')
     FROM customer_gifts g
    WHERE g.merchant_id = o.merchant_id AND (g.given_order_id = o.id
       OR (g.status = 'pending' AND g.customer_phone_e164 = o.customer_phone_e164 AND g.source_order_id <> o.id
           -- a reship replaces goods; the gift goes with the customer's next purchase
           AND o.reship_of IS NULL))) AS d_gifts`;

interface Raw {
  d_lines: Array<Record<string, unknown>>;
  d_shipments: Array<Record<string, unknown>>;
  d_cases: Array<Record<string, unknown>>;
  d_calls: Array<Record<string, unknown>>;
  d_refunds: Array<Record<string, unknown>>;
  d_timeline: Array<Record<string, unknown>>;
  d_gifts: Array<Record<string, unknown>>;
}

const date = (v: unknown): Date => new Date(Number(v));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/** The order (of the merchant) with every part of its detail but the caller's allowed actions; null when none. */
export async function readOrderDetail(manager: EntityManager, merchantId: string, orderId: string): Promise<Omit<OrderDetailParts, 'allowedActions'> | null> {
  const { entities, raw } = await manager
    .getRepository(Order)
    .createQueryBuilder('o')
    .addSelect(DETAIL_PARTS)
    .where('o.id = :id AND o.merchant_id = :m', { id: orderId, m: merchantId })
    .getRawAndEntities<Raw>();
  const order = entities[0];
  const r = raw[0];
  if (!order || !r) return null;
  return {
    order,
    lines: r.d_lines.map((l) => Object.assign(new OrderLine(), { ...l, orderId: order.id, merchantId, unitPrice: Number(l.unitPrice), amount: Number(l.amount) })),
    shipments: r.d_shipments.map((s) => ({ ...s, lastEventAt: dateOrNull(s.lastEventAt), createdAt: date(s.createdAt) }) as OrderShipmentView),
    relatedCases: r.d_cases.map((c) => ({ ...c, createdAt: date(c.createdAt) }) as RelatedCase),
    calls: r.d_calls.map((c) => Object.assign(new OrderConfirmationCall(), { ...c, orderId: order.id, merchantId, createdAt: date(c.createdAt) })),
    refunds: r.d_refunds.map((x) => Object.assign(new PlatformRefundRecord(), { ...x, amount: Number(x.amount), refundedAt: date(x.refundedAt) })),
    timeline: r.d_timeline.map(
      (t): TimelineEntry => ({
        id: String(t.id), at: date(t.at), actor: { type: t.actorType as TimelineEntry['actor']['type'], id: (t.actorId as string | null) ?? null }, action: String(t.action),
        from: (t.from as string | null) ?? null, to: (t.to as string | null) ?? null, version: (t.version as number | null) ?? null, note: (t.note as string | null) ?? null,
        data: (t.data as Record<string, unknown>) ?? {},
      }),
    ),
    pendingGifts: r.d_gifts.map((g) => ({ ...g, giftCost: Number(g.giftCost), promisedAt: date(g.promisedAt) }) as PendingGiftDto),
  };
}
