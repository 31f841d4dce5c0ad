import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The merchant-settings registry keeps one key per section in merchants.settings; the carrier
 * coverage list, which sat at the top level (`carrierCoverage`), moves under its section
 * (`carrier-coverage`: {carriers}).
 */
export class SettingsSections1764100000001 implements MigrationInterface {
  name = 'SettingsSections1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE merchants
         SET settings = (settings - 'carrierCoverage')
                        || jsonb_build_object('carrier-coverage', jsonb_build_object('carriers',
                             CASE WHEN jsonb_typeof(settings->'carrierCoverage') = 'array' THEN settings->'carrierCoverage' ELSE '[]'::jsonb END))
       WHERE settings ? 'carrierCoverage'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE merchants
         SET settings = (settings - 'carrier-coverage')
                        || jsonb_build_object('carrierCoverage', COALESCE(settings #> '{carrier-coverage,carriers}', '[]'::jsonb))
       WHERE settings ? 'carrier-coverage'`);
  }
}
