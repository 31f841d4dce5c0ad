import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SPEC §6 "Origin": each shop's ship-from address (warehouse province and city). */
export class ShopShipFrom1764070000001 implements MigrationInterface {
  name = 'ShopShipFrom1764070000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shops
        ADD COLUMN ship_from_province text,
        ADD COLUMN ship_from_city text,
        ADD COLUMN ship_from_address text,
        ADD CONSTRAINT shops_ship_from_ck CHECK (ship_from_province IS NOT NULL OR (ship_from_city IS NULL AND ship_from_address IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shops DROP CONSTRAINT shops_ship_from_ck, DROP COLUMN ship_from_address, DROP COLUMN ship_from_city, DROP COLUMN ship_from_province`);
  }
}
