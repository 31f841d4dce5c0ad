import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff emails unique per merchant (one merchant no longer learns another's staff from a 409),
 * leases on in-progress Idempotency-Keys with the fields a replay had redacted, and the per-account
 * login failure counter (SPEC §4: login limited per client address and per account).
 */
export class SecretsAndLeases1764010000000 implements MigrationInterface {
  name = 'SecretsAndLeases1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX staff_email_uq`);
    await q.query(`CREATE UNIQUE INDEX staff_merchant_email_uq ON staff (merchant_id, lower(email))`);
    await q.query(`CREATE INDEX staff_email_idx ON staff (lower(email))`);

    // The default covers rows written by an instance still running the previous version during a
    // rolling start: their keys free a minute after they were taken instead of after 24 h.
    await q.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN locked_until timestamptz DEFAULT now() + interval '1 minute',
        ADD COLUMN lease_id uuid,
        ADD COLUMN redacted_fields text[] NOT NULL DEFAULT '{}'`);
    // Endpoint secrets kept in clear by replays stored so far (the only secret-bearing creation).
    await q.query(`UPDATE idempotency_keys SET response_body = jsonb_set(response_body, '{secret}', 'null'), redacted_fields = '{secret}'
                    WHERE jsonb_typeof(response_body) = 'object' AND response_body ? 'secret'`);

    await q.query(`
      CREATE TABLE login_throttle (
        account text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN redacted_fields, DROP COLUMN lease_id, DROP COLUMN locked_until`);
    await q.query(`DROP INDEX staff_email_idx`);
    await q.query(`DROP INDEX staff_merchant_email_uq`);
    // Fails when two merchants now share an email: that state cannot go back to global uniqueness.
    await q.query(`CREATE UNIQUE INDEX staff_email_uq ON staff (lower(email))`);
  }
}
