import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DailyWindow } from '../time/business-clock.js';
import type { CalendarDay, CalendarDayKind, TimeWindow, WeeklyHours } from './calendar-rules.js';

/** Where a dated entry came from: the shipped default list, the merchant's hand, or an iCalendar import. */
export enum CalendarDaySource {
  Default = 'default',
  Merchant = 'merchant',
  Import = 'import',
}

export interface StoredCalendar {
  weeklyHours: WeeklyHours;
  quietHours: DailyWindow;
  /** Default list versions already seeded, by year ("2026": 1). */
  defaultVersions: Record<string, number>;
  updatedAt: Date;
}

export interface StoredCalendarDay extends CalendarDay {
  source: CalendarDaySource;
}

interface DayRow {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  hours: TimeWindow[] | null;
  source: CalendarDaySource;
}

/** TypeORM's query() answers UPDATE/DELETE … RETURNING with [rows, affected]; SELECT/INSERT with the rows. */
function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}

const DAY_COLUMNS = `date::text AS date, kind, name, hours, source`;
const toDay = (r: DayRow): StoredCalendarDay => ({ date: r.date, kind: r.kind, name: r.name, hours: r.hours, source: r.source });

/** SQL of business_calendars and calendar_days; every call is scoped to one merchant. */
@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findCalendar(merchantId: string, m: EntityManager = this.db.manager): Promise<StoredCalendar | null> {
    const rows: Array<{ weekly_hours: WeeklyHours; quiet_hours: DailyWindow; default_versions: Record<string, number>; updated_at: Date }> = await m.query(
      'SELECT weekly_hours, quiet_hours, default_versions, updated_at FROM business_calendars WHERE merchant_id = $1',
      [merchantId],
    );
    const r = rows[0];
    return r ? { weeklyHours: r.weekly_hours, quietHours: r.quiet_hours, defaultVersions: r.default_versions, updatedAt: r.updated_at } : null;
  }

  async createIfMissing(merchantId: string, weeklyHours: WeeklyHours, quietHours: DailyWindow, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO business_calendars (merchant_id, weekly_hours, quiet_hours) VALUES ($1, $2::jsonb, $3::jsonb) ON CONFLICT (merchant_id) DO NOTHING`,
      [merchantId, JSON.stringify(weeklyHours), JSON.stringify(quietHours)],
    );
  }

  /** Marks a default year as seeded at `version`; false when it already was (another instance won the race). */
  async claimDefaultYear(merchantId: string, year: number, version: number, m: EntityManager): Promise<boolean> {
    const result: unknown = await m.query(
      `UPDATE business_calendars
          SET default_versions = default_versions || jsonb_build_object($2::text, $3::int)
        WHERE merchant_id = $1 AND COALESCE((default_versions ->> $2::text)::int, 0) < $3
        RETURNING merchant_id`,
      [merchantId, String(year), version],
    );
    return affectedRows(result) > 0;
  }

  /** Replaces the default rows of a year; rows the merchant set (by hand or import) stay. */
  async replaceDefaultDays(merchantId: string, year: number, days: CalendarDay[], m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM calendar_days WHERE merchant_id = $1 AND source = 'default' AND date BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)`, [
      merchantId,
      year,
    ]);
    await this.insertDays(merchantId, days, CalendarDaySource.Default, false, m);
  }

  async updateHours(merchantId: string, weeklyHours: WeeklyHours, quietHours: DailyWindow, m: EntityManager): Promise<void> {
    await m.query(`UPDATE business_calendars SET weekly_hours = $2::jsonb, quiet_hours = $3::jsonb, updated_at = now() WHERE merchant_id = $1`, [
      merchantId,
      JSON.stringify(weeklyHours),
      JSON.stringify(quietHours),
    ]);
  }

  async listDays(merchantId: string, m: EntityManager = this.db.manager, year?: number): Promise<StoredCalendarDay[]> {
    const rows: DayRow[] =
      year === undefined
        ? await m.query(`SELECT ${DAY_COLUMNS} FROM calendar_days WHERE merchant_id = $1 ORDER BY date`, [merchantId])
        : await m.query(`SELECT ${DAY_COLUMNS} FROM calendar_days WHERE merchant_id = $1 AND date BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31) ORDER BY date`, [
            merchantId,
            year,
          ]);
    return rows.map(toDay);
  }

  /** Inserts or replaces dated entries; returns them as stored. */
  async upsertDays(merchantId: string, days: CalendarDay[], source: CalendarDaySource, m: EntityManager): Promise<StoredCalendarDay[]> {
    return this.insertDays(merchantId, days, source, true, m);
  }

  async deleteDay(merchantId: string, date: string, m: EntityManager): Promise<boolean> {
    const result: unknown = await m.query('DELETE FROM calendar_days WHERE merchant_id = $1 AND date = $2::date RETURNING date', [merchantId, date]);
    return affectedRows(result) > 0;
  }

  private async insertDays(merchantId: string, days: CalendarDay[], source: CalendarDaySource, replace: boolean, m: EntityManager): Promise<StoredCalendarDay[]> {
    if (!days.length) return [];
    const rows: DayRow[] = await m.query(
      `INSERT INTO calendar_days (merchant_id, date, kind, name, hours, source)
       SELECT $1, x.date, x.kind, x.name, NULLIF(x.hours, 'null'::jsonb), $3
         FROM jsonb_to_recordset($2::jsonb) AS x(date date, kind text, name text, hours jsonb)
       ON CONFLICT (merchant_id, date) DO ${replace ? 'UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, hours = EXCLUDED.hours, source = EXCLUDED.source, updated_at = now()' : 'NOTHING'}
       RETURNING ${DAY_COLUMNS}`,
      [merchantId, JSON.stringify(days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, hours: d.hours }))), source],
    );
    return rows.map(toDay).sort((a, b) => a.date.localeCompare(b.date));
  }
}
