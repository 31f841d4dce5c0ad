import type { ReuseHit } from '../kernel/attachments/attachments.service.js';
import { toCaseResponse } from '../kernel/cases/case-response.dto.js';
import type { ClaimLineRow, ClaimRow } from './claims.repository.js';
import type { ClaimResponseDto, SuspectedReuseDto } from './dto/claim-response.dto.js';

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Pure mapper: a claims row and its lines to the response DTO. */
export function toClaimResponse(r: ClaimRow, lines: ClaimLineRow[]): ClaimResponseDto {
  return {
    ...toCaseResponse({
      id: r.id, shopId: r.shop_id, orderId: r.order_id, status: r.status, version: r.version, assigneeId: r.assignee_id, dueAt: r.due_at,
      cost: r.cost, recovered: r.recovered, createdAt: r.created_at, updatedAt: r.updated_at,
    }),
    orderId: r.order_id,
    status: r.status,
    type: r.type,
    currency: r.currency.trim(),
    trackingNo: r.tracking_no,
    carrier: r.carrier,
    description: r.description,
    reportedAt: r.reported_at,
    evidenceReceivedAt: r.evidence_received_at,
    suspectedReuseOf: r.suspected_reuse_of,
    authentic: r.authentic,
    responsibility: r.responsibility,
    responsibleStaffId: r.responsible_staff_id,
    shippedWeightGrams: r.shipped_weight_grams,
    expectedWeightGrams: r.expected_weight_grams,
    weightDifferenceGrams: r.shipped_weight_grams !== null && r.expected_weight_grams !== null ? r.shipped_weight_grams - r.expected_weight_grams : null,
    verifiedBy: r.verified_by,
    verifiedAt: r.verified_at,
    rejectReason: r.reject_reason,
    resolution: r.resolution,
    lossShare: r.loss_share_bp,
    refundAmount: num(r.refund_amount),
    reshipOrderId: r.reship_order_id,
    reshipCost: num(r.reship_cost),
    freightCost: num(r.freight_cost),
    giftCost: num(r.gift_cost),
    giftNote: r.gift_note,
    resolvedAt: r.resolved_at,
    carrierClaim:
      r.carrier_claim_amount === null
        ? null
        : { amountClaimed: Number(r.carrier_claim_amount), carrierReference: r.carrier_claim_reference ?? '', claimedAt: r.carrier_claimed_at as Date },
    recoveryOutcome: r.recovery_outcome,
    closedAt: r.closed_at,
    createdBy: r.created_by,
    lines: lines.map((l) => ({
      orderLineId: l.order_line_id, lineNo: l.line_no, platformLineId: l.platform_line_id, sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: Number(l.unit_price),
    })),
  };
}

/** Reuse hits of other claims (photos in other modules' cases are not a claim's concern). */
export function toSuspectedReuse(hits: ReuseHit[], claimModule: string): SuspectedReuseDto[] {
  return hits
    .filter((h) => h.caseModule === claimModule)
    .map((h) => ({ claimId: h.caseId, attachmentId: h.attachmentId, otherAttachmentId: h.otherAttachmentId, otherAttachedAt: h.attachedAt }));
}
