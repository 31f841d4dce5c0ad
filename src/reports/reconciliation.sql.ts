/** How an internal refund compares with what the platform reported. */
export enum MatchResult {
  /** Both sides, same amount and currency. */
  Matched = 'matched',
  /** In the ledger (pending or succeeded), not reported by the platform. */
  MissingOnPlatform = 'missing_on_platform',
  /** Reported by the platform, not in the ledger (a refund made directly on the platform). */
  MissingInternally = 'missing_internally',
  /** Both sides, different amount or currency. */
  AmountMismatch = 'amount_mismatch',
}

/**
 * SQL expressions for the report's inputs: bind placeholders (`$1`) for the JSON query, escaped
 * literals for the CSV's COPY (which takes no parameters). `shopId` is null for all shops.
 */
export interface ReconciliationScope {
  merchantId: string;
  from: string;
  to: string;
  shopId: string | null;
}

const ownedBy = (alias: string, s: ReconciliationScope) =>
  s.shopId === null ? `${alias}.merchant_id = ${s.merchantId}::uuid` : `${alias}.shop_id = ${s.shopId}::uuid AND ${alias}.merchant_id = ${s.merchantId}::uuid`;

/** What a range reads beside its refunds: the order (number, customer) and the shop (name). */
export interface RangeJoins {
  orders?: boolean;
  shops?: boolean;
}

/**
 * The report's two range scans. The pairing is kept on the rows (src/orders/refund-pairing.ts),
 * so a period is read, not computed: internal refunds that moved money (pending or succeeded,
 * i.e. with a match result) by created_at, carrying their platform partner's id, amount and time,
 * and platform refunds nobody here made by refunded_at. A pair belongs to the period of its
 * internal refund. Each is an index range in report order (refunds_report_idx,
 * platform_refunds_report_idx).
 */
export function internalRange(s: ReconciliationScope, joins: RangeJoins = {}): string {
  return `refunds r
    ${joins.orders ? 'JOIN orders o ON o.id = r.order_id' : ''}
    ${joins.shops ? 'JOIN shops sh ON sh.id = r.shop_id' : ''}
   WHERE ${ownedBy('r', s)} AND r.match_result IS NOT NULL AND r.created_at >= ${s.from}::timestamptz AND r.created_at < ${s.to}::timestamptz`;
}

export function platformRange(s: ReconciliationScope, joins: RangeJoins = {}): string {
  return `platform_refunds p
    ${joins.orders ? 'LEFT JOIN orders o ON o.id = p.order_id' : ''}
    ${joins.shops ? 'JOIN shops sh ON sh.id = p.shop_id' : ''}
   WHERE ${ownedBy('p', s)} AND p.matched_refund_id IS NULL AND p.refunded_at >= ${s.from}::timestamptz AND p.refunded_at < ${s.to}::timestamptz`;
}

/** One row per refund, both sides, in report order (time, then id). */
export function reconciliationRowsSql(s: ReconciliationScope): string {
  return `SELECT j.shop_id, sh.name AS shop_name, j.order_id, j.order_number, j.platform_order_id, j.customer_name, j.refund_id, j.platform_refund_id,
       j.internal_amount::text AS internal_amount, j.platform_amount::text AS platform_amount, j.currency, j.reason,
       j.source_type, j.source_id, j.responsibility, j.status, j.created_at, j.platform_refunded_at, j.match_result
  FROM (
  SELECT r.created_at AS at, r.id AS tiebreak, r.shop_id, r.order_id, o.order_number, o.platform_order_id, o.customer_name, r.id AS refund_id,
         COALESCE(r.matched_platform_ref, r.platform_refund_id) AS platform_refund_id, r.amount AS internal_amount,
         r.matched_platform_amount AS platform_amount, trim(r.currency) AS currency, r.reason, r.source_type, r.source_id, r.responsibility,
         r.status, r.created_at, r.matched_platform_refunded_at AS platform_refunded_at, r.match_result
    FROM ${internalRange(s, { orders: true })}
  UNION ALL
  SELECT p.refunded_at, p.id, p.shop_id, p.order_id, o.order_number, p.platform_order_id, o.customer_name, NULL,
         p.platform_refund_id, NULL, p.amount, trim(p.currency), p.reason, NULL, NULL, NULL, NULL, NULL, p.refunded_at, p.match_result
    FROM ${platformRange(s, { orders: true })}
  ) j
  JOIN shops sh ON sh.id = j.shop_id
 ORDER BY j.at, j.tiebreak`;
}

/** A row as PostgreSQL streams it (bigint as text, to stay exact). */
export interface ReconciliationSqlRow {
  shop_id: string;
  shop_name: string;
  order_id: string | null;
  order_number: string | null;
  platform_order_id: string;
  customer_name: string | null;
  refund_id: string | null;
  platform_refund_id: string | null;
  internal_amount: string | null;
  platform_amount: string | null;
  currency: string;
  reason: string | null;
  source_type: string | null;
  source_id: string | null;
  responsibility: string | null;
  status: string | null;
  created_at: Date | null;
  platform_refunded_at: Date | null;
  match_result: MatchResult;
}
