import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { echoPeriod } from '../kernel/time/report-period.js';
import {
  CASES_SQL, COMPENSATION_SQL, COMPLAINTS_SQL, RECOVERIES_SQL, REFUND_RATE_SQL, REVIEWS_SQL, SATISFACTION_SQL, SLA_SQL,
} from './after-sales-summary.sql.js';
import { summaryCsv } from './after-sales-summary.csv.js';
import { attachmentDisposition, reportFileName } from './csv-filename.js';
import type { AfterSalesSummaryDto, AfterSalesSummaryQueryDto } from './dto/after-sales-summary.dto.js';
import { refundRate } from './refund-rate.service.js';
import { type ReportScope, ReportScopeService } from './report-scope.js';

type Row = Record<string, unknown>;
const n = (v: unknown): number => Number(v ?? 0);
/** The highest $n a statement uses: PostgreSQL refuses more bind values than placeholders. */
const placeholders = (sql: string): number => Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
const rate = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A rendered CSV file of the summary. */
export interface SummaryCsvFile {
  disposition: string;
  period: { from: string; to: string; timezone: string };
  body: Buffer;
}

/**
 * The after-sales summary (SPEC §12): every figure is an aggregate PostgreSQL computes
 * (after-sales-summary.sql.ts), read in one read-only snapshot so the blocks agree with each
 * other; Node only renames columns. Definitions in docs/reports.md.
 */
@Injectable()
export class AfterSalesSummaryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scopes: ReportScopeService,
  ) {}

  async json(caller: Caller, q: AfterSalesSummaryQueryDto): Promise<AfterSalesSummaryDto> {
    return this.figures(await this.scopes.resolve(caller, q));
  }

  /** The same figures as an Excel-ready CSV: one section per block (after-sales-summary.csv.ts). */
  async csv(caller: Caller, q: AfterSalesSummaryQueryDto): Promise<SummaryCsvFile> {
    const s = await this.scopes.resolve(caller, q);
    const summary = await this.figures(s);
    return { disposition: attachmentDisposition(reportFileName('after-sales-summary', s)), period: summary.period, body: summaryCsv(summary, s.shopName) };
  }

  private async figures(s: ReportScope): Promise<AfterSalesSummaryDto> {
    const now = new Date();
    const params = [s.merchantId, s.from, s.to, s.shopId, now];
    const [cases, [rr], compensation, recoveries, sla, complaints, satisfaction, reviews] = await this.db.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const out: Row[][] = [];
      for (const sql of [CASES_SQL, REFUND_RATE_SQL, COMPENSATION_SQL, RECOVERIES_SQL, SLA_SQL, COMPLAINTS_SQL, SATISFACTION_SQL, REVIEWS_SQL]) out.push(await m.query(sql, params.slice(0, placeholders(sql))));
      return out;
    });
    const period = echoPeriod(s);
    return {
      period,
      from: period.from,
      to: period.to,
      shopId: s.shopId,
      generatedAt: now.toISOString(),
      cases: cases.map((r) => ({ module: String(r.module), type: (r.type as string | null) ?? null, opened: n(r.opened), resolved: n(r.resolved), closed: n(r.closed) })),
      refundRate: { paidOrders: n(rr.paid), refundedOrders: n(rr.refunded), rate: refundRate(n(rr.refunded), n(rr.paid)) },
      compensation: compensation.map((r) => ({
        currency: String(r.currency),
        refunds: n(r.refunds), refundCount: n(r.refund_count), reships: n(r.reships), reshipCount: n(r.reship_count),
        gifts: n(r.gifts), giftCount: n(r.gift_count), complaintRemedies: n(r.complaint_remedies), complaintRemedyCount: n(r.complaint_remedy_count),
        total: n(r.total), recovered: n(r.recovered), net: n(r.net),
      })),
      carrierRecoveries: recoveries.map((r) => ({
        module: String(r.module), currency: String(r.currency), claimsFiled: n(r.claims_filed), amountClaimed: n(r.amount_claimed),
        casesRecovered: n(r.cases_recovered), recovered: n(r.recovered), full: n(r.full), partial: n(r.partial), none: n(r.none),
      })),
      sla: sla.map((r) => ({
        module: String(r.module), finished: n(r.finished), onTime: n(r.on_time), late: n(r.finished) - n(r.on_time),
        complianceRate: n(r.finished) > 0 ? Math.round((n(r.on_time) * 10_000) / n(r.finished)) / 10_000 : null, openOverdue: n(r.open_overdue),
      })),
      complaints: complaints.map((r) => ({
        category: String(r.category), service: n(r.service), warehouse: n(r.warehouse), logistics: n(r.logistics), product: n(r.product), other: n(r.other),
        unassigned: n(r.unassigned), total: n(r.total), serious: n(r.serious), founded: n(r.founded),
      })),
      followUpSatisfaction: satisfaction.map((r) => ({
        module: String(r.module), satisfied: n(r.satisfied), neutral: n(r.neutral), unsatisfied: n(r.unsatisfied), answered: n(r.answered), satisfactionRate: rate(r.satisfaction_rate),
      })),
      reviews: reviews.map((r) => ({
        currency: String(r.currency), received: n(r.received), closed: n(r.closed), revised: n(r.revised), revisedFromBad: n(r.revised_from_bad),
        revisedFromNeutral: n(r.revised_from_neutral), revisionRate: rate(r.revision_rate), revisedCost: n(r.revised_cost), closedCost: n(r.closed_cost),
      })),
    };
  }
}
