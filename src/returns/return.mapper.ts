import { toCaseResponse } from '../kernel/cases/case-response.dto.js';
import type { ReturnResponseDto } from './dto/return-response.dto.js';
import type { ReturnLineRow, ReturnRow } from './returns.repository.js';

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Pure mapper: a return_cases row and its lines to the response DTO. */
export function toReturnResponse(r: ReturnRow, lines: ReturnLineRow[]): ReturnResponseDto {
  return {
    ...toCaseResponse({
      id: r.id, shopId: r.shop_id, orderId: r.order_id, status: r.status, version: r.version, assigneeId: r.assignee_id, dueAt: r.due_at,
      cost: r.cost, recovered: r.recovered, createdAt: r.created_at, updatedAt: r.updated_at,
    }),
    orderId: r.order_id,
    status: r.status,
    type: r.type,
    reason: r.reason,
    description: r.description,
    reportedAt: r.reported_at,
    currency: r.currency.trim(),
    requestedAmount: Number(r.requested_amount),
    approvedAmount: num(r.approved_amount),
    approvedBy: r.approved_by,
    rejectReason: r.reject_reason,
    returnCarrier: r.return_carrier,
    returnTrackingNo: r.return_tracking_no,
    receivedAt: r.received_at,
    inspectionResult: r.inspection_result,
    inspectionNote: r.inspection_note,
    exchangeShipmentId: r.exchange_shipment_id,
    cancelReason: r.cancel_reason,
    closeReason: r.close_reason,
    source: r.source,
    platformReturnId: r.platform_return_id,
    platformDecision: r.platform_decision,
    platformDecisionState: r.platform_decision_state,
    platformDecisionError: r.platform_decision_error,
    createdBy: r.created_by,
    lines: lines.map((l) => ({
      id: l.id,
      orderLineId: l.order_line_id,
      lineNo: l.line_no,
      platformLineId: l.platform_line_id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      reason: l.reason,
      customerNote: l.customer_note,
      platformReturnLineId: l.platform_return_line_id,
      restocked: Number(l.restocked),
      damaged: Number(l.damaged),
      missing: num(l.missing),
    })),
  };
}
