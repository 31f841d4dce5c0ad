import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Merchant-registered endpoints that receive signed JSON events (SPEC §4 outbound events). */
export class OutboundEvents1763920000000 implements MigrationInterface {
  name = 'OutboundEvents1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        url text NOT NULL,
        secret text NOT NULL,
        events text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        description text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
