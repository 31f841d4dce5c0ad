import type { EntityManager } from 'typeorm';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { InvalidInput, NotAllowed, RuleViolation } from '../kernel/errors/domain-errors.js';
import { formatMoney } from '../kernel/money/money.js';
import type { CaseRow, Guard, TransitionContext } from '../kernel/state-machine/machine.js';
import { paidAmountOf, type RefundRepository } from '../refunds/refund.repository.js';
import type { DiagnoseReviewDto, LogContactDto, OfferRemedyDto, ReviseReviewDto } from './dto/review-actions.dto.js';
import { attemptedAtOf } from './review-deadlines.js';
import { loadReviewSettings, remedyCap } from './review-settings.js';
import { MONEY_REMEDIES, RemedyType } from './review-status.js';

/** A call logged a few minutes "ahead" is clock skew between devices, not a future call. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ReviewOrder {
  id: string;
  order_number: string;
  currency: string;
  total_amount: string | number;
  status: string;
  paid_at: Date | null;
}

/** The review's order: the linked one, else the shop's order with the platform order id the review named. */
export async function orderOfReview(manager: EntityManager, row: CaseRow): Promise<ReviewOrder | null> {
  const cols = 'id, order_number, currency, total_amount, status, paid_at';
  if (row.order_id) {
    const [o]: ReviewOrder[] = await manager.query(`SELECT ${cols} FROM orders WHERE id = $1 AND merchant_id = $2`, [row.order_id, row.merchant_id]);
    return o ?? null;
  }
  if (!row.platform_order_id) return null;
  const [o]: ReviewOrder[] = await manager.query(`SELECT ${cols} FROM orders WHERE shop_id = $1 AND platform_order_id = $2`, [row.shop_id, row.platform_order_id]);
  return o ?? null;
}

/** Money of an offer, minor units (0 for an apology). */
export function remedyMoneyOf(input: OfferRemedyDto): number {
  return MONEY_REMEDIES.includes(input.type) ? (input.amount ?? 0) : 0;
}

function isAgent(caller: Caller): boolean {
  return caller.type === 'staff' && caller.role === Role.Agent;
}

function money(row: CaseRow, minor: number): string {
  return formatMoney(minor, String(row.currency).trim());
}

/** A call is logged after it happened, not before the review existed. */
export function throwIfBadAttemptTime(ctx: TransitionContext): void {
  if (!(ctx.input as LogContactDto).attemptedAt) return;
  const at = attemptedAtOf(ctx);
  if (at.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS) {
    throw new InvalidInput('Validation failed', [{ field: 'attemptedAt', errors: ['attemptedAt must not be in the future'] }]);
  }
  if (at.getTime() < new Date(ctx.row.reviewed_at as Date).getTime()) {
    throw new RuleViolation(`a contact attempt at ${at.toISOString()} cannot precede the review (${new Date(ctx.row.reviewed_at as Date).toISOString()})`);
  }
}

/** [002 服务引起的中差评] the person it counts against is active staff of the merchant. */
export async function throwIfResponsibleNotStaff(ctx: TransitionContext): Promise<void> {
  const id = (ctx.input as DiagnoseReviewDto).responsibleStaffId;
  if (!id) return;
  const rows: unknown[] = await ctx.manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [id, ctx.row.merchant_id]);
  if (!rows.length) throw new RuleViolation(`responsible staff ${id} is not an active staff member of this merchant`);
}

/** A revision is a better rating than the original one. */
export function throwIfNotBetterRating(ctx: TransitionContext): void {
  const { rating } = ctx.input as ReviseReviewDto;
  const before = Number(ctx.row.rating_before);
  if (!(rating > before)) throw new RuleViolation(`a revision must raise the rating above the original ${before} star(s); got ${rating}`, { ratingBefore: before, rating });
}

/** [001 敲诈] extortion is flagged on evidence: the customer's own words, captured from the chat. */
export async function throwIfNoEvidence(ctx: TransitionContext): Promise<void> {
  const rows: unknown[] = await ctx.manager.query(
    // The review's evidence route takes chat transcripts only, so any attachment of the case is one.
    'SELECT 1 FROM attachments WHERE merchant_id = $1 AND case_module = $2 AND case_id = $3 LIMIT 1',
    [ctx.row.merchant_id, ctx.machine.name, ctx.row.id],
  );
  if (!rows.length) {
    throw new RuleViolation(
      `flagging extortion needs evidence: upload the chat screenshots or PDF transcript first (POST /api/v1/reviews/${ctx.row.id}/evidence, field chat_transcript) [001]`,
    );
  }
}

/** [001 敲诈] once extortion is flagged, money is offered only by a supervisor. */
export function throwIfExtortionMoney(ctx: TransitionContext): void {
  const amount = remedyMoneyOf(ctx.input as OfferRemedyDto);
  if (!ctx.row.extortion_flagged_at || amount <= 0 || !isAgent(ctx.caller)) return;
  throw new NotAllowed(`extortion was flagged on this review: only a supervisor may offer money (${money(ctx.row, amount)} asked)`, { amount });
}

/**
 * Guards that read the order and its refunds: the remedy fits the case (an apology carries no
 * money; a refund needs the paid order and stays within what is left to refund), and [001] no
 * review is bought with unbounded money — above the cap only a supervisor offers (403 naming it).
 */
export function reviewGuards(refunds: RefundRepository): Record<string, Guard> {
  return {
    throwIfBadAttemptTime,
    throwIfResponsibleNotStaff,
    throwIfNotBetterRating,
    throwIfNoEvidence,
    throwIfExtortionMoney,

    async throwIfRemedyImpossible(ctx) {
      const input = ctx.input as OfferRemedyDto;
      if (input.type === RemedyType.Apology && input.amount !== undefined) {
        throw new InvalidInput('Validation failed', [{ field: 'amount', errors: ['an apology carries no amount'] }]);
      }
      if (input.type !== RemedyType.Refund) return;
      const order = await orderOfReview(ctx.manager, ctx.row);
      if (!order) throw new RuleViolation('a refund needs the review\'s order, and none is linked: offer a gift or a reship, or register the order first');
      const paid = paidAmountOf(order);
      const left = Math.max(paid - (await refunds.sumCommittedForOrder(ctx.manager, order.id)), 0);
      if ((input.amount ?? 0) > left) {
        throw new RuleViolation(`cannot offer a refund of ${money(ctx.row, input.amount ?? 0)}: ${money(ctx.row, left)} of order ${order.order_number} is left to refund`, { refundable: left });
      }
    },

    async throwIfOverRemedyCap(ctx) {
      const amount = remedyMoneyOf(ctx.input as OfferRemedyDto);
      if (amount <= 0 || !isAgent(ctx.caller)) return;
      const [order, settings] = await Promise.all([orderOfReview(ctx.manager, ctx.row), loadReviewSettings(ctx.manager, ctx.row.merchant_id)]);
      const cap = remedyCap(order ? Number(order.total_amount) : null, settings);
      if (amount <= cap) return;
      const basis = order
        ? `${settings.remedyCapPercent} % of the order's ${money(ctx.row, Number(order.total_amount))}, at most ${money(ctx.row, settings.remedyCapMax)}`
        : 'no order is linked, so there is no amount to take a share of';
      throw new NotAllowed(`offering ${money(ctx.row, amount)} needs a supervisor: the remedy cap is ${money(ctx.row, cap)} (${basis}) [001]`, { amount, cap });
    },
  };
}
