import { toCaseResponse } from '../kernel/cases/case-response.dto.js';
import type { ReviewReplyDto, ReviewResponseDto } from './dto/review-response.dto.js';
import { ratingGrade } from './review-status.js';
import type { CaseRow } from '../kernel/state-machine/machine.js';
import type { ReplyRow, ReviewRow } from './reviews.repository.js';

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Pure mapper: a reviews row to the response DTO. */
export function toReviewResponse(r: ReviewRow): ReviewResponseDto {
  return {
    ...toCaseResponse({
      id: r.id, shopId: r.shop_id, orderId: r.order_id, status: r.status, version: r.version, assigneeId: r.assignee_id, dueAt: r.due_at,
      cost: r.cost, recovered: r.recovered, createdAt: r.created_at, updatedAt: r.updated_at,
    }),
    status: r.status,
    source: r.source,
    platformReviewId: r.platform_review_id,
    platformOrderId: r.platform_order_id,
    currency: r.currency.trim(),
    rating: r.rating,
    ratingBefore: r.rating_before,
    ratingAfter: r.rating_after,
    grade: ratingGrade(r.rating_before),
    content: r.content,
    reviewedAt: r.reviewed_at,
    firstContactDueAt: r.first_contact_due_at,
    firstContactedAt: r.first_contacted_at,
    contactAttempts: r.contact_attempts,
    lastContactAt: r.last_contact_at,
    lastContactOutcome: r.last_contact_outcome,
    lastContactChannel: r.last_contact_channel,
    nextAttemptAt: r.next_attempt_at,
    rootCause: r.root_cause,
    serviceCaused: r.service_caused,
    diagnosis: r.diagnosis,
    responsibleStaffId: r.responsible_staff_id,
    remedy: r.remedy_type
      ? {
          type: r.remedy_type,
          amount: Number(r.remedy_amount ?? 0),
          description: r.remedy_description,
          cap: Number(r.remedy_cap ?? 0),
          overCap: r.remedy_over_cap ?? false,
          offeredBy: r.remedy_offered_by,
          offeredAt: r.remedy_offered_at as Date,
          acceptedAt: r.remedy_accepted_at,
        }
      : null,
    refundId: r.refund_id,
    extortionFlaggedAt: r.extortion_flagged_at,
    extortionFlaggedBy: r.extortion_flagged_by,
    extortionDescription: r.extortion_description,
    extortionDemandedAmount: num(r.extortion_demanded_amount),
    publicReply: r.public_reply,
    publicReplyAt: r.public_reply_at,
    outcome: r.outcome,
    closeReason: r.close_reason,
    revisedAt: r.revised_at,
    closedAt: r.closed_at,
    createdBy: r.created_by,
  };
}

export function toReviewReplyResponse(r: ReplyRow): ReviewReplyDto {
  return {
    id: r.id,
    text: r.text,
    delivery: r.delivery,
    status: r.status,
    manualReason: r.manual_reason,
    failureReason: r.failure_reason,
    sentAt: r.sent_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * The `data` of `review.revised` (docs/events.md): the neutral/bad rating the recovery started
 * from and the customer's new one, with the order it was about. `before` is the row as the
 * revision found it, `after` as it wrote it.
 */
export function toReviewRevisedEventData(before: CaseRow, after: CaseRow): Record<string, unknown> {
  const r = after as unknown as ReviewRow;
  return {
    id: r.id,
    shopId: r.shop_id,
    orderId: r.order_id,
    platformOrderId: r.platform_order_id,
    platformReviewId: r.platform_review_id,
    oldRating: r.rating_before,
    newRating: r.rating_after ?? r.rating,
    fromStatus: before.status,
    revisedAt: r.revised_at,
    content: r.content,
  };
}
