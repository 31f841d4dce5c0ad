import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA compliance for the after-sales summary (SPEC §12): case_index keeps only the current step's
 * deadline, and a transition clears the overdue mark, so whether a case ever missed a deadline is
 * lost once it moves on. `breached_at` keeps the first deadline the case missed: a step that
 * marks overdue (`on_due.mark`) breached when the sweeper marks it, or when the case leaves the
 * step (a new status or a new deadline) after its deadline. Steps whose deadline fires an action
 * (auto-close, escalate, unrevised) are waits, not service levels, and never breach.
 * Kept by a trigger so that every writer of case_index (engine, sweeper) is covered without
 * touching them. Existing rows: the overdue mark they carry now.
 */
export class CaseSlaBreaches1764210000000 implements MigrationInterface {
  name = 'CaseSlaBreaches1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_index ADD COLUMN breached_at timestamptz`);
    await q.query(`UPDATE case_index SET breached_at = COALESCE(due_at, overdue_at) WHERE overdue_at IS NOT NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_index_breach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.breached_at IS NULL AND OLD.breached_at IS NULL AND OLD.due_at IS NOT NULL AND OLD.on_due ? 'mark' AND (
             (NEW.overdue_at IS NOT NULL AND OLD.overdue_at IS NULL)
             OR ((NEW.status <> OLD.status OR NEW.due_at IS DISTINCT FROM OLD.due_at) AND OLD.due_at < NEW.updated_at)) THEN
          NEW.breached_at := OLD.due_at;
        ELSIF NEW.breached_at IS NULL THEN
          NEW.breached_at := OLD.breached_at;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER case_index_breach BEFORE UPDATE ON case_index FOR EACH ROW EXECUTE FUNCTION case_index_breach()`);
    // The summary's "opened in the period" range (resolved and closed have theirs).
    await q.query(`CREATE INDEX case_index_opened_idx ON case_index (merchant_id, opened_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_index_opened_idx`);
    await q.query(`DROP TRIGGER case_index_breach ON case_index`);
    await q.query(`DROP FUNCTION case_index_breach()`);
    await q.query(`ALTER TABLE case_index DROP COLUMN breached_at`);
  }
}
