import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { echoPeriod } from '../kernel/time/report-period.js';
import type { RefundRateReportDto, RefundRateRowDto, ReportPeriodQueryDto } from './dto/reports.dto.js';
import { ReportScopeService } from './report-scope.js';

/** 退款率 = refunded orders / paid orders [002 绩效 六: 退款笔数/成交笔数], 4 decimals; 0 when nothing was paid. */
export function refundRate(refundedOrders: number, paidOrders: number): number {
  return paidOrders > 0 ? Math.round((refundedOrders * 10_000) / paidOrders) / 10_000 : 0;
}

const row = (refunded: number, paid: number): RefundRateRowDto => ({ paidOrders: paid, refundedOrders: refunded, rate: refundRate(refunded, paid) });

/**
 * Refund rate per shop and per agent over a period. Paid orders: paid_at in the period.
 * Refunded orders: distinct orders with a refund that succeeded in the period. An agent's refunded
 * orders are those whose refund counts against the agent (refunds.agent_id: the agent working the
 * return, or who asked for the refund); their rate divides by the paid orders in scope, so agents
 * compare with the overall rate (the seed's 平均退款率).
 */
@Injectable()
export class RefundRateService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scopes: ReportScopeService,
  ) {}

  async report(caller: Caller, q: ReportPeriodQueryDto): Promise<RefundRateReportDto> {
    const p = await this.scopes.resolve(caller, q);
    const params = [caller.merchantId, p.from, p.to, p.shopId];
    const shops: Array<{ shop_id: string; shop_name: string; paid: number; refunded: number }> = await this.db.query(
      `WITH paid AS (
         SELECT shop_id, count(*)::int AS n FROM orders
          WHERE merchant_id = $1 AND paid_at >= $2 AND paid_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid) GROUP BY shop_id),
       refunded AS (
         SELECT shop_id, count(DISTINCT order_id)::int AS n FROM refunds
          WHERE merchant_id = $1 AND status = 'succeeded' AND succeeded_at >= $2 AND succeeded_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid) GROUP BY shop_id)
       SELECT s.id AS shop_id, s.name AS shop_name, COALESCE(p.n, 0) AS paid, COALESCE(r.n, 0) AS refunded
         FROM shops s LEFT JOIN paid p ON p.shop_id = s.id LEFT JOIN refunded r ON r.shop_id = s.id
        WHERE s.merchant_id = $1 AND ($4::uuid IS NULL OR s.id = $4::uuid) ORDER BY s.name, s.id`,
      params,
    );
    const [overall]: Array<{ refunded: number }> = await this.db.query(
      `SELECT count(DISTINCT order_id)::int AS refunded FROM refunds
        WHERE merchant_id = $1 AND status = 'succeeded' AND succeeded_at >= $2 AND succeeded_at < $3 AND ($4::uuid IS NULL OR shop_id = $4::uuid)`,
      params,
    );
    const agents: Array<{ agent_id: string; agent_name: string; refunded: number }> = await this.db.query(
      `SELECT st.id AS agent_id, st.name AS agent_name, count(DISTINCT r.order_id)::int AS refunded
         FROM staff st LEFT JOIN refunds r ON r.agent_id = st.id AND r.status = 'succeeded' AND r.succeeded_at >= $2 AND r.succeeded_at < $3
                                            AND ($4::uuid IS NULL OR r.shop_id = $4::uuid)
        WHERE st.merchant_id = $1 AND st.role = 'agent'
        GROUP BY st.id, st.name ORDER BY st.name, st.id`,
      params,
    );
    const paidTotal = shops.reduce((s, x) => s + x.paid, 0);
    const period = echoPeriod(p);
    return {
      period,
      from: period.from,
      to: period.to,
      shopId: p.shopId,
      overall: row(overall.refunded, paidTotal),
      shops: shops.map((s) => ({ shopId: s.shop_id, shopName: s.shop_name, ...row(s.refunded, s.paid) })),
      agents: agents.map((a) => ({ agentId: a.agent_id, agentName: a.agent_name, ...row(a.refunded, paidTotal) })),
    };
  }
}
