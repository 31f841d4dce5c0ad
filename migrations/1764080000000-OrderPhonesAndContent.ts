import type { MigrationInterface, QueryRunner } from 'typeorm';
import { phoneRegion, toE164 } from '../src/orders/phone.js';

/**
 * SPEC §5: phone numbers stored in E.164 beside the raw text (search finds any common spelling),
 * and the content hash of the stored platform version (an equal `updated_at` with different
 * content is applied, identical content has no effect). Existing phones are normalised best-effort
 * with the same rule as new deliveries; rows stored before have no hash, so their next equal
 * version is applied once.
 */
export class OrderPhonesAndContent1764080000000 implements MigrationInterface {
  name = 'OrderPhonesAndContent1764080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN customer_phone_e164 text, ADD COLUMN content_hash text`);
    await q.query(`CREATE INDEX orders_phone_e164_idx ON orders (merchant_id, customer_phone_e164) WHERE customer_phone_e164 IS NOT NULL`);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; customer_phone: string; ship_country: string | null; timezone: string | null }> = await q.query(
        `SELECT o.id, o.customer_phone, o.ship_country, s.timezone FROM orders o JOIN shops s ON s.id = o.shop_id
          WHERE o.customer_phone IS NOT NULL AND o.id > $1 ORDER BY o.id LIMIT 1000`,
        [after],
      );
      if (!rows.length) break;
      for (const r of rows) {
        const e164 = toE164(r.customer_phone, phoneRegion(r.ship_country, r.timezone));
        if (e164) await q.query('UPDATE orders SET customer_phone_e164 = $2 WHERE id = $1', [r.id, e164]);
      }
      after = rows[rows.length - 1].id;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_phone_e164_idx`);
    await q.query(`ALTER TABLE orders DROP COLUMN content_hash, DROP COLUMN customer_phone_e164`);
  }
}
