/**
 * [002 售前客服绩效核标准] The scoring of the agent KPI sheet, pure. Scores are kept in tenths of a
 * point (every rule is a multiple of 0.1) so sums are exact; `points()` turns them back.
 */

/** Tenths of a point. */
export type Tenths = number;

/** Points of tenths (never −0, which would print as a penalty of nothing). */
export const points = (t: Tenths): number => (t === 0 ? 0 : t / 10);

/** 五 服务引起的中差评: 中评 −0.5, 差评 −1, none in the month +1. */
export function serviceReviewScore(neutral: number, bad: number): Tenths {
  return neutral + bad === 0 ? 10 : -5 * neutral - 10 * bad;
}

/** 七 后台审单失误: serious −2, general −0.5, none +1. */
export function auditErrorScore(serious: number, general: number): Tenths {
  return serious + general === 0 ? 10 : -20 * serious - 5 * general;
}

/** 二 值班流失单数: −0.5 per lost order, none in the whole month +1. */
export function lostOrderScore(lost: number): Tenths {
  return lost === 0 ? 10 : -5 * lost;
}

/** 八 完成安排任务: a daily follow-up (日回访任务) not done −0.2 each; no bonus. */
export function followUpScore(notDone: number): Tenths {
  return -2 * notDone;
}

/**
 * SLA breaches (SPEC §12 lists them, the seed gives no figure): scored like an unfinished daily
 * task of 八 (−0.2 each, no bonus) — a case step not done by its deadline is work assigned and
 * not done in time.
 */
export function slaBreachScore(breaches: number): Tenths {
  return -2 * breaches;
}

export interface RefundRateScore {
  /** agent − team, in percentage points (2 decimals: rates are kept to 4 decimals). */
  differencePoints: number;
  /** Whole 0.1-point steps, rounded half up (the seed's 四舍五入 of 四). */
  steps: number;
  score: Tenths;
}

/**
 * 六 退款率: against the average rate, each 0.1 percentage point above −0.2, below +0.2. Rates are
 * fractions with 4 decimals (refundRate()), so the difference is a whole number of 0.01 points;
 * the steps are that /10 rounded half up — the seed rounds 四舍五入 where it says how (四), and
 * says nothing else here. No paid order of the agent: no rate, 0.
 */
export function refundRateScore(agentRate: number, teamRate: number, agentPaidOrders: number): RefundRateScore {
  const diff = Math.round(agentRate * 10_000) - Math.round(teamRate * 10_000);
  if (agentPaidOrders === 0) return { differencePoints: diff / 100, steps: 0, score: 0 };
  const steps = Math.floor((Math.abs(diff) + 5) / 10);
  return { differencePoints: diff / 100, steps, score: steps === 0 ? 0 : diff > 0 ? -2 * steps : 2 * steps };
}

/** 工资计算方式: pay = X × (100 + C)%. */
export function payFactorPercent(total: Tenths): number {
  return (1000 + total) / 10;
}
