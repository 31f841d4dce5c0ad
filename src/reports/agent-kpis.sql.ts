/**
 * The agent KPI sheet's inputs [002 售前客服绩效核标准], one query per component, all for the
 * listed agents at once. Parameters: $1 merchant, $2 from (inclusive), $3 to (exclusive),
 * $4 shop or null, $5 agent ids, $6 now. Each returns one row per counted item (the service
 * counts them and lists their ids).
 */

/** 五: neutral/bad reviews (rating as left, 1–3) a diagnosis found service-caused, by the responsible agent, left in the month. */
export const SERVICE_REVIEWS_SQL = `
  SELECT responsible_staff_id AS agent_id, id, rating_before AS rating FROM reviews
   WHERE merchant_id = $1 AND reviewed_at >= $2 AND reviewed_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid)
     AND service_caused AND rating_before <= 3 AND responsible_staff_id = ANY($5::uuid[])
   ORDER BY reviewed_at, id`;

/**
 * 六: per agent, paid orders attributed to them (paid_at in the month) and those of their orders
 * with a refund that succeeded in the month — RefundRateService's definitions on the agent's deals
 * (退款笔数/成交笔数), for every agent of the merchant so the team rate is the same for everyone.
 */
export const REFUND_RATE_SQL = `
  WITH paid AS (
    SELECT assignee_id AS agent_id, count(*)::int AS n FROM orders
     WHERE merchant_id = $1 AND paid_at >= $2 AND paid_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid) AND assignee_id = ANY($5::uuid[])
     GROUP BY assignee_id),
  refunded AS (
    SELECT o.assignee_id AS agent_id, count(DISTINCT r.order_id)::int AS n,
           (array_agg(DISTINCT r.order_id::text))[1:50] AS order_ids
      FROM refunds r JOIN orders o ON o.id = r.order_id
     WHERE r.merchant_id = $1 AND r.status = 'succeeded' AND r.succeeded_at >= $2 AND r.succeeded_at < $3
       AND ($4::uuid IS NULL OR r.shop_id = $4::uuid) AND o.assignee_id = ANY($5::uuid[])
     GROUP BY o.assignee_id)
  SELECT a.id AS agent_id, COALESCE(p.n, 0) AS paid, COALESCE(r.n, 0) AS refunded, COALESCE(r.order_ids, '{}') AS order_ids
    FROM unnest($5::uuid[]) AS a(id) LEFT JOIN paid p ON p.agent_id = a.id LEFT JOIN refunded r ON r.agent_id = a.id`;

/**
 * 七: audit errors found in the month — those claims record (wrong goods traced to the audit) and
 * those supervisors record; with a shop, the findings about an order of that shop.
 */
export const AUDIT_ERRORS_SQL = `
  SELECT e.staff_id AS agent_id, e.id, e.severity, 'claim' AS source FROM audit_errors e JOIN claims c ON c.id = e.claim_id
   WHERE e.merchant_id = $1 AND e.at >= $2 AND e.at < $3 AND ($4::uuid IS NULL OR c.shop_id = $4::uuid) AND e.staff_id = ANY($5::uuid[])
  UNION ALL
  SELECT f.agent_id, f.id, f.severity, 'finding' AS source FROM audit_findings f LEFT JOIN orders o ON o.id = f.order_id
   WHERE f.merchant_id = $1 AND f.found_at >= $2 AND f.found_at < $3 AND ($4::uuid IS NULL OR o.shop_id = $4::uuid) AND f.agent_id = ANY($5::uuid[])
  ORDER BY source, id`;

/**
 * 二 值班流失单: orders placed in the month and still unpaid 20 minutes later (the timer's
 * follow-up task proves it), never paid, and nobody on the staff in contact with the customer
 * (a recorded contact or a call) within those 20 minutes. Charged to the duty agent the task was
 * given to (只考核当值人员), else to the agent the order is attributed to.
 */
export const LOST_ORDERS_SQL = `
  SELECT COALESCE(t.assignee_id, o.assignee_id) AS agent_id, o.id, o.order_number
    FROM orders o
    JOIN tasks t ON t.merchant_id = o.merchant_id AND t.kind = 'unpaid_order_follow_up' AND t.subject_id = o.id
   WHERE o.merchant_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3 AND ($4::uuid IS NULL OR o.shop_id = $4::uuid)
     AND o.paid_at IS NULL AND o.placed_at + make_interval(mins => $7) <= $6
     AND COALESCE(t.assignee_id, o.assignee_id) = ANY($5::uuid[])
     AND NOT EXISTS (SELECT 1 FROM order_contacts c WHERE c.order_id = o.id
                      AND c.contacted_at >= o.placed_at AND c.contacted_at <= o.placed_at + make_interval(mins => $7))
     AND NOT EXISTS (SELECT 1 FROM order_confirmation_calls cc WHERE cc.order_id = o.id
                      AND cc.created_at >= o.placed_at AND cc.created_at <= o.placed_at + make_interval(mins => $7))
   ORDER BY o.placed_at, o.id`;

/**
 * 八 日回访任务: follow-up calls assigned to the agent, due in the month, whose shop-local due day
 * has ended without the call being closed (done, or dismissed with a reason) by its end.
 */
export const FOLLOW_UPS_SQL = `
  SELECT f.assignee_id AS agent_id, f.id, f.due_at, ci.closed_at,
         ((date_trunc('day', f.due_at AT TIME ZONE s.timezone) + interval '1 day') AT TIME ZONE s.timezone) AS day_end
    FROM follow_ups f JOIN shops s ON s.id = f.shop_id
    LEFT JOIN case_index ci ON ci.machine = 'follow_up' AND ci.case_id = f.id
   WHERE f.merchant_id = $1 AND f.due_at >= $2 AND f.due_at < $3 AND ($4::uuid IS NULL OR f.shop_id = $4::uuid)
     AND f.assignee_id = ANY($5::uuid[])
   ORDER BY f.due_at, f.id`;

/** SLA breaches: every overdue mark of a case (any module) in the month, by the agent it was assigned to then. */
export const SLA_BREACHES_SQL = `
  SELECT assignee_id AS agent_id, machine, case_id, status, due_at, marked_at FROM sla_breaches
   WHERE merchant_id = $1 AND marked_at >= $2 AND marked_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid)
     AND assignee_id = ANY($5::uuid[])
   ORDER BY marked_at, id`;
