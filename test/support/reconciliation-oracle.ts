import type { DataSource, EntityManager } from 'typeorm';

/**
 * The reconciliation's matching as the report computed it per request before the pairing was kept
 * on the rows (docs/refunds.md; the report's SQL until then, verbatim): the oracle the stored
 * pairing must equal, whatever order the two sides arrived in.
 */
const ORACLE_SQL = `
WITH i AS (
  SELECT r.id, r.shop_id, r.order_id, r.amount, r.platform_refund_id, r.created_at
    FROM refunds r
   WHERE r.merchant_id = $1 AND r.status IN ('pending', 'succeeded')
),
p AS (
  SELECT pr.id, pr.shop_id, pr.platform_order_id, pr.platform_refund_id, pr.amount, pr.refunded_at
    FROM platform_refunds pr
   WHERE pr.merchant_id = $1
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
)
SELECT r.id AS refund_id, p.id AS platform_id,
       CASE WHEN p.id IS NULL THEN 'missing_on_platform' WHEN r.amount <> p.amount OR r.currency <> p.currency THEN 'amount_mismatch' ELSE 'matched' END AS result
  FROM refunds r LEFT JOIN pairs pa ON pa.iid = r.id LEFT JOIN platform_refunds p ON p.id = pa.pid
 WHERE r.merchant_id = $1 AND r.status IN ('pending', 'succeeded')
UNION ALL
SELECT NULL, p.id, 'missing_internally' FROM platform_refunds p
 WHERE p.merchant_id = $1 AND NOT EXISTS (SELECT 1 FROM pairs pa WHERE pa.pid = p.id)
ORDER BY 1, 2`;

/** What the stored pairing says, in the oracle's shape. */
const STORED_SQL = `
SELECT r.id AS refund_id, r.matched_platform_refund_id AS platform_id, r.match_result AS result
  FROM refunds r WHERE r.merchant_id = $1 AND r.match_result IS NOT NULL
UNION ALL
SELECT NULL, p.id, p.match_result FROM platform_refunds p WHERE p.merchant_id = $1 AND p.matched_refund_id IS NULL
ORDER BY 1, 2`;

export interface PairRow {
  refund_id: string | null;
  platform_id: string | null;
  result: string;
}

export const oraclePairs = (db: DataSource | EntityManager, merchantId: string): Promise<PairRow[]> => db.query(ORACLE_SQL, [merchantId]);
export const storedPairs = (db: DataSource | EntityManager, merchantId: string): Promise<PairRow[]> => db.query(STORED_SQL, [merchantId]);

/** Both sides agree: a platform refund's partner points back at it, with the same result. */
export async function inconsistentSides(db: DataSource, merchantId: string): Promise<unknown[]> {
  return db.query(
    `SELECT r.id, r.matched_platform_refund_id, p.matched_refund_id, r.match_result, p.match_result AS platform_result
       FROM refunds r JOIN platform_refunds p ON p.id = r.matched_platform_refund_id
      WHERE r.merchant_id = $1 AND (p.matched_refund_id IS DISTINCT FROM r.id OR p.match_result IS DISTINCT FROM r.match_result)
     UNION ALL
     SELECT r.id, r.matched_platform_refund_id, p.matched_refund_id, r.match_result, p.match_result
       FROM platform_refunds p LEFT JOIN refunds r ON r.id = p.matched_refund_id
      WHERE p.merchant_id = $1 AND p.matched_refund_id IS NOT NULL AND r.matched_platform_refund_id IS DISTINCT FROM p.id`,
    [merchantId],
  );
}
