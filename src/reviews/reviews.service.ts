import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '../events/event-types.js';
import { EventsService } from '../events/events.service.js';
import { AttachmentKind, AttachmentMime, IMAGE_MIMES } from '../kernel/attachments/attachment-kind.js';
import { AttachmentsService } from '../kernel/attachments/attachments.service.js';
import { type AttachmentUploadResponseDto, toAttachmentResponse, toAttachmentUploadResponse } from '../kernel/attachments/dto/attachment.dto.js';
import { type Caller, Role, systemCaller } from '../kernel/auth/roles.js';
import { CalendarService } from '../kernel/calendar/calendar.service.js';
import type { AssignCaseDto, CaseActionDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page } from '../kernel/pagination/pagination.js';
import { allowedActions, type CaseRow, type Effect } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import { resolveOrderRef } from '../orders/order-ref.js';
import { RefundLedgerService } from '../refunds/refund-ledger.service.js';
import { toRefundResponse } from '../refunds/refund.mapper.js';
import { RefundRepository, type RefundRow } from '../refunds/refund.repository.js';
import { RefundSourceRegistry } from '../refunds/refund-sources.js';
import { RefundSourceType } from '../refunds/refund-status.js';
import type { CreateReviewDto, ReviewSettingsDto, ReviewSettingsResponseDto } from './dto/create-review.dto.js';
import type { AcceptRemedyDto } from './dto/review-actions.dto.js';
import type { ListReviewsQueryDto, ReviewDetailDto, ReviewResponseDto } from './dto/review-response.dto.js';
import { bindReviewCalendar } from './review-deadlines.js';
import { orderOfReview, reviewGuards } from './review.guards.js';
import { FIRST_CONTACT_HOURS, reviewMachine } from './review.machine.js';
import { toReviewReplyResponse, toReviewResponse, toReviewRevisedEventData } from './review.mapper.js';
import { ReviewRepliesService } from './review-replies.service.js';
import { loadReviewSettings } from './review-settings.js';
import { RECOVERY_MAX_RATING, RemedyType, ReviewSource, ReviewStatus } from './review-status.js';
import { ReviewsRepository, type ReviewRow, type ShopForReview } from './reviews.repository.js';

/** Evidence of extortion [001]: chat screenshots (images) and PDF transcripts. */
const EVIDENCE_KINDS = [AttachmentKind.ChatTranscript] as const;
const EVIDENCE_MIMES = [...IMAGE_MIMES, AttachmentMime.Pdf];
/** A review written "a little in the future" is clock skew, not a future review. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A review to insert, from a webhook or staff. */
export interface NewReview {
  shop: ShopForReview;
  orderId: string | null;
  currency: string;
  platformOrderId: string | null;
  platformReviewId: string | null;
  source: ReviewSource;
  rating: number;
  content: string;
  reviewedAt: Date;
  platformUpdatedAt: Date | null;
  assigneeId: string | null;
  createdBy: string | null;
}

