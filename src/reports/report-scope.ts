import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { type ReportPeriod, resolveMonth, resolvePeriod } from '../kernel/time/report-period.js';
import type { ReportPeriodQueryDto } from './dto/reports.dto.js';

/** What a report covers: the caller's merchant, one shop or all, and the period resolved in the right zone. */
export interface ReportScope extends ReportPeriod {
  merchantId: string;
  shopId: string | null;
  shopName: string | null;
}

/**
 * Resolves a report's shop and period (SPEC §4 "Report periods"): dates and offset-less times are
 * read in the shop's timezone; for all shops, in the merchant's — the one its shops share, else
 * DEFAULT_TIMEZONE (what a shop gets when created without one).
 */
@Injectable()
export class ReportScopeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(caller: Caller, q: Pick<ReportPeriodQueryDto, 'from' | 'to' | 'shopId'>): Promise<ReportScope> {
    return this.scope(caller, q.shopId, (zone) => resolvePeriod(q.from, q.to, zone));
  }

  /** A calendar month (`month=YYYY-MM`, e.g. agent KPIs) in the same zone. */
  async resolveMonth(caller: Caller, q: { month: string; shopId?: string }): Promise<ReportScope> {
    return this.scope(caller, q.shopId, (zone) => resolveMonth(q.month, zone));
  }

  private async scope(caller: Caller, shopId: string | undefined, period: (zone: string) => ReportPeriod): Promise<ReportScope> {
    const shop = shopId ? await this.shopOf(caller.merchantId, shopId) : null;
    const zone = shop?.timezone ?? (await this.merchantZone(caller.merchantId));
    return { ...period(zone), merchantId: caller.merchantId, shopId: shop?.id ?? null, shopName: shop?.name ?? null };
  }

  private async shopOf(merchantId: string, shopId: string): Promise<{ id: string; name: string; timezone: string }> {
    const found: Array<{ id: string; name: string; timezone: string }> = await this.db.query(
      'SELECT id, name, timezone FROM shops WHERE id = $1 AND merchant_id = $2',
      [shopId, merchantId],
    );
    if (!found.length) throw new NotFound('shop', shopId);
    return found[0];
  }

  private async merchantZone(merchantId: string): Promise<string> {
    const zones: Array<{ timezone: string }> = await this.db.query('SELECT DISTINCT timezone FROM shops WHERE merchant_id = $1 LIMIT 2', [merchantId]);
    return zones.length === 1 ? zones[0].timezone : this.config.defaultTimezone;
  }
}
