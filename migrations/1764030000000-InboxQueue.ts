import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook inbox becomes its own queue (SPEC §13, issue 9 fault 7): a delivery waiting for
 * processing is a `received` row; workers claim rows with a short lease (`locked_until`) that a
 * dead worker's rows lose within seconds, and retry failures at `available_at`. A row-level
 * trigger wakes idle workers (LISTEN webhook_inbox) once the inserting statement commits.
 */
export class InboxQueue1764030000000 implements MigrationInterface {
  name = 'InboxQueue1764030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_deliveries
        ADD COLUMN available_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN locked_until timestamptz`);
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (available_at) WHERE status = 'received'`);
    // Identical notifications of one transaction are folded into one by PostgreSQL.
    await q.query(`
      CREATE FUNCTION webhook_deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('webhook_inbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER webhook_deliveries_notify AFTER INSERT ON webhook_deliveries
        FOR EACH ROW EXECUTE FUNCTION webhook_deliveries_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER webhook_deliveries_notify ON webhook_deliveries`);
    await q.query(`DROP FUNCTION webhook_deliveries_notify()`);
    await q.query(`DROP INDEX webhook_deliveries_pending_idx`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN locked_until, DROP COLUMN available_at`);
  }
}
