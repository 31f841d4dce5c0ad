import fc from 'fast-check';
import { Role } from '../kernel/auth/roles.js';
import { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import { CalendarDayKind, DEFAULT_WEEKLY_HOURS } from '../kernel/calendar/calendar-rules.js';
import { allowedActions, staysPut, type TransitionContext } from '../kernel/state-machine/machine.js';
import { mapGenericReview } from '../webhooks/platforms/generic.adapter.js';
import { bindReviewCalendar, nextAttemptAt } from './review-deadlines.js';
import { throwIfBadAttemptTime, throwIfExtortionMoney, throwIfNotBetterRating } from './review.guards.js';
import { reviewMachine } from './review.machine.js';
import { replyRoute } from './review-replies.service.js';
import { remedyCap } from './review-settings.js';
import { ContactOutcome, OPEN_REVIEW_STATUSES, RemedyType, ReviewStatus } from './review-status.js';

const agent = { type: 'staff' as const, merchantId: 'm', staffId: 's', role: Role.Agent };
const supervisor = { ...agent, role: Role.Supervisor };
const cal = new BusinessCalendar(
  { weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: { start: '21:00', end: '09:00' }, days: [{ date: '2026-10-01', kind: CalendarDayKind.Holiday, name: '国庆节', hours: null }] },
  'Asia/Shanghai',
);
const noSettings = { query: async () => [{ settings: {} }] };
const ctx = (row: Record<string, unknown>, input: object = {}, caller: object = agent, now = new Date('2026-10-02T12:00:00+08:00')) =>
  ({ row: { merchant_id: 'm', currency: 'CNY', ...row }, input, caller, now, manager: noSettings, machine: reviewMachine }) as unknown as TransitionContext;

describe('review machine', () => {
  beforeAll(() => bindReviewCalendar(async () => cal));

  it('every open state has a way forward and a public reply; terminal states have neither', () => {
    for (const [name, s] of Object.entries(reviewMachine.states)) {
      const out = Object.entries(reviewMachine.actions).filter(([, a]) => !a.internal && !staysPut(a) && (a.from as readonly string[]).includes(name));
      if (s.terminal) expect(out).toEqual([]);
      else expect(out.length).toBeGreaterThan(0);
      expect(allowedActions(reviewMachine, { status: name }, agent).includes('reply')).toBe(!s.terminal);
    }
    expect(OPEN_REVIEW_STATUSES).toEqual(Object.keys(reviewMachine.states).filter((s) => !reviewMachine.states[s as ReviewStatus].terminal));
  });

  it('log-contact: reached goes on, no_answer and refused stay contacting', () => {
    const to = reviewMachine.actions['log-contact'].to as { resolve: (c: TransitionContext) => string };
    expect(to.resolve(ctx({}, { outcome: ContactOutcome.Reached }))).toBe(ReviewStatus.Reached);
    expect(to.resolve(ctx({}, { outcome: ContactOutcome.NoAnswer }))).toBe(ReviewStatus.Contacting);
    expect(to.resolve(ctx({}, { outcome: ContactOutcome.Refused }))).toBe(ReviewStatus.Contacting);
  });

  it('the next attempt after no answer is 2 h later, moved out of quiet hours (a holiday does not block a call)', async () => {
    const next = (at: string) => nextAttemptAt(ctx({}, { outcome: ContactOutcome.NoAnswer, attemptedAt: at }));
    expect((await next('2026-10-02T10:00:00+08:00')).toISOString()).toBe(new Date('2026-10-02T12:00:00+08:00').toISOString());
    expect((await next('2026-09-30T20:30:00+08:00')).toISOString()).toBe(new Date('2026-10-01T09:00:00+08:00').toISOString());
    expect((await next('2026-10-01T06:00:00+08:00')).toISOString()).toBe(new Date('2026-10-01T09:00:00+08:00').toISOString());
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), async (ms) => {
        const at = new Date(ms);
        const n = await next(at.toISOString());
        expect(cal.isQuietTime(n)).toBe(false);
        expect(n.getTime()).toBeGreaterThanOrEqual(ms + 2 * 3_600_000);
      }),
      { numRuns: 200 },
    );
  });

  it('a call is logged after it happened and not before the review', () => {
    const row = { reviewed_at: new Date('2026-10-01T10:00:00+08:00') };
    expect(() => throwIfBadAttemptTime(ctx(row, { attemptedAt: '2026-10-01T11:00:00+08:00' }))).not.toThrow();
    expect(() => throwIfBadAttemptTime(ctx(row, { attemptedAt: '2026-10-03T11:00:00+08:00' }))).toThrow(/Validation failed/);
    expect(() => throwIfBadAttemptTime(ctx(row, { attemptedAt: '2026-10-01T09:00:00+08:00' }))).toThrow(/cannot precede the review/);
  });

  it('[001] the cap: 10 % of the order, at most 50.00; no order, no cap', () => {
    const s = { remedyCapPercent: 10, remedyCapMax: 5_000 };
    expect(remedyCap(30_000, s)).toBe(3_000);
    expect(remedyCap(99_999, s)).toBe(5_000);
    expect(remedyCap(1_999, s)).toBe(199);
    expect(remedyCap(null, s)).toBe(0);
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 0, max: 100 }), fc.nat(), (order, pct, max) => {
      const cap = remedyCap(order, { remedyCapPercent: pct, remedyCapMax: max });
      expect(cap).toBeLessThanOrEqual(max);
      expect(cap * 100).toBeLessThanOrEqual(order * pct);
      expect(Number.isSafeInteger(cap)).toBe(true);
    }));
  });

  it('[001 敲诈] after extortion an agent may apologise but not pay; a supervisor may', () => {
    const flagged = { extortion_flagged_at: new Date() };
    expect(() => throwIfExtortionMoney(ctx(flagged, { type: RemedyType.Gift, amount: 100 }))).toThrow(/only a supervisor may offer money/);
    expect(() => throwIfExtortionMoney(ctx(flagged, { type: RemedyType.Apology }))).not.toThrow();
    expect(() => throwIfExtortionMoney(ctx(flagged, { type: RemedyType.Refund, amount: 100 }, supervisor))).not.toThrow();
    expect(() => throwIfExtortionMoney(ctx({ extortion_flagged_at: null }, { type: RemedyType.Gift, amount: 100 }))).not.toThrow();
  });

  it('a revision is a better rating than the original', () => {
    expect(() => throwIfNotBetterRating(ctx({ rating_before: 2 }, { rating: 5 }))).not.toThrow();
    expect(() => throwIfNotBetterRating(ctx({ rating_before: 2 }, { rating: 2 }))).toThrow(/above the original 2/);
  });

  it('replies go through the platform adapter only where a reply API is configured', () => {
    const shop = (platform: string, cfg: Record<string, unknown> = {}) => ({ id: 'sh', platform, platform_config: cfg });
    expect(replyRoute(shop('generic', { replyWebhookUrl: 'https://erp.example.com/r' }), 'rv1')).toEqual({ delivery: 'platform', manualReason: null });
    expect(replyRoute(shop('shopify'), 'rv1')).toMatchObject({ delivery: 'manual', manualReason: expect.stringMatching(/Shopify has no API/) });
    expect(replyRoute(shop('generic'), 'rv1')).toMatchObject({ delivery: 'manual', manualReason: expect.stringMatching(/replyWebhookUrl/) });
    expect(replyRoute(shop('generic', { replyWebhookUrl: 'https://erp.example.com/r' }), null)).toMatchObject({ delivery: 'manual' });
  });

  it('maps the generic review payload of SPEC §9 and refuses what cannot be a review', () => {
    const env = { occurredAt: '2026-10-03T10:00:00+08:00' };
    const r = mapGenericReview('review.updated', { reviewId: 77, orderId: 'P-1', rating: '5', content: '很好 &amp; 快', reviewedAt: '2026-10-01T10:00:00+08:00' }, env);
    expect(r).toEqual({
      topic: 'updated', platformReviewId: '77', platformOrderId: 'P-1', rating: 5, content: '很好 & 快',
      reviewedAt: new Date('2026-10-01T10:00:00+08:00'), updatedAt: new Date('2026-10-03T10:00:00+08:00'),
    });
    expect(mapGenericReview('review.created', { reviewId: 'a', rating: 1, reviewedAt: '2026-10-01T10:00:00Z' }, env)).toMatchObject({ platformOrderId: null, content: '' });
    for (const bad of [{ rating: 2 }, { reviewId: 'a', rating: 0, reviewedAt: env.occurredAt }, { reviewId: 'a', rating: 4.5, reviewedAt: env.occurredAt }, { reviewId: 'a', rating: 3 }]) {
      expect(() => mapGenericReview('review.created', bad, env)).toThrow();
    }
  });
});
