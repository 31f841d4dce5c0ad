import type { EntityManager } from 'typeorm';

// Lives with orders, the lower of the two writers: orders record platform refunds, the refund
// ledger writes ours, and both pair in the same transaction as their insert.

/**
 * Where a refund event happened: the platform order whose refunds may pair differently now, and
 * the platform refund ids involved (platform refunds' own ids, or the id an internal refund just
 * learnt), if any.
 */
export interface PairingScope {
  shopId: string;
  platformOrderId: string;
  platformRefundIds?: Array<string | null>;
}

/**
 * Keeps the pairing of internal and platform refunds on the rows (refunds.matched_platform_refund_id
 * with a copy of the partner's id, amount and time; platform_refunds.matched_refund_id; match_result
 * on both), so the reconciliation report reads it instead of pairing the whole history per
 * request (SPEC §12, §13). The rule is the report's (docs/refunds.md), computed for the refunds of
 * a few platform orders at a time:
 *  1. same shop and same platform refund id (internal refunds pending or succeeded);
 *  2. otherwise internal refunds without a platform id are paired with the platform refunds left
 *     from rule 1 by (shop, platform order id, amount): the k-th of each side in time order
 *     (internal created_at, platform refunded_at, then id).
 * Both rules only ever relate refunds of one shop, and rule 2 only those of one platform order,
 * so re-deriving the pairs of the platform orders an event touches gives the same pairs as the
 * rule over all data — whatever order the two sides arrived in.
 *
 * $1 shop, $2 platform order ids. While the set is not closed — a pair found by id, or a pair
 * stored before, crosses into another platform order — nothing is written and `outside` names
 * the platform orders to lock and add.
 */
const REPAIR_SQL = `
WITH g AS (SELECT DISTINCT unnest($2::text[]) AS platform_order_id),
i AS MATERIALIZED (
  SELECT r.id, r.status, r.amount, r.currency, r.platform_refund_id, r.created_at, o.platform_order_id, r.matched_platform_refund_id AS was
    FROM orders o JOIN refunds r ON r.order_id = o.id
   WHERE o.shop_id = $1 AND o.platform_order_id IN (SELECT platform_order_id FROM g)
),
p AS MATERIALIZED (
  SELECT pr.id, pr.amount, pr.platform_refund_id, pr.refunded_at, pr.platform_order_id, pr.matched_refund_id AS was
    FROM platform_refunds pr
   WHERE pr.shop_id = $1 AND pr.platform_order_id IN (SELECT platform_order_id FROM g)
),
by_id AS MATERIALIZED (
  SELECT i.id AS iid, pr.id AS pid FROM i JOIN platform_refunds pr ON pr.shop_id = $1 AND pr.platform_refund_id = i.platform_refund_id
   WHERE i.status IN ('pending', 'succeeded')
  UNION
  SELECT r.id, p.id FROM p JOIN refunds r ON r.shop_id = $1 AND r.platform_refund_id = p.platform_refund_id
   WHERE r.status IN ('pending', 'succeeded')
),
outside AS (
  SELECT pr.platform_order_id FROM by_id b JOIN platform_refunds pr ON pr.id = b.pid
  UNION SELECT o.platform_order_id FROM by_id b JOIN refunds r ON r.id = b.iid JOIN orders o ON o.id = r.order_id
  UNION SELECT pr.platform_order_id FROM i JOIN platform_refunds pr ON pr.id = i.was
  UNION SELECT o.platform_order_id FROM p JOIN refunds r ON r.id = p.was JOIN orders o ON o.id = r.order_id
  EXCEPT SELECT platform_order_id FROM g
),
closed AS (SELECT NOT EXISTS (SELECT 1 FROM outside) AS ok),
i_rest AS (
  SELECT i.id, i.platform_order_id, i.amount,
         row_number() OVER (PARTITION BY i.platform_order_id, i.amount ORDER BY i.created_at, i.id) AS k
    FROM i WHERE i.status IN ('pending', 'succeeded') AND i.platform_refund_id IS NULL
),
p_rest AS (
  SELECT p.id, p.platform_order_id, p.amount,
         row_number() OVER (PARTITION BY p.platform_order_id, p.amount ORDER BY p.refunded_at, p.id) AS k
    FROM p WHERE p.id NOT IN (SELECT pid FROM by_id)
),
pairs AS (
  SELECT iid, pid FROM by_id
  UNION ALL
  SELECT ir.id, pr.id FROM i_rest ir
    JOIN p_rest pr ON pr.platform_order_id = ir.platform_order_id AND pr.amount = ir.amount AND pr.k = ir.k
),
result AS MATERIALIZED (
  SELECT pa.iid, pa.pid, pr.platform_refund_id, pr.amount, pr.refunded_at,
         CASE WHEN r.amount <> pr.amount OR r.currency <> pr.currency THEN 'amount_mismatch' ELSE 'matched' END AS res
    FROM pairs pa JOIN refunds r ON r.id = pa.iid JOIN platform_refunds pr ON pr.id = pa.pid
),
internal AS (
  -- the partner's id, amount and time are copied: platform refunds never change once written
  UPDATE refunds r SET matched_platform_refund_id = n.pid, matched_platform_ref = n.platform_refund_id, matched_platform_amount = n.amount,
                       matched_platform_refunded_at = n.refunded_at, match_result = n.res
    FROM (SELECT i.id, x.pid, x.platform_refund_id, x.amount, x.refunded_at,
                 CASE WHEN i.status IN ('pending', 'succeeded') THEN COALESCE(x.res, 'missing_on_platform') END AS res
            FROM i LEFT JOIN result x ON x.iid = i.id) n
   WHERE r.id = n.id AND (SELECT ok FROM closed)
     AND (r.matched_platform_refund_id IS DISTINCT FROM n.pid OR r.match_result IS DISTINCT FROM n.res)
  RETURNING 1
),
platform AS (
  UPDATE platform_refunds pr SET matched_refund_id = n.iid, match_result = n.res
    FROM (SELECT p.id, x.iid, COALESCE(x.res, 'missing_internally') AS res FROM p LEFT JOIN result x ON x.pid = p.id) n
   WHERE pr.id = n.id AND (SELECT ok FROM closed)
     AND (pr.matched_refund_id IS DISTINCT FROM n.iid OR pr.match_result IS DISTINCT FROM n.res)
  RETURNING 1
)
SELECT ARRAY(SELECT platform_order_id FROM outside ORDER BY 1) AS outside,
       (SELECT count(*) FROM internal)::int AS internal, (SELECT count(*) FROM platform)::int AS platform`;

