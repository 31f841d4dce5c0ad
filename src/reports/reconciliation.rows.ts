import { sumMinor } from '../kernel/money/money.js';
import type { RefundSourceType, RefundStatus } from '../refunds/refund-status.js';
import type { ReconciliationRowDto, ReconciliationTotalDto } from './dto/reports.dto.js';
import { MatchResult, type ReconciliationSqlRow } from './reconciliation.sql.js';

const minor = (v: string | null): number | null => (v === null ? null : Number(v));
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toReconciliationRow(r: ReconciliationSqlRow): ReconciliationRowDto {
  return {
    shopId: r.shop_id,
    shopName: r.shop_name,
    orderId: r.order_id,
    orderNumber: r.order_number,
    platformOrderId: r.platform_order_id,
    customerName: r.customer_name,
    refundId: r.refund_id,
    platformRefundId: r.platform_refund_id,
    internalAmount: minor(r.internal_amount),
    platformAmount: minor(r.platform_amount),
    currency: r.currency,
    reason: r.reason,
    sourceType: r.source_type as RefundSourceType | null,
    sourceId: r.source_id,
    responsibility: r.responsibility,
    status: r.status as RefundStatus | null,
    createdAt: iso(r.created_at),
    platformRefundedAt: iso(r.platform_refunded_at),
    matchResult: r.match_result,
  };
}

/**
 * CSV columns, in order: the JSON row's fields (amounts as decimals), then the totals' count and
 * difference (internal − platform, as in the JSON totals), empty on refund records. Written by
 * reconciliation-csv.sql.ts.
 */
export const CSV_COLUMNS = [
  'record', 'shop_id', 'shop_name', 'order_id', 'order_number', 'platform_order_id', 'customer_name', 'refund_id', 'platform_refund_id',
  'internal_amount', 'platform_amount', 'currency', 'reason', 'source_type', 'source_id', 'responsibility', 'status', 'created_at',
  'platform_refunded_at', 'match_result', 'count', 'difference',
] as const;

/** Totals order: per result in this order, then `all`; currencies sorted within each. */
export const RESULT_ORDER: readonly MatchResult[] = [MatchResult.Matched, MatchResult.AmountMismatch, MatchResult.MissingOnPlatform, MatchResult.MissingInternally];

/** Totals per (match result, currency) and per currency, kept in constant memory while rows stream. */
export class ReconciliationTotals {
  private readonly acc = new Map<string, { count: number; internal: number; platform: number }>();

  add(r: ReconciliationRowDto): void {
    for (const key of [`${r.matchResult}|${r.currency}`, `all|${r.currency}`]) {
      const a = this.acc.get(key) ?? { count: 0, internal: 0, platform: 0 };
      a.count++;
      // Exact integer sums (sumMinor refuses to leave the safe range).
      a.internal = sumMinor([a.internal, r.internalAmount ?? 0]);
      a.platform = sumMinor([a.platform, r.platformAmount ?? 0]);
      this.acc.set(key, a);
    }
  }

  result(): ReconciliationTotalDto[] {
    const out: ReconciliationTotalDto[] = [];
    const currencies = [...new Set([...this.acc.keys()].map((k) => k.split('|')[1]))].sort();
    for (const result of [...RESULT_ORDER, 'all' as const]) {
      for (const currency of currencies) {
        const a = this.acc.get(`${result}|${currency}`);
        if (!a) continue;
        out.push({ matchResult: result, currency, count: a.count, internalAmount: a.internal, platformAmount: a.platform, difference: a.internal - a.platform });
      }
    }
    return out;
  }
}