/** Reviews (SPEC §9): registration, the recovery machine's actions, evidence, and the remedy refund. */
@Injectable()
export class ReviewsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ReviewsRepository,
    private readonly refunds: RefundRepository,
    private readonly ledger: RefundLedgerService,
    private readonly sources: RefundSourceRegistry,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly calendars: CalendarService,
    private readonly attachments: AttachmentsService,
    private readonly replies: ReviewRepliesService,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    // Deadlines read the merchant's calendar in the shop's timezone, inside the transition.
    bindReviewCalendar((ctx) => this.calendars.forMerchant(ctx.row.merchant_id, ctx.clock.timezone, ctx.manager));
    this.registry.register(reviewMachine, { guards: reviewGuards(this.refunds), effects: this.effects() });
    this.sources.register(RefundSourceType.Review, {
      onSucceeded: (m, refund) => this.onRefundSucceeded(m, refund),
      onFailed: (m, refund) => this.onRefundFailed(m, refund),
    });
  }

  /** Staff register a review (platforms without a review webhook) [002 查看中差评]. */
  async create(caller: Caller, dto: CreateReviewDto): Promise<ReviewDetailDto> {
    const reviewedAt = new Date(dto.reviewedAt);
    if (reviewedAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
      throw new InvalidInput('Validation failed', [{ field: 'reviewedAt', errors: ['reviewedAt must not be in the future'] }]);
    }
    const id = await this.db.transaction(async (m) => {
      const shop = await this.repo.shopOf(m, caller.merchantId, dto.shopId);
      if (!shop) throw new NotFound('shop', dto.shopId);
      let order: { id: string; shop_id: string; platform_order_id: string; currency: string } | null = null;
      if (dto.orderId) {
        order = await this.repo.orderById(m, caller.merchantId, await resolveOrderRef(m, caller.merchantId, dto.orderId));
        if (!order) throw new NotFound('order', dto.orderId);
        if (order.shop_id !== shop.id) throw new RuleViolation(`order ${dto.orderId} belongs to another shop than ${shop.id}`);
      }
      if (dto.platformReviewId) {
        await this.repo.lockPlatformReview(m, shop.id, dto.platformReviewId);
        const existing = await this.repo.findByPlatformId(m, shop.id, dto.platformReviewId);
        if (existing) throw new Conflict(`review ${dto.platformReviewId} of shop ${shop.id} is already registered as ${existing.id}`, { reviewId: existing.id });
      }
      if (dto.assigneeId && !(await this.repo.staffExists(m, caller.merchantId, dto.assigneeId))) {
        throw new RuleViolation(`assignee ${dto.assigneeId} is not an active staff member`);
      }
      const row = await this.open(m, caller, {
        shop,
        orderId: order?.id ?? null,
        currency: order?.currency ?? shop.currency,
        platformOrderId: order?.platform_order_id ?? null,
        platformReviewId: dto.platformReviewId ?? null,
        source: ReviewSource.Staff,
        rating: dto.rating,
        content: dto.content,
        reviewedAt,
        platformUpdatedAt: null,
        assigneeId: dto.assigneeId ?? (caller.role === Role.Agent ? (caller.staffId ?? null) : null),
        createdBy: caller.staffId ?? null,
      });
      return row.id;
    });
    return this.get(caller, id);
  }

  /**
   * Inserts a review in the caller's transaction: a neutral or bad one opens the recovery at
   * once, first contact due 24 h after the review (SPEC §9); a good one is `no_action`.
   */
  async open(manager: EntityManager, caller: Caller, r: NewReview, data: Record<string, unknown> = {}): Promise<ReviewRow> {
    const recover = r.rating <= RECOVERY_MAX_RATING;
    const { row } = await this.engine.create(
      reviewMachine,
      caller,
      {
        shop_id: r.shop.id,
        order_id: r.orderId,
        source: r.source,
        platform_review_id: r.platformReviewId,
        platform_order_id: r.platformOrderId,
        currency: r.currency.trim(),
        rating: r.rating,
        rating_before: r.rating,
        content: r.content,
        reviewed_at: r.reviewedAt,
        platform_updated_at: r.platformUpdatedAt,
        first_contact_due_at: recover ? new Date(r.reviewedAt.getTime() + FIRST_CONTACT_HOURS * 3_600_000) : null,
        assignee_id: r.assigneeId,
        created_by: r.createdBy,
      },
      { status: recover ? ReviewStatus.Open : ReviewStatus.NoAction, manager, dueFrom: r.reviewedAt, data: { ...data, rating: r.rating } },
    );
    return row as unknown as ReviewRow;
  }

  /** Fires one action of the review machine. */
  async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<ReviewDetailDto> {
    await this.engine.fire(reviewMachine, id, action, caller, { input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<ReviewDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  note(caller: Caller, id: string, dto: NoteCaseDto): Promise<ReviewDetailDto> {
    return this.act(caller, id, 'note', dto);
  }

  /** [001 敲诈] chat screenshots and PDF transcripts, kept on the case as evidence. */
  async addEvidence(caller: Caller, id: string, req: FastifyRequest): Promise<AttachmentUploadResponseDto> {
    await this.mustFind(this.db.manager, caller.merchantId, id);
    const saved = await this.attachments.saveFromMultipart(req, {
      merchantId: caller.merchantId, caseModule: reviewMachine.name, caseId: id, uploadedBy: caller.staffId ?? null, kinds: EVIDENCE_KINDS, mimes: EVIDENCE_MIMES,
    });
    await this.engine.fire(reviewMachine, id, 'add-evidence', caller, { internal: true, data: { attachmentIds: saved.attachments.map((a) => a.id) } });
    return toAttachmentUploadResponse(saved);
  }

  async get(caller: Caller, id: string): Promise<ReviewDetailDto> {
    const row = await this.mustFind(this.db.manager, caller.merchantId, id);
    const [timeline, replies, evidence, refunds] = await Promise.all([
      this.timeline.listFor(caller.merchantId, reviewMachine.name, id),
      this.repo.repliesOf(caller.merchantId, id),
      this.attachments.listForCase(caller.merchantId, reviewMachine.name, id),
      this.refunds.listBySource(caller.merchantId, RefundSourceType.Review, id),
    ]);
    return {
      ...toReviewResponse(row),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(reviewMachine, row as unknown as CaseRow, caller),
      replies: replies.map(toReviewReplyResponse),
      evidence: evidence.map(toAttachmentResponse),
      refunds: refunds.map(toRefundResponse),
    };
  }

  async list(caller: Caller, q: ListReviewsQueryDto): Promise<Page<ReviewResponseDto>> {
    return mapPage(await this.repo.page(caller.merchantId, q), toReviewResponse);
  }

  async getSettings(caller: Caller): Promise<ReviewSettingsResponseDto> {
    return loadReviewSettings(this.db.manager, caller.merchantId);
  }

  async putSettings(caller: Caller, dto: ReviewSettingsDto): Promise<ReviewSettingsResponseDto> {
    const patch = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    await this.db.query(
      `UPDATE merchants SET settings = jsonb_set(settings, '{reviews}', COALESCE(settings->'reviews', '{}'::jsonb) || $2::jsonb), updated_at = now() WHERE id = $1`,
      [caller.merchantId, JSON.stringify(patch)],
    );
    return this.getSettings(caller);
  }

  /** The side effects the review machine names. */
  private effects(): Record<string, Effect> {
    return {
      /** `accept` of a refund remedy writes the refund in the ledger, in the transition's transaction (422 above what is left). */
      writeRemedyRefund: async (ctx, updated) => {
        if (updated.remedy_type !== RemedyType.Refund) return;
        const order = await orderOfReview(ctx.manager, updated);
        if (!order) throw new RuleViolation('the refund remedy needs the review\'s order, and none is linked');
        const refund = await this.ledger.create(ctx.manager, ctx.caller, {
          orderId: order.id,
          amount: Number(updated.remedy_amount),
          sourceType: RefundSourceType.Review,
          sourceId: updated.id,
          reason: `review remedy (${String(updated.rating_before)}★): ${String(updated.remedy_description ?? 'refund')}`,
          manual: (ctx.input as AcceptRemedyDto).manual,
          // The refund rate counts it against the agent working the case.
          agentId: (updated.assignee_id as string | null) ?? (updated.remedy_offered_by as string | null) ?? ctx.caller.staffId ?? null,
        });
        return { refund_id: refund.id, order_id: order.id };
      },
      sendPublicReply: (ctx, updated) => this.replies.record(ctx, updated),
      /** `review.revised` to the merchant's endpoints, whichever way the revision arrived (platform webhook or staff). */
      publishRevised: async (ctx, updated) => {
        await this.events.publish(ctx.manager, updated.merchant_id as string, EventType.ReviewRevised, toReviewRevisedEventData(ctx.row, updated), ctx.now);
      },
    };
  }

  /** The remedy refund succeeded: its amount is now part of what the case cost. */
  private async onRefundSucceeded(m: EntityManager, refund: RefundRow): Promise<void> {
    if (!refund.source_id) return;
    await this.engine.fire(reviewMachine, refund.source_id, 'refund-succeeded', systemCaller(refund.merchant_id), {
      manager: m, internal: true, input: { refundId: refund.id, amount: Number(refund.amount) },
    });
  }

  private async onRefundFailed(m: EntityManager, refund: RefundRow): Promise<void> {
    if (!refund.source_id) return;
    await this.engine.fire(reviewMachine, refund.source_id, 'refund-failed', systemCaller(refund.merchant_id), {
      manager: m, internal: true, note: refund.failure_reason, data: { refundId: refund.id, retry: `POST /api/v1/refunds/${refund.id}/retry` },
    });
  }

  private async mustFind(m: EntityManager, merchantId: string, id: string): Promise<ReviewRow> {
    const row = isUuid(id) ? await this.repo.findForMerchant(m, merchantId, id) : null;
    if (!row) throw new NotFound('review', id);
    return row;
  }
}
