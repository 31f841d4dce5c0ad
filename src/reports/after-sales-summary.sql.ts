/**
 * The after-sales summary's aggregates (SPEC §12), one statement per block, all with the same
 * parameters: $1 merchant, $2 period start (inclusive), $3 period end (exclusive), $4 shop or
 * NULL for all, $5 the moment the report is read. Amounts are bigint sums returned as text
 * (exact); the service turns them into numbers. Every figure's definition is in docs/reports.md.
 */

const inPeriod = (col: string) => `(${col} >= $2 AND ${col} < $3)`;
const ofShop = (alias: string) => `($4::uuid IS NULL OR ${alias}.shop_id = $4::uuid)`;
/** A ratio with 4 decimals, NULL when there is nothing to divide by. */
const ratio = (num: string, den: string) => `CASE WHEN ${den} > 0 THEN round((${num})::numeric / (${den}), 4)::float8 END`;

/**
 * Cases by module and type from the case index, each joined to its own table for the type.
 * Good reviews (status no_action) never open a recovery and are left out.
 */
export const CASES_SQL = `
SELECT ci.machine AS module,
       COALESCE(c.type, r.type, co.category, le.kind,
                CASE WHEN rv.rating_before = 3 THEN 'neutral' WHEN rv.rating_before < 3 THEN 'bad' END) AS type,
       count(*) FILTER (WHERE ${inPeriod('ci.opened_at')})::int AS opened,
       count(*) FILTER (WHERE ${inPeriod('ci.resolved_at')})::int AS resolved,
       count(*) FILTER (WHERE ${inPeriod('ci.closed_at')})::int AS closed
  FROM case_index ci
  LEFT JOIN claims c ON ci.machine = 'claim' AND c.id = ci.case_id
  LEFT JOIN return_cases r ON ci.machine = 'return' AND r.id = ci.case_id
  LEFT JOIN complaints co ON ci.machine = 'complaint' AND co.id = ci.case_id
  LEFT JOIN logistics_exceptions le ON ci.machine = 'logistics_exception' AND le.id = ci.case_id
  LEFT JOIN reviews rv ON ci.machine = 'review' AND rv.id = ci.case_id
 WHERE ci.merchant_id = $1 AND ci.kind = 'case' AND ${ofShop('ci')}
   AND NOT (ci.machine = 'review' AND ci.status = 'no_action')
   AND (${inPeriod('ci.opened_at')} OR ${inPeriod('ci.resolved_at')} OR ${inPeriod('ci.closed_at')})
 GROUP BY 1, 2
 ORDER BY 1, 2`;

/** The same definitions as RefundRateService's overall row. */
export const REFUND_RATE_SQL = `
SELECT (SELECT count(*) FROM orders o WHERE o.merchant_id = $1 AND ${inPeriod('o.paid_at')} AND ${ofShop('o')})::int AS paid,
       (SELECT count(DISTINCT f.order_id) FROM refunds f
         WHERE f.merchant_id = $1 AND f.status = 'succeeded' AND ${inPeriod('f.succeeded_at')} AND ${ofShop('f')})::int AS refunded`;

/**
 * Compensation by kind and currency, each kind dated when it cost the merchant: a refund when it
 * succeeded, a reship when its order was created (goods at cost plus freight, as the case
 * recorded on the reship order's first timeline event), a claim gift when the next order took
 * it, a review's goods remedy when the customer accepted it, a complaint plan when carried out.
 */
