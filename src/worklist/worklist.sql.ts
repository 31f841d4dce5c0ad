/**
 * The worklist's SQL: one statement per section, each returning at most `limit` items with the
 * section's full count beside them (a window count, taken before the LIMIT). Every statement
 * reads the same parameters:
 *
 *   $1 merchant id   $2 shop id or null   $3 assignee id or null   $4 now
 *   $5 day start     $6 day end           $7 item limit            $8 hours to ship   $9 due-soon hours
 *
 * Sources read the case index (written by the engine in every transition's transaction) and,
 * where a section needs a module's own facts (a review's rating, a refund's amount, a photo's
 * bytes), that module's table joined by primary key.
 */

/** The columns every source yields, so that sections can UNION sources of different modules. */
const ITEM_COLUMNS = 'module, id, shop_id, order_id, status, assignee_id, opened_at, due_at, kind, extra, amount, currency, rank';

const TENANCY = (alias: string, assignee = `${alias}.assignee_id`) =>
  `${alias}.merchant_id = $1 AND ($2::uuid IS NULL OR ${alias}.shop_id = $2) AND ($3::uuid IS NULL OR ${assignee} = $3)`;

/**
 * One indexed row of any machine with the facts its title needs (the module's table, joined only
 * for rows of that machine). An order's own id is its orderId.
 */
function caseItems(where: string, opts: { due?: string; rank?: string; kind?: string } = {}): string {
  return `
    SELECT ci.machine AS module, ci.case_id AS id, ci.shop_id,
           CASE WHEN ci.machine = 'order' THEN ci.case_id ELSE ci.order_id END AS order_id,
           ci.status, ci.assignee_id, ci.opened_at, ${opts.due ?? 'ci.due_at'} AS due_at,
           ${opts.kind ?? 'COALESCE(cl.type, cp.category, rv.rating::text, rc.type, le.kind, fu.source_module, tk.title)'} AS kind,
           cp.severity AS extra, NULL::bigint AS amount, NULL::text AS currency, ${opts.rank ?? '0'} AS rank
      FROM case_index ci
      LEFT JOIN claims cl ON ci.machine = 'claim' AND cl.id = ci.case_id
      LEFT JOIN complaints cp ON ci.machine = 'complaint' AND cp.id = ci.case_id
      LEFT JOIN reviews rv ON ci.machine = 'review' AND rv.id = ci.case_id
      LEFT JOIN return_cases rc ON ci.machine = 'return' AND rc.id = ci.case_id
      LEFT JOIN logistics_exceptions le ON ci.machine = 'logistics_exception' AND le.id = ci.case_id
      LEFT JOIN follow_ups fu ON ci.machine = 'follow_up' AND fu.id = ci.case_id
      LEFT JOIN tasks tk ON ci.machine = 'task' AND tk.id = ci.case_id
     WHERE ${TENANCY('ci')} AND ${where}`;
}

/** A bad (差评 1–2) or neutral (中评 3) review as it stands now (SPEC §9). */
const NEUTRAL_OR_BAD = `ci.machine = 'review' AND rv.rating <= 3`;

/**
 * [002 一] 退款中订单以及售后退款订单: refunds written but not paid yet (the ledger, not indexed),
 * and return cases still open — unless a pending refund of theirs already stands for them.
 * A refund is the work of its source case's assignee, else of the agent it counts against.
 */
const REFUNDS_IN_PROGRESS = `
    SELECT 'refund'::text AS module, r.id, r.shop_id, r.order_id, r.status, COALESCE(src.assignee_id, r.agent_id) AS assignee_id,
           r.created_at AS opened_at, r.due_at, r.source_type AS kind, NULL::text AS extra, r.amount, r.currency::text AS currency, 0 AS rank
      FROM refunds r
      LEFT JOIN case_index src ON src.machine = r.source_type AND src.case_id = r.source_id
     WHERE ${TENANCY('r', 'COALESCE(src.assignee_id, r.agent_id)')} AND r.status = 'pending'
    UNION ALL
    ${caseItems(`ci.machine = 'return' AND ci.closed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM refunds p WHERE p.source_type = 'return' AND p.source_id = ci.case_id AND p.status = 'pending')`)}`;

/** [002 二] 查看是否有投诉, 举报: every open serious complaint, then the new ones (not yet assessed). */
const COMPLAINTS = caseItems(`ci.machine = 'complaint' AND ci.closed_at IS NULL AND (cp.severity = 'serious' OR ci.status = 'received')`, {
  rank: `CASE WHEN cp.severity = 'serious' THEN 0 ELSE 1 END`,
});

/** [002 三/七/十] 财务确认: audited orders waiting for the next 12:00 / 16:00 batch (their due_at). */
const FINANCE_CONFIRMATION = caseItems(`ci.machine = 'order' AND ci.status = 'audited'`, { kind: `'awaiting_finance'::text` });

/** [002 五] 前一天遗留下来的售后问题: cases opened before the day began and still open. */
const CARRIED_OVER = caseItems(`ci.kind = 'case' AND ci.closed_at IS NULL AND ci.opened_at < $5`);

/**
 * [002 六] 查看中差评: open neutral/bad reviews written on the day, or that reached us on it
 * (staff register reviews of platforms without a review webhook after the fact).
 */
const NEW_BAD_REVIEWS = caseItems(
  `${NEUTRAL_OR_BAD} AND ci.closed_at IS NULL AND ((rv.reviewed_at >= $5 AND rv.reviewed_at < $6) OR (ci.opened_at >= $5 AND ci.opened_at < $6))`,
);

