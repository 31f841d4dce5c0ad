import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §4 "one merchant's slow or failing endpoint never delays another merchant's work": outbox
 * messages run in lanes (one per merchant target: a shop's refund channel, an event endpoint),
 * claimed round-robin with a cap per lane; a lane that fails backs off on its own (circuit).
 * Event endpoints remember their consecutive failures and are disabled after a run of them.
 */
export class OutboxLanes1764000000000 implements MigrationInterface {
  name = 'OutboxLanes1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_lanes (
        lane text PRIMARY KEY,
        merchant_id uuid REFERENCES merchants(id),
        -- 0: priority work (refunds) with its own slots; 1: everything else
        priority smallint NOT NULL DEFAULT 1 CHECK (priority IN (0, 1)),
        last_served_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        open_until timestamptz,
        last_error text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE outbox ADD COLUMN lane text, ADD COLUMN leased_until timestamptz`);
    await q.query(`UPDATE outbox SET lane = kind || ':' || COALESCE(merchant_id::text, 'system')`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN lane SET NOT NULL`);
    await q.query(`
      INSERT INTO outbox_lanes (lane, merchant_id, priority)
      SELECT DISTINCT lane, merchant_id, CASE WHEN kind = 'refund.execute' THEN 0 ELSE 1 END FROM outbox
      ON CONFLICT (lane) DO NOTHING`);
    await q.query(`CREATE INDEX outbox_lane_due_idx ON outbox (lane, available_at, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX outbox_leased_idx ON outbox (lane) WHERE leased_until IS NOT NULL`);

    await q.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN last_failure_at timestamptz,
        ADD COLUMN last_failure_reason text,
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN disabled_reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_endpoints
        DROP COLUMN consecutive_failures, DROP COLUMN last_failure_at, DROP COLUMN last_failure_reason,
        DROP COLUMN disabled_at, DROP COLUMN disabled_reason`);
    await q.query(`DROP INDEX outbox_leased_idx`);
    await q.query(`DROP INDEX outbox_lane_due_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN leased_until, DROP COLUMN lane`);
    await q.query(`DROP TABLE outbox_lanes`);
  }
}
