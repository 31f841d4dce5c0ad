import type { EntityManager } from 'typeorm';
import { type SlaPause, slaPauseToJson } from '../calendar/sla-pause.js';
import type { CaseRow, MachineDefinition, OnDue } from '../state-machine/machine.js';

/** One row to write to case_index: the case as it is after a create or a transition. */
export interface IndexEntry {
  row: CaseRow;
  /** What happens when the row's due_at passes (the step's rule), or null. */
  onDue: OnDue | null;
  /**
   * The step's deadline held while the case waits on the customer (see SlaPause): set on entering
   * a `waiting_customer` state, null on leaving; undefined keeps what the row has.
   */
  sla?: SlaPause | null;
}

const COLS = 14;

/**
 * Writes the case index rows of `entries` in the caller's transaction, one statement per chunk.
 * `keepDue` (a transition that keeps the status and deadline: assign, note) leaves the row's
 * due rule, sweep time and overdue mark as they are. `resolved_at` is the first entry into a
 * `resolved` state; `closed_at` the entry into the current `closed` state (null again if the
 * case reopens).
 */
export async function writeCaseIndex(manager: EntityManager, machine: MachineDefinition, entries: IndexEntry[], at: Date, keepDue = false): Promise<void> {
  const kind = machine.kind ?? 'record';
  const keepSla = entries.every((e) => e.sla === undefined);
  if (!keepSla && entries.some((e) => e.sla === undefined)) throw new Error('writeCaseIndex: give every entry its sla pause, or none');
  const chunk = 5_000;
  for (let k = 0; k < entries.length; k += chunk) {
    // One array per column (unnest): a fixed number of parameters however many rows.
    const cols: unknown[][] = Array.from({ length: COLS }, () => []);
    for (const { row, onDue, sla } of entries.slice(k, k + chunk)) {
      const tags = machine.states[row.status]?.tags ?? [];
      const due = row.due_at ?? null;
      [
        row.id, row.merchant_id, row.shop_id ?? null, (row.order_id as string | null | undefined) ?? null, row.status, JSON.stringify(tags),
        (row.assignee_id as string | null | undefined) ?? null, due, due && onDue ? JSON.stringify(onDue) : null, due && onDue ? due : null,
        (row.created_at as Date | undefined) ?? at, tags.includes('resolved') ? at : null, tags.includes('closed') ? at : null,
        sla ? JSON.stringify(slaPauseToJson(sla)) : null,
      ].forEach((v, i) => cols[i].push(v));
    }
    await manager.query(
      `INSERT INTO case_index AS ci (machine, kind, case_id, merchant_id, shop_id, order_id, status, tags, assignee_id, due_at, on_due, next_sweep_at,
                                     opened_at, resolved_at, closed_at, overdue_at, updated_at, sla_paused)
       SELECT $1, $2, x.case_id, x.merchant_id, x.shop_id, x.order_id, x.status, ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.assignee_id, x.due_at, x.on_due,
              x.next_sweep_at, x.opened_at, x.resolved_at, x.closed_at, NULL, $3, x.sla_paused
         FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[], $11::jsonb[], $12::uuid[], $13::timestamptz[], $14::jsonb[], $15::timestamptz[],
                     $16::timestamptz[], $17::timestamptz[], $18::timestamptz[], $19::jsonb[])
              AS x(case_id, merchant_id, shop_id, order_id, status, tags, assignee_id, due_at, on_due, next_sweep_at, opened_at, resolved_at, closed_at, sla_paused)
       ON CONFLICT (machine, case_id) DO UPDATE SET
         shop_id = EXCLUDED.shop_id, order_id = EXCLUDED.order_id, status = EXCLUDED.status, tags = EXCLUDED.tags, assignee_id = EXCLUDED.assignee_id,
         due_at = EXCLUDED.due_at,
         on_due = CASE WHEN $4::boolean THEN ci.on_due ELSE EXCLUDED.on_due END,
         next_sweep_at = CASE WHEN $4::boolean THEN ci.next_sweep_at ELSE EXCLUDED.next_sweep_at END,
         overdue_at = CASE WHEN $4::boolean THEN ci.overdue_at ELSE NULL END,
         resolved_at = COALESCE(ci.resolved_at, EXCLUDED.resolved_at),
         closed_at = CASE WHEN EXCLUDED.closed_at IS NULL THEN NULL ELSE COALESCE(ci.closed_at, EXCLUDED.closed_at) END,
         sla_paused = CASE WHEN $5::boolean THEN ci.sla_paused ELSE EXCLUDED.sla_paused END,
         updated_at = EXCLUDED.updated_at`,
      [machine.name, kind, at, keepDue, keepSla, ...cols],
    );
  }
}

/** A case that concerns an order, as its detail lists it. */
export interface RelatedCase {
  /** Machine name of the case (e.g. `return`, `logistics_exception`). */
  type: string;
  id: string;
  status: string;
  /** Not closed: an open case keeps the order from completing. */
  open: boolean;
  createdAt: Date;
}

/** Every case (any module) about an order, oldest first: one indexed query. */
export async function casesOfOrder(manager: EntityManager, merchantId: string, orderId: string): Promise<RelatedCase[]> {
  const rows: Array<{ machine: string; case_id: string; status: string; closed_at: Date | null; opened_at: Date }> = await manager.query(
    `SELECT machine, case_id, status, closed_at, opened_at FROM case_index
      WHERE merchant_id = $1 AND order_id = $2 AND kind = 'case' ORDER BY opened_at, case_id`,
    [merchantId, orderId],
  );
  return rows.map((r) => ({ type: r.machine, id: r.case_id, status: r.status, open: r.closed_at === null, createdAt: r.opened_at }));
}

/** How many cases about an order are not closed (SPEC §5: the order completes only at zero). */
export async function countOpenCasesOfOrder(manager: EntityManager, merchantId: string, orderId: string): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await manager.query(
    `SELECT count(*)::int AS n FROM case_index WHERE merchant_id = $1 AND order_id = $2 AND kind = 'case' AND closed_at IS NULL`,
    [merchantId, orderId],
  );
  return n;
}
