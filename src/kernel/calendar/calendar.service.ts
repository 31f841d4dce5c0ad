import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_QUIET_HOURS } from '../time/business-clock.js';
import { BusinessCalendar } from './business-calendar.js';
import { type CalendarRules, DEFAULT_WEEKLY_HOURS } from './calendar-rules.js';
import { CalendarRepository, type StoredCalendar } from './calendar.repository.js';
import { CN_DEFAULT_YEARS, defaultDaysOf } from './cn-default-days.js';

/**
 * Calendars change rarely and every deadline reads one, so each instance keeps them briefly;
 * a change applies at once on the instance that made it and within this time on the others.
 */
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

interface Cached {
  until: number;
  rules: CalendarRules;
  zones: Map<string, BusinessCalendar>;
}

/**
 * The one business calendar every deadline uses (SPEC §4). A merchant's calendar is created on
 * its first read, with the default mainland-China days; a newer default list of a year (a
 * higher `version` in cn-default-days.ts) replaces that year's default rows on the next read,
 * keeping what the merchant set by hand or imported.
 */
@Injectable()
export class CalendarService {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly repo: CalendarRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The merchant's calendar read in a shop's timezone. Pass the transaction's manager when inside one. */
  async forMerchant(merchantId: string, timezone: string, manager?: EntityManager): Promise<BusinessCalendar> {
    const entry = await this.load(merchantId, manager);
    let cal = entry.zones.get(timezone);
    if (!cal) {
      cal = new BusinessCalendar(entry.rules, timezone);
      entry.zones.set(timezone, cal);
    }
    return cal;
  }

  /** The calendar of a shop: its merchant's rules in its timezone. */
  forShop(shop: { merchantId: string; timezone: string }, manager?: EntityManager): Promise<BusinessCalendar> {
    return this.forMerchant(shop.merchantId, shop.timezone, manager);
  }

  /** The merchant's rules (hours, quiet hours, dated entries), seeded on first use. */
  async rulesOf(merchantId: string, manager?: EntityManager): Promise<CalendarRules> {
    return (await this.load(merchantId, manager)).rules;
  }

  /** Creates the calendar and seeds default years that are missing or outdated; cheap when nothing is. */
  async ensureSeeded(merchantId: string, manager?: EntityManager): Promise<StoredCalendar> {
    const current = await this.repo.findCalendar(merchantId, manager);
    if (current && !outdatedYears(current).length) return current;
    const seed = async (m: EntityManager) => {
      await this.repo.createIfMissing(merchantId, DEFAULT_WEEKLY_HOURS, DEFAULT_QUIET_HOURS, m);
      for (const y of CN_DEFAULT_YEARS) {
        // The conditional UPDATE locks the row: of two concurrent first reads, one seeds.
        if (await this.repo.claimDefaultYear(merchantId, y.year, y.version, m)) await this.repo.replaceDefaultDays(merchantId, y.year, defaultDaysOf(y), m);
      }
      return (await this.repo.findCalendar(merchantId, m))!;
    };
    return manager ? seed(manager) : this.db.transaction(seed);
  }

  /** Drops the cached calendar after a change (this instance). */
  invalidate(merchantId: string): void {
    this.cache.delete(merchantId);
  }

  private async load(merchantId: string, manager?: EntityManager): Promise<Cached> {
    const hit = this.cache.get(merchantId);
    if (hit && hit.until > Date.now()) return hit;
    const stored = await this.ensureSeeded(merchantId, manager);
    const days = await this.repo.listDays(merchantId, manager);
    const rules: CalendarRules = {
      weeklyHours: stored.weeklyHours,
      quietHours: stored.quietHours,
      days: days.map(({ date, kind, name, hours }) => ({ date, kind, name, hours })),
    };
    const entry: Cached = { until: Date.now() + CACHE_MS, rules, zones: new Map() };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(merchantId, entry);
    return entry;
  }
}

function outdatedYears(c: StoredCalendar): number[] {
  return CN_DEFAULT_YEARS.filter((y) => (c.defaultVersions[String(y.year)] ?? 0) < y.version).map((y) => y.year);
}
