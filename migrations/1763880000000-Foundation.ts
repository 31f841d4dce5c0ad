import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Merchants, staff and sessions, shops, the immutable timeline, idempotency keys and the outbox. */
export class Foundation1763880000000 implements MigrationInterface {
  name = 'Foundation1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','supervisor','agent','warehouse','finance')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_email_uq ON staff (lower(email))`);
    await q.query(`CREATE INDEX staff_merchant_idx ON staff (merchant_id, created_at, id)`);
    await q.query(`
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        expires_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sessions_expiry_idx ON sessions (expires_at)`);
    await q.query(`
      CREATE TABLE shops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        name text NOT NULL,
        platform text NOT NULL CHECK (platform IN ('shopify','woocommerce','generic')),
        timezone text NOT NULL DEFAULT 'Asia/Shanghai',
        currency char(3) NOT NULL DEFAULT 'CNY',
        business_hours jsonb NOT NULL DEFAULT '{"start":"09:00","end":"18:00","days":[1,2,3,4,5,6,7]}'::jsonb,
        quiet_hours jsonb NOT NULL DEFAULT '{"start":"21:00","end":"09:00"}'::jsonb,
        webhook_secret text NOT NULL,
        tracking_salt text,
        platform_config jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX shops_merchant_idx ON shops (merchant_id, created_at, id)`);

    // The timeline is append-only: a trigger refuses UPDATE and DELETE.
    await q.query(`
      CREATE TABLE timeline_events (
        id bigserial PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('staff','platform','carrier','system')),
        actor_id uuid,
        action text NOT NULL,
        from_status text,
        to_status text,
        version integer,
        note text,
        data jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX timeline_subject_idx ON timeline_events (subject_type, subject_id, id)`);
    await q.query(`
      CREATE FUNCTION timeline_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'timeline_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER timeline_events_no_change BEFORE UPDATE OR DELETE ON timeline_events
      FOR EACH ROW EXECUTE FUNCTION timeline_events_immutable()`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress','done')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_expiry_idx ON idempotency_keys (expires_at)`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        merchant_id uuid REFERENCES merchants(id),
        kind text NOT NULL,
        dedupe_key text,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','dead')),
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        result jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX outbox_dedupe_uq ON outbox (kind, dedupe_key) WHERE dedupe_key IS NOT NULL`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE timeline_events`);
    await q.query(`DROP FUNCTION timeline_events_immutable()`);
    await q.query(`DROP TABLE shops`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE staff`);
    await q.query(`DROP TABLE merchants`);
  }
}
