import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { echoPeriod } from '../kernel/time/report-period.js';
import { UNPAID_FOLLOW_UP_MINUTES } from '../orders/order.machine.js';
import {
  AUDIT_ERRORS_SQL, FOLLOW_UPS_SQL, LOST_ORDERS_SQL, REFUND_RATE_SQL, SERVICE_REVIEWS_SQL, SLA_BREACHES_SQL,
} from './agent-kpis.sql.js';
import {
  auditErrorScore, followUpScore, lostOrderScore, payFactorPercent, points, refundRateScore, serviceReviewScore, slaBreachScore, type Tenths,
} from './agent-kpis.scoring.js';
import type { AgentKpiRowDto, AgentKpisQueryDto, AgentKpisReportDto, KpiComponentDto } from './dto/agent-kpis.dto.js';
import { KpiComponentKey as K } from './dto/agent-kpis.dto.js';
import { refundRate } from './refund-rate.service.js';
import { ReportScopeService } from './report-scope.js';

/** Ids listed per component: enough for an agent to check, the counts stay complete. */
export const KPI_IDS_CAP = 50;

const ids = (rows: Array<{ id: string }>) => rows.slice(0, KPI_IDS_CAP).map((r) => r.id);

function groupBy<R extends { agent_id: string }>(rows: R[]): Map<string, R[]> {
  const m = new Map<string, R[]>();
  for (const r of rows) m.set(r.agent_id, [...(m.get(r.agent_id) ?? []), r]);
  return m;
}

const component = (key: K, title: string, titleEn: string, rule: string, inputs: Record<string, unknown>, score: Tenths): KpiComponentDto & { tenths: Tenths } => ({
  key, title, titleEn, rule, inputs, score: points(score), tenths: score,
});

/**
 * The agent KPI sheet for a shop-local month [002 售前客服绩效核标准; SPEC §12]: per active
 * agent, the seed's items this service has data for, each with its inputs, the total C and the
 * pay factor (100 + C)%. docs/kpis.md explains every rule and where the seed leaves a choice.
 */
