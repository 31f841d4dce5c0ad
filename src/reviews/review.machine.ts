import { AGENT_PLUS, SUPERVISOR_PLUS } from '../kernel/auth/roles.js';
import { defineMachine, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import {
  AcceptRemedyDto, CloseUnreachedDto, DeclineRemedyDto, DiagnoseReviewDto, FlagExtortionDto, LogContactDto, MarkUnrevisedDto, OfferRemedyDto,
  RefuseDemandDto, ReplyReviewDto, ReviseReviewDto,
} from './dto/review-actions.dto.js';
import { AFTER_CONTACT_DUE, attemptedAtOf, ESCALATION_DUE, nextAttemptAt, OFFER_DUE } from './review-deadlines.js';
import { orderOfReview, remedyMoneyOf } from './review.guards.js';
import { loadReviewSettings, remedyCap } from './review-settings.js';
import { ContactChannel, ContactOutcome, MONEY_REMEDIES, OPEN_REVIEW_STATUSES, RemedyType, ReviewOutcome, ReviewStatus } from './review-status.js';

const S = ReviewStatus;
/** Remedies an accepted offer turns into cost at once (a refund counts when it succeeds). */
const GOODS_REMEDIES: readonly RemedyType[] = MONEY_REMEDIES.filter((r) => r !== RemedyType.Refund);
const OVERDUE: OnDue = { mark: 'overdue' };
/** [001] the customer has a week to revise after accepting a remedy. */
export const REVISION_WAIT_DAYS = 7;
/** SPEC §9: the first contact attempt is due within 24 h of the review. */
export const FIRST_CONTACT_HOURS = 24;

/** Input of the platform's (or staff's) revision; the sync service adds the platform's version. */
interface RevisionInput extends ReviseReviewDto {
  platformUpdatedAt?: string;
}

/** A platform update that is not a revision (same or worse rating, or a closed case): recorded as it is. */
export interface PlatformUpdateInput {
  rating: number;
  content: string;
  platformUpdatedAt: string;
}

const closing = (ctx: TransitionContext, outcome: ReviewOutcome, reason?: string | null) => ({ outcome, closed_at: ctx.now, close_reason: reason ?? null });

/**
 * 中差评处理 (SPEC §9). [002 售后日工作流程] 查看中差评 → 负面评价回复及解释 → 联系中差评; [001 篇一]
 * 合理/合算: an apology first, money within a cap, and never a review bought with unbounded money;
 * extortion kept on evidence. The review row is the case.
 */
export const reviewMachine = defineMachine<ReviewStatus>({
  name: 'review',
  table: 'reviews',
  collection: 'reviews',
  description: 'Review and its bad-review recovery: contact, diagnose, remedy within the cap, revision [001][002]',
  kind: 'case',
  states: {
    [S.NoAction]: { description: 'a good review (4–5 stars): nothing to recover', tags: ['closed'], terminal: true },
    [S.Open]: { description: 'neutral/bad review: first contact due within 24 h of the review [002 联系中差评]', tags: ['open'], due: { kind: 'hours', hours: FIRST_CONTACT_HOURS }, onDue: OVERDUE },
    [S.Contacting]: { description: 'not reached yet: the next attempt is due at a callable time', tags: ['open'], onDue: OVERDUE },
    [S.Reached]: { description: 'customer reached: find the root cause', tags: ['open'], onDue: OVERDUE },
    [S.Diagnosed]: { description: 'root cause known: offer a remedy', tags: ['open'], onDue: OVERDUE },
    [S.RemedyOffered]: { description: 'remedy offered: the customer decides', tags: ['waiting_customer'], due: { kind: 'days', days: 3 }, onDue: OVERDUE },
    // The customer's problem is settled (remedy accepted); the revision is theirs to make.
    [S.AwaitingRevision]: {
      description: `remedy accepted: waiting ${REVISION_WAIT_DAYS} days for the revised review`,
      tags: ['waiting_customer', 'resolved'],
      due: { kind: 'days', days: REVISION_WAIT_DAYS },
      onDue: { action: 'mark-unrevised', note: `not revised within ${REVISION_WAIT_DAYS} days of accepting the remedy` },
    },
    [S.Escalated]: { description: 'extortion flagged with evidence [001 敲诈]: a supervisor decides; money only from a supervisor', tags: ['open'], onDue: OVERDUE },
    [S.Closed]: { description: 'done: revised, declined, unrevised, unreached or extortion_refused', tags: ['closed'], terminal: true },
  },
  initial: [S.Open, S.NoAction],
  actions: {
    'log-contact': {
      description: 'log a call: reached → reached; no_answer / refused → contacting (no_answer: next attempt at the next callable time) [002 联系中差评]',
      from: [S.Open, S.Contacting],
      to: { targets: [S.Contacting, S.Reached], resolve: (ctx) => ((ctx.input as LogContactDto).outcome === ContactOutcome.Reached ? S.Reached : S.Contacting) },
      actors: AGENT_PLUS,
      guards: ['throwIfBadAttemptTime'],
      input: LogContactDto,
      due: AFTER_CONTACT_DUE,
      set: async (ctx) => {
        const i = ctx.input as LogContactDto;
        const at = attemptedAtOf(ctx);
        return {
          contact_attempts: Number(ctx.row.contact_attempts) + 1,
          last_contact_at: at,
          last_contact_outcome: i.outcome,
          last_contact_channel: i.channel ?? ContactChannel.Phone,
          first_contacted_at: ctx.row.first_contacted_at ?? at,
          next_attempt_at: i.outcome === ContactOutcome.NoAnswer ? await nextAttemptAt(ctx) : null,
        };
      },
    },
    diagnose: {
      description: 'record the root cause and whether our service caused it [002 服务引起的中差评]',
      from: [S.Reached],
      to: S.Diagnosed,
      actors: AGENT_PLUS,
      guards: ['throwIfResponsibleNotStaff'],
      input: DiagnoseReviewDto,
      due: OFFER_DUE,
      set: (ctx) => {
        const i = ctx.input as DiagnoseReviewDto;
        return {
          root_cause: i.rootCause,
          service_caused: i.serviceCaused,
          diagnosis: i.diagnosis ?? null,
          responsible_staff_id: i.serviceCaused ? (i.responsibleStaffId ?? ctx.row.assignee_id ?? null) : null,
        };
      },
    },
    'offer-remedy': {
      description: 'offer apology, refund, gift or reship; money above the cap (default 10 % of the order, at most 50.00) or after extortion only by a supervisor [001]',
      from: [S.Diagnosed, S.RemedyOffered, S.Escalated],
      to: S.RemedyOffered,
      actors: AGENT_PLUS,
      guards: ['throwIfRemedyImpossible', 'throwIfExtortionMoney', 'throwIfOverRemedyCap'],
      input: OfferRemedyDto,
      set: async (ctx) => {
        const i = ctx.input as OfferRemedyDto;
        const amount = remedyMoneyOf(i);
        const [order, settings] = await Promise.all([orderOfReview(ctx.manager, ctx.row), loadReviewSettings(ctx.manager, ctx.row.merchant_id)]);
        const cap = remedyCap(order ? Number(order.total_amount) : null, settings);
        return {
          // A review that named a platform order before that order arrived is linked now.
          order_id: ctx.row.order_id ?? order?.id ?? null,
          remedy_type: i.type,
          remedy_amount: amount,
          remedy_cap: cap,
          remedy_over_cap: amount > cap,
          remedy_description: i.description ?? null,
          remedy_offered_by: ctx.caller.staffId ?? null,
          remedy_offered_at: ctx.now,
          remedy_accepted_at: null,
        };
      },
    },
    accept: {
      description: 'the customer accepted the remedy: a refund goes through the refund ledger; a gift or reship adds its cost',
      from: [S.RemedyOffered],
      to: S.AwaitingRevision,
      actors: AGENT_PLUS,
      input: AcceptRemedyDto,
      effects: ['writeRemedyRefund'],
      set: (ctx) => {
        // A refund counts in `cost` when it succeeds (the ledger tells); goods cost from now.
        const goods = GOODS_REMEDIES.includes(ctx.row.remedy_type as RemedyType);
        return { remedy_accepted_at: ctx.now, cost: Number(ctx.row.cost) + (goods ? Number(ctx.row.remedy_amount ?? 0) : 0) };
      },
    },
    decline: {
      description: 'the customer declined the remedy',
      from: [S.RemedyOffered],
      to: S.Closed,
      actors: AGENT_PLUS,
      input: DeclineRemedyDto,
      set: (ctx) => closing(ctx, ReviewOutcome.Declined, (ctx.input as DeclineRemedyDto).reason),
    },
    revise: {
      description: 'the review was revised to a better rating (the platform\'s review.updated, or staff for platforms without review webhooks); rating before and after kept',
      from: [...OPEN_REVIEW_STATUSES],
      to: S.Closed,
      actors: [...AGENT_PLUS, 'platform'],
      guards: ['throwIfNotBetterRating'],
      effects: ['publishRevised'],
      input: ReviseReviewDto,
      set: (ctx) => {
        const i = ctx.input as RevisionInput;
        return {
          ...closing(ctx, ReviewOutcome.Revised),
          rating: i.rating,
          rating_after: i.rating,
          content: i.content ?? ctx.row.content,
          revised_at: ctx.now,
          platform_updated_at: i.platformUpdatedAt ? new Date(i.platformUpdatedAt) : ctx.row.platform_updated_at,
        };
      },
    },
    'mark-unrevised': {
      description: `not revised within ${REVISION_WAIT_DAYS} days of accepting the remedy (the timer), or staff say it will not be`,
      from: [S.AwaitingRevision],
      to: S.Closed,
      actors: [...AGENT_PLUS, 'system'],
      input: MarkUnrevisedDto,
      set: (ctx) => closing(ctx, ReviewOutcome.Unrevised),
    },
    'flag-extortion': {
      description: '[001 敲诈] the customer demands money for the review: evidence (chat transcript) must be attached first; money afterwards only from a supervisor',
      from: OPEN_REVIEW_STATUSES.filter((s) => s !== S.Escalated),
      to: S.Escalated,
      actors: AGENT_PLUS,
      guards: ['throwIfNoEvidence'],
      input: FlagExtortionDto,
      due: ESCALATION_DUE,
      set: (ctx) => {
        const i = ctx.input as FlagExtortionDto;
        return {
          extortion_flagged_at: ctx.now,
          extortion_flagged_by: ctx.caller.staffId ?? null,
          extortion_description: i.description,
          extortion_demanded_amount: i.demandedAmount ?? null,
        };
      },
    },
    'refuse-demand': {
      description: 'a supervisor refuses the extortion demand (e.g. reported to the platform with the evidence)',
      from: [S.Escalated],
      to: S.Closed,
      actors: SUPERVISOR_PLUS,
      input: RefuseDemandDto,
      set: (ctx) => closing(ctx, ReviewOutcome.ExtortionRefused, (ctx.input as RefuseDemandDto).reason),
    },
    'close-unreached': {
      description: 'stop: the customer cannot be reached or refuses to talk (reply publicly first)',
      from: [S.Open, S.Contacting],
      to: S.Closed,
      actors: AGENT_PLUS,
      input: CloseUnreachedDto,
      set: (ctx) => closing(ctx, ReviewOutcome.Unreached, (ctx.input as CloseUnreachedDto).reason),
    },
    reply: {
      description: '[002 负面评价回复及解释] public reply under the review, sent through the platform adapter (or recorded for staff to paste when the platform has no reply API)',
      from: [...OPEN_REVIEW_STATUSES],
      to: 'stay',
      actors: AGENT_PLUS,
      input: ReplyReviewDto,
      effects: ['sendPublicReply'],
      set: (ctx) => ({ public_reply: (ctx.input as ReplyReviewDto).text, public_reply_at: ctx.now, public_reply_by: ctx.caller.staffId ?? null }),
    },
    'platform-update': {
      description: 'the platform changed the review without improving on the original rating (or after the case closed): recorded as it is',
      from: Object.values(S),
      to: 'stay',
      actors: ['platform'],
      internal: true,
      set: (ctx) => {
        const i = ctx.input as PlatformUpdateInput;
        return { rating: i.rating, content: i.content, platform_updated_at: new Date(i.platformUpdatedAt) };
      },
    },
    'add-evidence': {
      description: 'chat screenshots or transcripts were attached',
      from: Object.values(S),
      to: 'stay',
      actors: AGENT_PLUS,
      internal: true,
    },
    'refund-succeeded': {
      description: 'the remedy refund succeeded (told by the refund ledger): its amount adds to the cost',
      from: Object.values(S),
      to: 'stay',
      actors: ['system'],
      internal: true,
      set: (ctx) => ({ cost: Number(ctx.row.cost) + Number((ctx.input as { amount: number }).amount) }),
    },
    'refund-failed': {
      description: 'the remedy refund failed (told by the refund ledger); a retry is a new refund',
      from: Object.values(S),
      to: 'stay',
      actors: ['system'],
      internal: true,
    },
    'reply-failed': {
      description: 'the platform refused the public reply (or retries ran out): paste it by hand',
      from: Object.values(S),
      to: 'stay',
      actors: ['system'],
      internal: true,
    },
  },
});