export const COMPENSATION_SQL = `
WITH parts(currency, kind, amount) AS (
  SELECT trim(f.currency), 'refund', f.amount FROM refunds f
   WHERE f.merchant_id = $1 AND f.status = 'succeeded' AND ${inPeriod('f.succeeded_at')} AND ${ofShop('f')}
  UNION ALL
  SELECT trim(o.currency), 'reship', COALESCE((e.data ->> 'cost')::bigint, 0) FROM orders o
    JOIN timeline_events e ON e.subject_type = 'order' AND e.subject_id = o.id AND e.action = 'create'
   WHERE o.merchant_id = $1 AND o.reship_of IS NOT NULL AND ${inPeriod('o.created_at')} AND ${ofShop('o')}
  UNION ALL
  SELECT trim(rv.currency), CASE rv.remedy_type WHEN 'reship' THEN 'reship' ELSE 'gift' END, COALESCE(rv.remedy_amount, 0) FROM reviews rv
   WHERE rv.merchant_id = $1 AND rv.remedy_type IN ('reship', 'gift') AND ${inPeriod('rv.remedy_accepted_at')} AND ${ofShop('rv')}
  UNION ALL
  SELECT trim(g.currency), 'gift', g.gift_cost FROM customer_gifts g JOIN claims c ON c.id = g.claim_id
   WHERE g.merchant_id = $1 AND g.status = 'given' AND ${inPeriod('g.given_at')} AND ${ofShop('c')}
  UNION ALL
  SELECT trim(co.currency), 'complaint', co.cost FROM complaints co
   WHERE co.merchant_id = $1 AND co.cost > 0 AND ${inPeriod('co.implemented_at')} AND ${ofShop('co')}
), recovered(currency, amount) AS (
  SELECT trim(c.currency), c.recovered FROM claims c
   WHERE c.merchant_id = $1 AND c.recovered > 0 AND ${inPeriod('c.closed_at')} AND ${ofShop('c')}
  UNION ALL
  SELECT trim(le.currency), le.recovered FROM logistics_exceptions le
   WHERE le.merchant_id = $1 AND le.recovered > 0 AND ${inPeriod('le.closed_at')} AND ${ofShop('le')}
), costs AS (
  SELECT currency,
         COALESCE(sum(amount) FILTER (WHERE kind = 'refund'), 0) AS refunds, count(*) FILTER (WHERE kind = 'refund') AS refund_count,
         COALESCE(sum(amount) FILTER (WHERE kind = 'reship'), 0) AS reships, count(*) FILTER (WHERE kind = 'reship') AS reship_count,
         COALESCE(sum(amount) FILTER (WHERE kind = 'gift'), 0) AS gifts, count(*) FILTER (WHERE kind = 'gift') AS gift_count,
         COALESCE(sum(amount) FILTER (WHERE kind = 'complaint'), 0) AS complaint_remedies, count(*) FILTER (WHERE kind = 'complaint') AS complaint_remedy_count,
         sum(amount) AS total
    FROM parts GROUP BY currency
), back AS (SELECT currency, sum(amount) AS recovered FROM recovered GROUP BY currency)
SELECT COALESCE(k.currency, b.currency) AS currency,
       COALESCE(k.refunds, 0)::text AS refunds, COALESCE(k.refund_count, 0)::int AS refund_count,
       COALESCE(k.reships, 0)::text AS reships, COALESCE(k.reship_count, 0)::int AS reship_count,
       COALESCE(k.gifts, 0)::text AS gifts, COALESCE(k.gift_count, 0)::int AS gift_count,
       COALESCE(k.complaint_remedies, 0)::text AS complaint_remedies, COALESCE(k.complaint_remedy_count, 0)::int AS complaint_remedy_count,
       COALESCE(k.total, 0)::text AS total, COALESCE(b.recovered, 0)::text AS recovered,
       (COALESCE(k.total, 0) - COALESCE(b.recovered, 0))::text AS net
  FROM costs k FULL JOIN back b ON b.currency = k.currency
 ORDER BY 1`;

/** Carrier claims filed in the period, and what came back on cases closed in it. */
export const RECOVERIES_SQL = `
WITH x(module, currency, filed, claimed, closed_recovered, recovered, outcome) AS (
  SELECT 'claim', trim(c.currency),
         ${inPeriod('c.carrier_claimed_at')}, CASE WHEN ${inPeriod('c.carrier_claimed_at')} THEN c.carrier_claim_amount ELSE 0 END,
         ${inPeriod('c.closed_at')} AND c.recovered > 0, CASE WHEN ${inPeriod('c.closed_at')} THEN c.recovered ELSE 0 END,
         CASE WHEN ${inPeriod('c.closed_at')} THEN c.recovery_outcome END
    FROM claims c
   WHERE c.merchant_id = $1 AND ${ofShop('c')} AND c.carrier_claimed_at IS NOT NULL
     AND (${inPeriod('c.carrier_claimed_at')} OR ${inPeriod('c.closed_at')})
  UNION ALL
  SELECT 'logistics_exception', trim(le.currency), false, 0, true, le.recovered, NULL
    FROM logistics_exceptions le
   WHERE le.merchant_id = $1 AND ${ofShop('le')} AND le.recovered > 0 AND ${inPeriod('le.closed_at')}
)
SELECT module, currency,
       count(*) FILTER (WHERE filed)::int AS claims_filed, COALESCE(sum(claimed), 0)::text AS amount_claimed,
       count(*) FILTER (WHERE closed_recovered)::int AS cases_recovered, COALESCE(sum(recovered), 0)::text AS recovered,
       count(*) FILTER (WHERE outcome = 'full')::int AS full, count(*) FILTER (WHERE outcome = 'partial')::int AS partial,
       count(*) FILTER (WHERE outcome = 'none')::int AS none
  FROM x GROUP BY module, currency ORDER BY module, currency`;

const finishedAt = 'COALESCE(ci.resolved_at, ci.closed_at)';
const periodEnd = 'LEAST($3::timestamptz, $5::timestamptz)';

/**
 * Deadlines per module from the case index: `breached_at` is the first deadline a case missed
 * (migration CaseSlaBreaches). A case finished on time when it reached resolved (closed, for one
 * that never resolves) with no deadline missed before. Open overdue: open at the period's end (or
 * now, if earlier) with the deadline of the step it is in now passed by then, marked or not yet
 * swept (steps whose deadline fires an action are waits, not overdue).
 */
