import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The business calendar of each merchant (SPEC §4): weekly business hours and quiet hours, and
 * dated exceptions — holidays and 调休 make-up working days — in local dates (no timezone: each
 * shop reads them in its own zone). Rows are created lazily on the merchant's first calendar
 * read, with the default mainland-China days (src/kernel/calendar/cn-default-days.ts).
 */
export class BusinessCalendar1764040000000 implements MigrationInterface {
  name = 'BusinessCalendar1764040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE business_calendars (
        merchant_id uuid PRIMARY KEY REFERENCES merchants(id),
        weekly_hours jsonb NOT NULL,
        quiet_hours jsonb NOT NULL,
        default_versions jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE calendar_days (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        date date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('holiday','workday')),
        name text,
        hours jsonb CHECK (hours IS NULL OR kind = 'workday'),
        source text NOT NULL CHECK (source IN ('default','merchant','import')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_days`);
    await q.query(`DROP TABLE business_calendars`);
  }
}
