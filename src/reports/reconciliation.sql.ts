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
 * One row per refund, internal (pending or succeeded) and platform, paired by a deterministic
 * rule (docs/refunds.md):
 *  1. same shop and same platform refund id;
 *  2. otherwise, internal refunds that have no platform id yet (manual, generic) are paired with
 *     platform refunds left over from rule 1 by (shop, platform order id, amount): the k-th of
 *     each side in time order (internal created_at, platform refunded_at; then id).
 * A pair belongs to the period of its internal refund; an unpaired platform refund to the period
 * of its refunded_at. Parameters: $1 merchant, $2 from, $3 to, $4 shop (or null).
 * RECONCILIATION_CTES is the pairing, a chain of CTEs ending in `joined` (one row per refund,
 * both sides); RECONCILIATION_SQL selects the period's rows from it.
 */
export const RECONCILIATION_CTES = `
WITH i AS (
  SELECT r.id, r.shop_id, r.order_id, r.amount, r.platform_refund_id, r.created_at
    FROM refunds r
   WHERE r.merchant_id = $1 AND r.status IN ('pending', 'succeeded') AND ($4::uuid IS NULL OR r.shop_id = $4::uuid)
),
p AS (
  SELECT pr.id, pr.shop_id, pr.platform_order_id, pr.platform_refund_id, pr.amount, pr.refunded_at
    FROM platform_refunds pr
   WHERE pr.merchant_id = $1 AND ($4::uuid IS NULL OR pr.shop_id = $4::uuid)
),
by_id AS (
  SELECT i.id AS iid, p.id AS pid FROM i JOIN p ON p.shop_id = i.shop_id AND p.platform_refund_id = i.platform_refund_id
),
i_rest AS (
  SELECT i.id, i.shop_id, o.platform_order_id, i.amount,
         row_number() OVER (PARTITION BY i.shop_id, o.platform_order_id, i.amount ORDER BY i.created_at, i.id) AS k
    FROM i JOIN orders o ON o.id = i.order_id WHERE i.platform_refund_id IS NULL
),
p_rest AS (
  SELECT p.id, p.shop_id, p.platform_order_id, p.amount,
         row_number() OVER (PARTITION BY p.shop_id, p.platform_order_id, p.amount ORDER BY p.refunded_at, p.id) AS k
    FROM p WHERE NOT EXISTS (SELECT 1 FROM by_id b WHERE b.pid = p.id)
),
pairs AS MATERIALIZED (
  SELECT iid, pid FROM by_id
  UNION ALL
  SELECT ir.id, pr.id FROM i_rest ir JOIN p_rest pr ON pr.shop_id = ir.shop_id AND pr.platform_order_id = ir.platform_order_id AND pr.amount = ir.amount AND pr.k = ir.k
),
joined AS (
  -- internal refunds, paired or not (the pair's period is the internal refund's)
  SELECT r.shop_id, r.order_id, o.platform_order_id, r.id AS refund_id, COALESCE(p.platform_refund_id, r.platform_refund_id) AS platform_refund_id,
         r.amount AS internal_amount, p.amount AS platform_amount, trim(r.currency) AS currency, r.reason,
         r.source_type, r.source_id, r.responsibility, r.status, r.created_at, p.refunded_at AS platform_refunded_at,
         o.order_number, o.customer_name, r.created_at AS at, r.id AS tiebreak,
         CASE WHEN p.id IS NULL THEN 'missing_on_platform'
              WHEN r.amount <> p.amount OR r.currency <> p.currency THEN 'amount_mismatch'
              ELSE 'matched' END AS match_result
    FROM refunds r
    JOIN orders o ON o.id = r.order_id
    LEFT JOIN pairs pa ON pa.iid = r.id
    LEFT JOIN platform_refunds p ON p.id = pa.pid
   WHERE r.merchant_id = $1 AND r.status IN ('pending', 'succeeded') AND ($4::uuid IS NULL OR r.shop_id = $4::uuid)
  UNION ALL
  -- platform refunds nobody here made (the period is their refunded_at)
  SELECT p.shop_id, p.order_id, p.platform_order_id, NULL, p.platform_refund_id, NULL, p.amount, trim(p.currency), p.reason,
         NULL, NULL, NULL, NULL, NULL, p.refunded_at, o.order_number, o.customer_name, p.refunded_at, p.id, 'missing_internally'
    FROM platform_refunds p
    LEFT JOIN orders o ON o.id = p.order_id
   WHERE p.merchant_id = $1 AND ($4::uuid IS NULL OR p.shop_id = $4::uuid)
     AND NOT EXISTS (SELECT 1 FROM pairs pa WHERE pa.pid = p.id)
)`;

export const RECONCILIATION_SQL = `${RECONCILIATION_CTES}
SELECT j.shop_id, s.name AS shop_name, j.order_id, j.order_number, j.platform_order_id, j.customer_name, j.refund_id, j.platform_refund_id,
       j.internal_amount::text AS internal_amount, j.platform_amount::text AS platform_amount, j.currency, j.reason,
       j.source_type, j.source_id, j.responsibility, j.status, j.created_at, j.platform_refunded_at, j.match_result
  FROM joined j
  JOIN shops s ON s.id = j.shop_id
 WHERE j.at >= $2::timestamptz AND j.at < $3::timestamptz
 ORDER BY j.at, j.tiebreak`;

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
