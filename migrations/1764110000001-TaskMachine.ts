import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Worklist tasks become an indexed record machine (SPEC §10: assigned, done or dismissed with a
 * reason): the engine's columns (version, updated_at), an assignee, the done note and the dismissal,
 * and one case_index row per task (kind `record`: never counted as an order's case) so the
 * worklist reads tasks with the cases and the due sweeper marks open ones overdue.
 */
export class TaskMachine1764110000001 implements MigrationInterface {
  name = 'TaskMachine1764110000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN assignee_id uuid REFERENCES staff(id),
        ADD COLUMN done_note text,
        ADD COLUMN dismiss_reason text,
        ADD COLUMN dismissed_at timestamptz`);
    await q.query(`ALTER TABLE tasks ALTER COLUMN status DROP DEFAULT`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open','done','dismissed'))`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_dismissed_check CHECK ((status = 'dismissed') = (dismiss_reason IS NOT NULL))`);
    await q.query(`UPDATE tasks SET updated_at = COALESCE(done_at, created_at)`);
    await q.query(`CREATE INDEX tasks_status_idx ON tasks (merchant_id, status, due_at)`);
    // Tasks written before: open ones due now or later get their overdue mark from the sweeper.
    await q.query(`
      INSERT INTO case_index (machine, kind, case_id, merchant_id, shop_id, order_id, status, tags, assignee_id, due_at, on_due, next_sweep_at,
                              opened_at, resolved_at, closed_at, overdue_at, updated_at)
      SELECT 'task', 'record', id, merchant_id, shop_id, NULL, status,
             CASE status WHEN 'open' THEN ARRAY['open'] ELSE ARRAY['closed', 'resolved'] END,
             NULL, CASE WHEN status = 'open' THEN due_at END,
             CASE WHEN status = 'open' AND due_at IS NOT NULL THEN '{"mark":"overdue"}'::jsonb END,
             CASE WHEN status = 'open' THEN due_at END,
             created_at, done_at, done_at, NULL, now()
        FROM tasks
      ON CONFLICT (machine, case_id) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM case_index WHERE machine = 'task'`);
    await q.query(`DROP INDEX tasks_status_idx`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_dismissed_check`);
    // A dismissed task was, before, simply done.
    await q.query(`UPDATE tasks SET status = 'done', done_at = COALESCE(done_at, dismissed_at) WHERE status = 'dismissed'`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open','done'))`);
    await q.query(`ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'open'`);
    await q.query(`
      ALTER TABLE tasks DROP COLUMN dismissed_at, DROP COLUMN dismiss_reason, DROP COLUMN done_note, DROP COLUMN assignee_id,
        DROP COLUMN updated_at, DROP COLUMN version`);
  }
}
