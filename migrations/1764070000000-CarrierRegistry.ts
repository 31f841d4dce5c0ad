import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SHIPPED_CARRIERS } from '../src/carriers/carrier-registry.js';

/**
 * The carrier registry (SPEC §6 "Carrier identity"): per-merchant edits of the shipped carriers
 * (`carriers`), shipments keyed by the canonical carrier code with the name as given beside it,
 * and carrier pushes that remember whether (and when) they matched a parcel.
 *
 * Existing rows are re-keyed with the shipped registry. Two shipments of one merchant that were
 * the same parcel under two names ("YTO" and "yuantong", same number) cannot both take the code:
 * the first keeps the parcel's code, the other keeps its old name and is left for staff.
 */
export class CarrierRegistry1764070000000 implements MigrationInterface {
  name = 'CarrierRegistry1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE carriers (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9]{1,50}$'),
        display_name text,
        aliases text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, code)
      )`);

    await q.query(`ALTER TABLE shipments ADD COLUMN carrier_name text`);
    await q.query(`UPDATE shipments SET carrier_name = carrier`);
    const carriers: Array<{ carrier: string }> = await q.query(`SELECT DISTINCT carrier FROM shipments`);
    for (const { carrier } of carriers) {
      const code = SHIPPED_CARRIERS.codeOf(carrier);
      if (code === carrier) continue;
      await q.query(
        `UPDATE shipments s SET carrier = $2
          WHERE s.carrier = $1
            AND NOT EXISTS (SELECT 1 FROM shipments o WHERE o.merchant_id = s.merchant_id AND lower(o.carrier) = $2 AND o.tracking_no = s.tracking_no)`,
        [carrier, code],
      );
    }

    await q.query(`
      ALTER TABLE carrier_pushes
        ADD COLUMN carrier_name text,
        ADD COLUMN previous_carrier text,
        ADD COLUMN matched_at timestamptz(3)`);
    await q.query(`UPDATE carrier_pushes SET carrier_name = carrier, matched_at = CASE WHEN shipment_id IS NOT NULL THEN created_at END`);
    const pushed: Array<{ carrier: string }> = await q.query(`SELECT DISTINCT carrier FROM carrier_pushes WHERE carrier IS NOT NULL`);
    for (const { carrier } of pushed) {
      const code = SHIPPED_CARRIERS.codeOf(carrier);
      if (code !== carrier) await q.query(`UPDATE carrier_pushes SET carrier = $2 WHERE carrier = $1`, [carrier, code]);
    }
    // Unmatched pushes: listed newest first, and looked up by parcel when one is registered.
    await q.query(`CREATE INDEX carrier_pushes_page_idx ON carrier_pushes (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX carrier_pushes_unmatched_idx ON carrier_pushes (merchant_id, tracking_no) WHERE shipment_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX carrier_pushes_unmatched_idx`);
    await q.query(`DROP INDEX carrier_pushes_page_idx`);
    await q.query(`UPDATE carrier_pushes SET carrier = COALESCE(carrier_name, carrier)`);
    await q.query(`ALTER TABLE carrier_pushes DROP COLUMN matched_at, DROP COLUMN previous_carrier, DROP COLUMN carrier_name`);
    // Names as given come back; where two of them collide again the code stays.
    await q.query(`
      UPDATE shipments s SET carrier = s.carrier_name
       WHERE s.carrier_name IS NOT NULL AND s.carrier_name <> s.carrier
         AND NOT EXISTS (SELECT 1 FROM shipments o WHERE o.merchant_id = s.merchant_id AND o.id <> s.id AND lower(o.carrier) = lower(s.carrier_name) AND o.tracking_no = s.tracking_no)`);
    await q.query(`ALTER TABLE shipments DROP COLUMN carrier_name`);
    await q.query(`DROP TABLE carriers`);
  }
}
