import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case kernel: one index row per case of any module (and per order, whose timers the due
 * sweeper runs), written by the state-machine engine in the transaction of every create and
 * transition; orders get an assignee (SPEC §3 column; [002] 订单归属). The existing rows are
 * backfilled with the tags and due rules their machines declare today, and the two timer
 * queues the sweeper replaces are dropped.
 */
export class CaseIndex1764060000000 implements MigrationInterface {
  name = 'CaseIndex1764060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN assignee_id uuid REFERENCES staff(id)`);
    await q.query(`
      CREATE TABLE case_index (
        machine text NOT NULL,
        case_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('case', 'record')),
        merchant_id uuid NOT NULL,
        shop_id uuid,
        order_id uuid,
        status text NOT NULL,
        tags text[] NOT NULL,
        assignee_id uuid,
        due_at timestamptz,
        -- what happens when due_at passes: {"action": ..., "note"?, "retryMinutes"?} or {"mark": "overdue"}
        on_due jsonb,
        -- when the due sweeper should look at the row next; null when there is nothing to do
        next_sweep_at timestamptz,
        overdue_at timestamptz,
        opened_at timestamptz NOT NULL,
        resolved_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (machine, case_id)
      )`);
    // The sweeper: due rows, oldest first.
    await q.query(`CREATE INDEX case_index_sweep_idx ON case_index (next_sweep_at) WHERE next_sweep_at IS NOT NULL`);
    // Worklist and "everything overdue": open rows by deadline, and per assignee.
    await q.query(`CREATE INDEX case_index_due_idx ON case_index (merchant_id, due_at) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX case_index_assignee_idx ON case_index (merchant_id, assignee_id, due_at) WHERE closed_at IS NULL`);
    // "Open cases of this order" (order detail, the completion guard).
    await q.query(`CREATE INDEX case_index_order_idx ON case_index (merchant_id, order_id) WHERE kind = 'case' AND order_id IS NOT NULL`);
    // Reports: resolved / closed in a period; follow-ups by tag.
    await q.query(`CREATE INDEX case_index_resolved_idx ON case_index (merchant_id, resolved_at) WHERE resolved_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_index_closed_idx ON case_index (merchant_id, closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_index_tags_idx ON case_index USING gin (tags)`);

    await this.backfill(q, {
      machine: 'order', kind: 'record', table: 'orders', orderId: 'NULL::uuid',
      tags: {
        pending_payment: ['waiting_customer'], paid: ['open'], on_hold: ['open'], audited: ['open'], confirmed: ['open'], shipped: ['open'],
        delivered: ['open', 'resolved'], completed: ['closed', 'resolved'], cancelled: ['closed'],
      },
      onDue: { pending_payment: { action: 'follow-up-unpaid' }, delivered: { action: 'complete', retryMinutes: 10 } },
    });
    await this.backfill(q, {
      machine: 'logistics_exception', kind: 'case', table: 'logistics_exceptions', orderId: 't.order_id',
      tags: { open: ['open'], urged: ['open'], reship_required: ['open'], reshipped: ['open', 'resolved'], recalling: ['open', 'resolved'], closed: ['closed', 'resolved'] },
      onDue: {
        open: { mark: 'overdue' },
        urged: { action: 'escalate', note: 'no answer from the carrier within 24 h of urging: reship [002]' },
        reship_required: { mark: 'overdue' }, reshipped: { mark: 'overdue' }, recalling: { mark: 'overdue' },
      },
    });
    const overdue = { mark: 'overdue' };
    await this.backfill(q, {
      machine: 'return', kind: 'case', table: 'return_cases', orderId: 't.order_id',
      tags: {
        requested: ['open'], approved: ['open'], awaiting_return: ['waiting_customer'], received: ['open'], inspected: ['open'], refunding: ['open'],
        exchange_shipped: ['open', 'resolved'], rejected: ['closed', 'resolved'], refunded: ['closed', 'resolved'], completed: ['closed', 'resolved'], cancelled: ['closed'],
      },
      onDue: { requested: overdue, approved: overdue, awaiting_return: overdue, received: overdue, inspected: overdue, refunding: overdue, exchange_shipped: overdue },
    });

    // The per-case escalation job and the order timers' polling are replaced by the due sweeper.
    await q.query(`
      DO $$ BEGIN
        IF to_regproc('pgboss.delete_queue') IS NOT NULL THEN
          PERFORM pgboss.delete_queue(n) FROM unnest(ARRAY['logistics.exception-escalate', 'orders.unpaid-follow-up', 'orders.complete-due']) AS n
            WHERE EXISTS (SELECT 1 FROM pgboss.queue WHERE name = n);
        END IF;
      END $$`);
  }

  /** Index rows of one machine's table; times from its timeline where it has them. */
  private async backfill(
    q: QueryRunner,
    m: { machine: string; kind: string; table: string; orderId: string; tags: Record<string, string[]>; onDue: Record<string, object> },
  ): Promise<void> {
    const states = Object.keys(m.tags);
    const resolved = states.filter((s) => m.tags[s].includes('resolved'));
    await q.query(
      `INSERT INTO case_index (machine, kind, case_id, merchant_id, shop_id, order_id, status, tags, assignee_id, due_at, on_due, next_sweep_at,
                               overdue_at, opened_at, resolved_at, closed_at, updated_at)
       SELECT $1, $2, t.id, t.merchant_id, t.shop_id, ${m.orderId}, t.status, tg.tags, t.assignee_id, t.due_at,
              CASE WHEN t.due_at IS NOT NULL THEN od.on_due END,
              -- Timers still fire; a deadline that passed before the index existed is not news: marked, no event.
              CASE WHEN t.due_at IS NOT NULL AND od.on_due ? 'action' THEN t.due_at
                   WHEN t.due_at > now() AND od.on_due ? 'mark' THEN t.due_at END,
              CASE WHEN t.due_at <= now() AND od.on_due ? 'mark' THEN t.due_at END,
              t.created_at,
              CASE WHEN t.status = ANY($5::text[]) THEN COALESCE(
                (SELECT min(e.at) FROM timeline_events e WHERE e.subject_type = $1 AND e.subject_id = t.id AND e.to_status = ANY($5::text[])), t.updated_at) END,
              CASE WHEN 'closed' = ANY(tg.tags) THEN COALESCE(
                (SELECT max(e.at) FROM timeline_events e WHERE e.subject_type = $1 AND e.subject_id = t.id AND e.to_status = t.status), t.updated_at) END,
              t.updated_at
         FROM ${m.table} t
         JOIN jsonb_each($3::jsonb) AS tj(status, tags_json) ON tj.status = t.status
         CROSS JOIN LATERAL (SELECT array(SELECT jsonb_array_elements_text(tj.tags_json)) AS tags) tg
         LEFT JOIN LATERAL (SELECT $4::jsonb -> t.status AS on_due) od ON true
       ON CONFLICT (machine, case_id) DO NOTHING`,
      [m.machine, m.kind, JSON.stringify(m.tags), JSON.stringify(m.onDue), resolved],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_index`);
    await q.query(`ALTER TABLE orders DROP COLUMN assignee_id`);
  }
}
