import type { MigrationInterface, QueryRunner } from 'typeorm';

const REASONS = `'quality','damaged','leaking','wrong_item','missing_item','not_as_described','changed_mind','logistics','other'`;
const STATUSES_BEFORE = `'requested','approved','rejected','awaiting_return','received','inspected','refunding','refunded','exchange_shipped','completed','cancelled'`;

/**
 * Returns with lines as SPEC §7 has them: a reason per line, and per line what came back by
 * disposition (restock / damaged / missing), with the new `partially_received` state and a
 * `closed` end without refund. Platform-initiated returns: where a case came from, the platform's
 * return id (one case per platform return and shop) and whether the platform was told the decision.
 */
export class ReturnLinesAndPlatformReturns1764110000000 implements MigrationInterface {
  name = 'ReturnLinesAndPlatformReturns1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE return_cases DROP CONSTRAINT return_cases_status_check`);
    await q.query(`ALTER TABLE return_cases ADD CONSTRAINT return_cases_status_check CHECK (status IN (${STATUSES_BEFORE},'partially_received','closed'))`);
    await q.query(`
      ALTER TABLE return_cases
        ADD COLUMN close_reason text,
        ADD COLUMN source text NOT NULL DEFAULT 'staff' CHECK (source IN ('staff','platform')),
        ADD COLUMN platform_return_id text,
        ADD COLUMN platform_decision text CHECK (platform_decision IN ('approve','reject')),
        ADD COLUMN platform_decision_state text CHECK (platform_decision_state IN ('queued','sent','failed')),
        ADD COLUMN platform_decision_error text,
        ADD CONSTRAINT return_cases_platform_source_check CHECK ((source = 'platform') = (platform_return_id IS NOT NULL))`);
    // A platform return request opens one case, whatever redelivers it.
    await q.query(`CREATE UNIQUE INDEX return_cases_platform_uq ON return_cases (shop_id, platform_return_id) WHERE platform_return_id IS NOT NULL`);

    await q.query(`
      ALTER TABLE return_lines
        ADD COLUMN reason text CHECK (reason IN (${REASONS})),
        ADD COLUMN platform_line_id text,
        ADD COLUMN customer_note text,
        ADD COLUMN restocked integer NOT NULL DEFAULT 0 CHECK (restocked >= 0),
        ADD COLUMN damaged integer NOT NULL DEFAULT 0 CHECK (damaged >= 0),
        ADD COLUMN missing integer CHECK (missing >= 0),
        ADD CONSTRAINT return_lines_accounted_check CHECK (restocked + damaged + COALESCE(missing, 0) <= quantity)`);
    // Lines registered before had the return's reason.
    await q.query(`UPDATE return_lines rl SET reason = rc.reason FROM return_cases rc WHERE rc.id = rl.return_id`);
    await q.query(`ALTER TABLE return_lines ALTER COLUMN reason SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE return_lines DROP CONSTRAINT return_lines_accounted_check,
        DROP COLUMN missing, DROP COLUMN damaged, DROP COLUMN restocked, DROP COLUMN customer_note, DROP COLUMN platform_line_id, DROP COLUMN reason`);
    await q.query(`DROP INDEX return_cases_platform_uq`);
    await q.query(`
      ALTER TABLE return_cases DROP CONSTRAINT return_cases_platform_source_check,
        DROP COLUMN platform_decision_error, DROP COLUMN platform_decision_state, DROP COLUMN platform_decision, DROP COLUMN platform_return_id,
        DROP COLUMN source, DROP COLUMN close_reason`);
    // The states this migration added go back to their nearest older ones.
    await q.query(`UPDATE return_cases SET status = CASE status WHEN 'partially_received' THEN 'received' ELSE 'cancelled' END WHERE status IN ('partially_received','closed')`);
    await q.query(`UPDATE case_index SET status = 'cancelled', tags = '{closed}' WHERE machine = 'return' AND status = 'closed'`);
    await q.query(`UPDATE case_index SET status = 'received' WHERE machine = 'return' AND status = 'partially_received'`);
    await q.query(`ALTER TABLE return_cases DROP CONSTRAINT return_cases_status_check`);
    await q.query(`ALTER TABLE return_cases ADD CONSTRAINT return_cases_status_check CHECK (status IN (${STATUSES_BEFORE}))`);
  }
}
