import type { FollowUpResponseDto } from './dto/follow-up.dto.js';
import type { FollowUpRow } from './follow-ups.repository.js';

/** Pure mapper: a follow_ups row to the response DTO; `overdue` is judged at `now`. */
export function toFollowUpResponse(r: FollowUpRow, now = new Date()): FollowUpResponseDto {
  return {
    id: r.id,
    shopId: r.shop_id,
    orderId: r.order_id,
    status: r.status,
    version: r.version,
    assigneeId: r.assignee_id,
    dueAt: r.due_at,
    overdue: r.due_at !== null && r.due_at.getTime() < now.getTime(),
    source: { module: r.source_module, caseId: r.source_case_id, collection: r.source_collection, round: r.round, resolvedAt: r.resolved_at },
    result: r.result,
    comment: r.comment,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    dismissReason: r.dismiss_reason,
    complaintId: r.complaint_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
