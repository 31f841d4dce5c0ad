import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files of any case (SPEC §8): one row per file attached to a case; the bytes live in the
 * attachment storage under their sha256, shared by every row with the same hash.
 */
export class Attachments1764050000000 implements MigrationInterface {
  name = 'Attachments1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Upload order: the files of one upload share created_at.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        case_module text NOT NULL CHECK (case_module ~ '^[a-z][a-z0-9_]{0,62}$'),
        case_id uuid NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        mime text NOT NULL CHECK (mime IN ('image/jpeg','image/png','image/webp','application/pdf')),
        size integer NOT NULL CHECK (size > 0),
        kind text CHECK (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
        original_name text CHECK (char_length(original_name) <= 255),
        uploaded_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // The same bytes attached twice to one case are one attachment.
    await q.query(`CREATE UNIQUE INDEX attachments_case_sha_uq ON attachments (merchant_id, case_module, case_id, sha256)`);
    await q.query(`CREATE INDEX attachments_case_idx ON attachments (merchant_id, case_module, case_id, seq)`);
    // Reuse lookup: the same photo in other cases of the merchant.
    await q.query(`CREATE INDEX attachments_sha_idx ON attachments (merchant_id, sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachments`);
  }
}