@Injectable()
export class AgentKpisService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scopes: ReportScopeService,
  ) {}

  async report(caller: Caller, q: AgentKpisQueryDto): Promise<AgentKpisReportDto> {
    const p = await this.scopes.resolveMonth(caller, q);
    const now = new Date();
    const staff: Array<{ id: string; name: string }> = await this.db.query(
      `SELECT id, name FROM staff WHERE merchant_id = $1 AND role = 'agent' AND active ORDER BY name, id`, [caller.merchantId],
    );
    const agentIds = staff.map((s) => s.id);
    const base = [caller.merchantId, p.from, p.to, p.shopId, agentIds];
    const [reviews, rates, audits, lost, followUps, breaches] = await Promise.all([
      this.db.query(SERVICE_REVIEWS_SQL, base) as Promise<Array<{ agent_id: string; id: string; rating: number }>>,
      this.db.query(REFUND_RATE_SQL, base) as Promise<Array<{ agent_id: string; paid: number; refunded: number; order_ids: string[] }>>,
      this.db.query(AUDIT_ERRORS_SQL, base) as Promise<Array<{ agent_id: string; id: string; severity: string; source: 'claim' | 'finding' }>>,
      this.db.query(LOST_ORDERS_SQL, [...base, now, UNPAID_FOLLOW_UP_MINUTES]) as Promise<Array<{ agent_id: string; id: string; order_number: string }>>,
      this.db.query(FOLLOW_UPS_SQL, base) as Promise<Array<{ agent_id: string; id: string; due_at: Date; closed_at: Date | null; day_end: Date }>>,
      this.db.query(SLA_BREACHES_SQL, base) as Promise<Array<{ agent_id: string; machine: string; case_id: string; status: string }>>,
    ]);
    // The average the seed compares with (平均退款率): all agents' deals pooled.
    const teamRefundRate = refundRate(rates.reduce((s, r) => s + r.refunded, 0), rates.reduce((s, r) => s + r.paid, 0));
    const by = {
      reviews: groupBy(reviews), audits: groupBy(audits), lost: groupBy(lost), followUps: groupBy(followUps), breaches: groupBy(breaches),
      rates: new Map(rates.map((r) => [r.agent_id, r])),
    };
    // An agent reads their own row (to check it); the team rate stays the whole team's.
    const visible = caller.role === Role.Agent ? staff.filter((s) => s.id === caller.staffId) : staff;
    const agents = visible.map((s): AgentKpiRowDto => {
      const components = [
        this.lostOrders(by.lost.get(s.id) ?? []),
        this.serviceReviews(by.reviews.get(s.id) ?? []),
        this.refundRate(by.rates.get(s.id), teamRefundRate),
        this.auditErrors(by.audits.get(s.id) ?? []),
        this.followUps((by.followUps.get(s.id) ?? []).filter((f) => f.day_end.getTime() <= now.getTime())),
        this.slaBreaches(by.breaches.get(s.id) ?? []),
      ];
      const total = components.reduce((sum, c) => sum + c.tenths, 0);
      return {
        agentId: s.id, agentName: s.name,
        components: components.map(({ tenths: _, ...c }) => c),
        total: points(total), payFactorPercent: payFactorPercent(total),
      };
    });
    const period = echoPeriod(p);
    return { month: q.month, from: period.from, to: period.to, timezone: p.timezone, shopId: p.shopId, teamRefundRate, agents };
  }

  private lostOrders(rows: Array<{ id: string; order_number: string }>) {
    return component(K.LostUnpaidOrders, '值班流失单数', 'Unpaid orders lost without a contact in 20 minutes',
      '−0.5 per order placed unpaid, not contacted within 20 minutes and never paid; none in the month +1 [002 绩效 二]',
      { lost: rows.length, orderIds: ids(rows), orderNumbers: rows.slice(0, KPI_IDS_CAP).map((r) => r.order_number) }, lostOrderScore(rows.length));
  }

  private serviceReviews(rows: Array<{ id: string; rating: number }>) {
    const neutral = rows.filter((r) => r.rating === 3).length;
    return component(K.ServiceReviews, '服务引起的中差评', 'Service-caused neutral/bad reviews',
      '中评 −0.5, 差评 −1, none in the month +1 [002 绩效 五]',
      { neutral, bad: rows.length - neutral, reviewIds: ids(rows) }, serviceReviewScore(neutral, rows.length - neutral));
  }

  private refundRate(row: { paid: number; refunded: number; order_ids: string[] } | undefined, teamRate: number) {
    const paid = row?.paid ?? 0;
    const refunded = row?.refunded ?? 0;
    const rate = refundRate(refunded, paid);
    const s = refundRateScore(rate, teamRate, paid);
    return component(K.RefundRate, '退款率', 'Refund rate against the team average',
      'refunded / paid orders attributed to the agent vs the team\'s; each 0.1 point above −0.2, below +0.2 (half a step rounds up); no paid order 0 [002 绩效 六]',
      { paidOrders: paid, refundedOrders: refunded, rate, teamRate, differencePoints: s.differencePoints, steps: s.steps, refundedOrderIds: row?.order_ids ?? [] }, s.score);
  }

  private auditErrors(rows: Array<{ id: string; severity: string; source: 'claim' | 'finding' }>) {
    const serious = rows.filter((r) => r.severity === 'serious').length;
    return component(K.AuditErrors, '后台审单失误', 'Order-audit errors',
      'serious −2, general −0.5, none in the month +1 [002 绩效 七]',
      {
        serious, general: rows.length - serious,
        findingIds: ids(rows.filter((r) => r.source === 'finding')), claimAuditErrorIds: ids(rows.filter((r) => r.source === 'claim')),
      },
      auditErrorScore(serious, rows.length - serious));
  }

  private followUps(rows: Array<{ id: string; closed_at: Date | null; day_end: Date }>) {
    const notDone = rows.filter((r) => !r.closed_at || r.closed_at.getTime() >= r.day_end.getTime());
    return component(K.FollowUpsNotDone, '日回访任务未完成', 'Daily follow-up calls not done',
      '−0.2 per follow-up call assigned to the agent not done by the end of its due day (shop time) [002 绩效 八]',
      { due: rows.length, notDone: notDone.length, followUpIds: ids(notDone) }, followUpScore(notDone.length));
  }

  private slaBreaches(rows: Array<{ machine: string; case_id: string; status: string }>) {
    return component(K.SlaBreaches, 'SLA 超时', 'SLA breaches',
      '−0.2 per overdue mark of a case assigned to the agent (scored like an unfinished daily task [002 绩效 八]; SPEC §12)',
      { breaches: rows.length, cases: rows.slice(0, KPI_IDS_CAP).map((r) => ({ module: r.machine, id: r.case_id, status: r.status })) }, slaBreachScore(rows.length));
  }
}