/**
 * [002 八] 查看负面评价并回复: open neutral/bad reviews with no public reply yet; the reply is due
 * 24 h after the review (SPEC §9), which is the item's dueAt here.
 */
const BAD_REVIEWS_WITHOUT_REPLY = caseItems(`${NEUTRAL_OR_BAD} AND ci.closed_at IS NULL AND rv.public_reply_at IS NULL`, {
  due: `rv.reviewed_at + interval '24 hours'`,
});

/** [002 九] 联系中差评: reviews whose customer has not been reached yet (first attempt, or after no answer). */
const REVIEWS_AWAITING_CONTACT = caseItems(`ci.machine = 'review' AND ci.status IN ('open', 'contacting')`);

/**
 * [002 十一] 检查各店铺未发货订单: paid orders not handed to a carrier — not shipped yet, or
 * reported shipped while no parcel of theirs has a carrier scan after the shipping time has run
 * out (a waybill printed, the parcel never collected). The item's dueAt is the ship-by time:
 * payment (acceptance, for cash on delivery) plus the hours to ship.
 */
const LATE_OR_UNSHIPPED_ORDERS = `
    SELECT 'order'::text AS module, ci.case_id AS id, ci.shop_id, ci.case_id AS order_id, ci.status, ci.assignee_id, ci.opened_at,
           COALESCE(od.paid_at, od.placed_at) + make_interval(hours => $8) AS due_at,
           CASE WHEN ci.status = 'shipped' THEN 'not_collected' ELSE 'unshipped' END AS kind,
           NULL::text AS extra, NULL::bigint AS amount, NULL::text AS currency, 0 AS rank
      FROM case_index ci
      JOIN orders od ON od.id = ci.case_id
     WHERE ${TENANCY('ci')} AND ci.machine = 'order'
       AND (ci.status IN ('paid', 'on_hold', 'audited', 'confirmed')
            OR (ci.status = 'shipped' AND COALESCE(od.paid_at, od.placed_at) + make_interval(hours => $8) < $4
                AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = od.id AND (s.last_event_at IS NOT NULL OR s.status <> 'pending_pickup'))))`;

/**
 * Everything open past its deadline or within the due-soon window of it: cases, follow-ups and
 * tasks. Orders are left to their own sections: their deadlines are timers (the unpaid follow-up,
 * the finance batch, completion), not a person's work.
 */
const DUE_SOON_OR_OVERDUE = caseItems(`ci.machine <> 'order' AND ci.closed_at IS NULL AND ci.due_at <= $4 + make_interval(hours => $9)`);

/** [000 三天之内回访] follow-up calls due by the end of the day, overdue ones included. */
const FOLLOW_UPS_DUE = caseItems(`ci.machine = 'follow_up' AND ci.closed_at IS NULL AND ci.due_at < $6`);

/**
 * [002 辨别真实性] open cases holding a file whose bytes another case of the merchant held first
 * (attachments by sha256), and claims the claims module flagged at upload.
 */
const SUSPECTED_PHOTO_REUSE = caseItems(`ci.closed_at IS NULL AND (cl.suspected_reuse_of IS NOT NULL OR EXISTS (
      SELECT 1 FROM attachments a
        JOIN attachments b ON b.merchant_id = a.merchant_id AND b.sha256 = a.sha256 AND b.seq < a.seq
                          AND (b.case_module <> a.case_module OR b.case_id <> a.case_id)
       WHERE a.merchant_id = ci.merchant_id AND a.case_module = ci.machine AND a.case_id = ci.case_id))`);

/** A section's statement: its items (oldest first, after its rank), the order number, the full count. */
function sectionSql(source: string): string {
  // Every statement receives all nine parameters; typing them once here lets a section use any.
  return `
    WITH params AS (SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::int, $8::int, $9::int)
    SELECT i.*, o.order_number AS order_no, count(*) OVER ()::int AS total
      FROM (SELECT ${ITEM_COLUMNS} FROM (${source}) s) i
      LEFT JOIN orders o ON o.id = i.order_id
     ORDER BY i.rank, i.opened_at, i.id
     LIMIT $7`;
}

export const SECTION_SQL = {
  refunds_in_progress: sectionSql(REFUNDS_IN_PROGRESS),
  complaints: sectionSql(COMPLAINTS),
  finance_confirmation: sectionSql(FINANCE_CONFIRMATION),
  carried_over: sectionSql(CARRIED_OVER),
  new_bad_reviews: sectionSql(NEW_BAD_REVIEWS),
  bad_reviews_without_reply: sectionSql(BAD_REVIEWS_WITHOUT_REPLY),
  reviews_awaiting_contact: sectionSql(REVIEWS_AWAITING_CONTACT),
  late_or_unshipped_orders: sectionSql(LATE_OR_UNSHIPPED_ORDERS),
  due_soon_or_overdue: sectionSql(DUE_SOON_OR_OVERDUE),
  follow_ups_due: sectionSql(FOLLOW_UPS_DUE),
  suspected_photo_reuse: sectionSql(SUSPECTED_PHOTO_REUSE),
} as const;

/** One row of a section statement. */
export interface SectionRow {
  module: string;
  id: string;
  shop_id: string | null;
  order_id: string | null;
  order_no: string | null;
  status: string;
  assignee_id: string | null;
  opened_at: Date;
  due_at: Date | null;
  kind: string | null;
  extra: string | null;
  amount: string | null;
  currency: string | null;
  total: number;
}