export const SLA_SQL = `
SELECT ci.machine AS module,
       count(*) FILTER (WHERE ${inPeriod(finishedAt)})::int AS finished,
       count(*) FILTER (WHERE ${inPeriod(finishedAt)} AND (ci.breached_at IS NULL OR ci.breached_at >= ${finishedAt}))::int AS on_time,
       count(*) FILTER (WHERE ci.opened_at < ${periodEnd} AND (ci.closed_at IS NULL OR ci.closed_at >= ${periodEnd})
                          AND ci.due_at < ${periodEnd} AND ci.on_due ? 'mark')::int AS open_overdue
  FROM case_index ci
 WHERE ci.merchant_id = $1 AND (ci.kind = 'case' OR ci.machine = 'follow_up') AND ${ofShop('ci')}
   AND NOT (ci.machine = 'review' AND ci.status = 'no_action')
   AND (${inPeriod(finishedAt)} OR (ci.opened_at < ${periodEnd} AND (ci.closed_at IS NULL OR ci.closed_at >= ${periodEnd})))
 GROUP BY 1 ORDER BY 1`;

/** 顾客投诉分类统计表 [000]: complaints reported in the period, category × department, then the totals. */
export const COMPLAINTS_SQL = `
SELECT COALESCE(co.category, 'total') AS category,
       count(*) FILTER (WHERE co.department = 'service')::int AS service,
       count(*) FILTER (WHERE co.department = 'warehouse')::int AS warehouse,
       count(*) FILTER (WHERE co.department = 'logistics')::int AS logistics,
       count(*) FILTER (WHERE co.department = 'product')::int AS product,
       count(*) FILTER (WHERE co.department = 'other')::int AS other,
       count(*) FILTER (WHERE co.department IS NULL)::int AS unassigned,
       count(*)::int AS total,
       count(*) FILTER (WHERE co.severity = 'serious')::int AS serious,
       count(*) FILTER (WHERE co.founded)::int AS founded
  FROM complaints co
 WHERE co.merchant_id = $1 AND ${inPeriod('co.reported_at')} AND ${ofShop('co')}
 GROUP BY ROLLUP (co.category)
 ORDER BY co.category IS NULL, co.category`;

/** Follow-up results recorded in the period per module followed, then all of them. */
export const SATISFACTION_SQL = `
SELECT COALESCE(f.source_module, 'all') AS module,
       count(*) FILTER (WHERE f.result = 'satisfied')::int AS satisfied,
       count(*) FILTER (WHERE f.result = 'neutral')::int AS neutral,
       count(*) FILTER (WHERE f.result = 'unsatisfied')::int AS unsatisfied,
       count(*)::int AS answered,
       ${ratio("count(*) FILTER (WHERE f.result = 'satisfied')", 'count(*)')} AS satisfaction_rate
  FROM follow_ups f
 WHERE f.merchant_id = $1 AND f.result IS NOT NULL AND ${inPeriod('f.recorded_at')} AND ${ofShop('f')}
 GROUP BY ROLLUP (f.source_module)
 ORDER BY f.source_module IS NULL, f.source_module`;

/** Neutral and bad reviews: received, closed and revised (turned around) in the period, and their cost. */
export const REVIEWS_SQL = `
SELECT trim(rv.currency) AS currency,
       count(*) FILTER (WHERE ${inPeriod('rv.reviewed_at')})::int AS received,
       count(*) FILTER (WHERE ${inPeriod('rv.closed_at')})::int AS closed,
       count(*) FILTER (WHERE rv.outcome = 'revised' AND ${inPeriod('rv.revised_at')})::int AS revised,
       count(*) FILTER (WHERE rv.outcome = 'revised' AND ${inPeriod('rv.revised_at')} AND rv.rating_before <= 2)::int AS revised_from_bad,
       count(*) FILTER (WHERE rv.outcome = 'revised' AND ${inPeriod('rv.revised_at')} AND rv.rating_before = 3)::int AS revised_from_neutral,
       ${ratio(`count(*) FILTER (WHERE rv.outcome = 'revised' AND ${inPeriod('rv.revised_at')})`, `count(*) FILTER (WHERE ${inPeriod('rv.closed_at')})`)} AS revision_rate,
       COALESCE(sum(rv.cost) FILTER (WHERE rv.outcome = 'revised' AND ${inPeriod('rv.revised_at')}), 0)::text AS revised_cost,
       COALESCE(sum(rv.cost) FILTER (WHERE ${inPeriod('rv.closed_at')}), 0)::text AS closed_cost
  FROM reviews rv
 WHERE rv.merchant_id = $1 AND rv.rating_before <= 3 AND ${ofShop('rv')}
   AND (${inPeriod('rv.reviewed_at')} OR ${inPeriod('rv.closed_at')} OR ${inPeriod('rv.revised_at')})
 GROUP BY 1 ORDER BY 1`;
