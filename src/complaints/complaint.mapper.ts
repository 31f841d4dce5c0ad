import { toCaseResponse } from '../kernel/cases/case-response.dto.js';
import type { ComplaintRow } from './complaints.repository.js';
import type { ComplaintResponseDto } from './dto/complaint-response.dto.js';

/** Pure mapper: a complaints row to the response DTO. */
export function toComplaintResponse(r: ComplaintRow): ComplaintResponseDto {
  return {
    ...toCaseResponse({
      id: r.id, shopId: r.shop_id, orderId: r.order_id, status: r.status, version: r.version, assigneeId: r.assignee_id, dueAt: r.due_at,
      cost: r.cost, recovered: r.recovered, createdAt: r.created_at, updatedAt: r.updated_at,
    }),
    status: r.status,
    reportedAt: r.reported_at,
    complainantName: r.complainant_name,
    complainantPhone: r.complainant_phone,
    complainantPhoneE164: r.complainant_phone_e164,
    channel: r.channel,
    category: r.category,
    severity: r.severity,
    content: r.content,
    source: r.source_module && r.source_case_id ? { module: r.source_module, caseId: r.source_case_id, followUpId: r.follow_up_id } : null,
    founded: r.founded,
    assessment: r.assessment,
    assessedBy: r.assessed_by,
    firstResponseAt: r.first_response_at,
    department: r.department,
    responsibleStaffId: r.responsible_staff_id,
    plan: r.plan,
    planCostEstimate: r.plan_cost_estimate === null ? null : Number(r.plan_cost_estimate),
    proposedBy: r.proposed_by,
    planRejectionReason: r.plan_rejection_reason,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    implementedAt: r.implemented_at,
    acceptance: r.acceptance,
    confirmedAt: r.confirmed_at,
    followUpResult: r.follow_up_result,
    followUpComment: r.follow_up_comment,
    followedUpAt: r.followed_up_at,
    reopenCount: r.reopen_count,
    currency: r.currency.trim(),
    createdBy: r.created_by,
  };
}
