import {
  auditErrorScore, followUpScore, lostOrderScore, payFactorPercent, points, refundRateScore, serviceReviewScore, slaBreachScore,
} from './agent-kpis.scoring.js';

describe('[002 售前客服绩效核标准] scoring', () => {
  it('五 reviews: neutral −0.5, bad −1, none +1', () => {
    expect(points(serviceReviewScore(0, 0))).toBe(1);
    expect(points(serviceReviewScore(1, 2))).toBe(-2.5);
  });

  it('七 audit errors: serious −2, general −0.5, none +1', () => {
    expect(points(auditErrorScore(0, 0))).toBe(1);
    expect(points(auditErrorScore(1, 3))).toBe(-3.5);
  });

  it('二 lost unpaid orders: −0.5 each, a month without +1', () => {
    expect(points(lostOrderScore(0))).toBe(1);
    expect(points(lostOrderScore(3))).toBe(-1.5);
  });

  it('八 daily follow-ups and SLA breaches: −0.2 each, nothing for none', () => {
    expect(points(followUpScore(0))).toBe(0);
    expect(points(followUpScore(4))).toBe(-0.8);
    expect(points(slaBreachScore(2))).toBe(-0.4);
  });

  it('六 refund rate: ±0.2 per 0.1 point from the average, higher loses, half a step rounds up', () => {
    // 0.0600 vs 0.0400: 2 points above = 20 steps → −4
    expect(refundRateScore(0.06, 0.04, 10)).toEqual({ differencePoints: 2, steps: 20, score: -40 });
    // 0.0400 vs 0.0520: 1.2 points below = 12 steps → +2.4
    expect(refundRateScore(0.04, 0.052, 10)).toEqual({ differencePoints: -1.2, steps: 12, score: 24 });
    // 0.05 points: half a step rounds up to one; 0.04 points rounds to none
    expect(refundRateScore(0.0405, 0.04, 10).score).toBe(-2);
    expect(refundRateScore(0.0404, 0.04, 10).score).toBe(0);
    // no deal of their own: no rate to compare
    expect(refundRateScore(0, 0.04, 0).score).toBe(0);
  });

  it('pay factor (100 + C)%', () => {
    expect(payFactorPercent(-35)).toBe(96.5);
    expect(payFactorPercent(30)).toBe(103);
  });
});
