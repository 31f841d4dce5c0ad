import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §4: a step that waits on the customer pauses its SLA clock. While a case is in a
 * `waiting_customer` state its index row keeps the deadline of the open step it left
 * ({state, dueAt, pausedAt}); re-entering that step resumes the budget that was left.
 * Cases already waiting have nothing kept: their step restarts at the resume.
 */
export class SlaPause1764100000000 implements MigrationInterface {
  name = 'SlaPause1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_index ADD COLUMN sla_paused jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_index DROP COLUMN sla_paused`);
  }
}