const orderKey = (shopId: string, platformOrderId: string) => `refund-pairing:${shopId}:order:${platformOrderId}`;
const refundKey = (shopId: string, platformRefundId: string) => `refund-pairing:${shopId}:refund:${platformRefundId}`;

async function lockKeys(manager: EntityManager, keys: string[]): Promise<void> {
  // Always in one order, so two events locking overlapping sets wait instead of deadlocking.
  const sorted = [...new Set(keys)].sort();
  await manager.query('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($1::text[]) WITH ORDINALITY AS x(k, n)', [sorted]);
}

/**
 * Serialises the refund events of a platform order (and of a platform refund id) until the
 * transaction ends. Take it before changing a refund that is already visible to others (its
 * status, its platform id), so that a concurrent re-pairing never waits on that row while this
 * transaction waits on the lock. An advisory lock rather than the order row: a platform refund
 * may arrive before its order does.
 */
export async function lockRefundPairing(manager: EntityManager, scope: PairingScope): Promise<void> {
  const keys = [orderKey(scope.shopId, scope.platformOrderId)];
  for (const id of scope.platformRefundIds ?? []) if (id) keys.push(refundKey(scope.shopId, id));
  await lockKeys(manager, keys);
}

/**
 * Re-derives the pairs of the scope's platform order after one side was written, in the writer's
 * transaction, and stores them on both sides. Call with lockRefundPairing(scope) held; platform
 * orders a pair crosses into are locked and added on the way.
 */
export async function repairRefundPairing(manager: EntityManager, scope: Pick<PairingScope, 'shopId' | 'platformOrderId'>): Promise<void> {
  const orders = [scope.platformOrderId];
  for (let round = 0; round < 8; round++) {
    const [r]: Array<{ outside: string[] }> = await manager.query(REPAIR_SQL, [scope.shopId, orders]);
    if (!r.outside.length) return;
    await lockKeys(manager, r.outside.map((o) => orderKey(scope.shopId, o)));
    orders.push(...r.outside);
  }
  throw new Error(`refund pairing of order ${scope.platformOrderId} did not close over 8 rounds`);
}

/** lockRefundPairing then repairRefundPairing: for a side just inserted (not yet visible to others). */
export async function pairRefunds(manager: EntityManager, scope: PairingScope): Promise<void> {
  await lockRefundPairing(manager, scope);
  await repairRefundPairing(manager, scope);
}
