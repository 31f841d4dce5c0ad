import type { RefundResponseDto } from './dto/refund-response.dto.js';
import type { RefundRow } from './refund.repository.js';

/** Pure mapper: a refunds row to its response DTO (rows never leave the service layer). */
export function toRefundResponse(r: RefundRow): RefundResponseDto {
  return {
    id: r.id,
    shopId: r.shop_id,
    orderId: r.order_id,
    status: r.status,
    version: r.version,
    amount: Number(r.amount),
    shippingAmount: Number(r.shipping_amount),
    currency: r.currency.trim(),
    source: { type: r.source_type, id: r.source_id },
    reason: r.reason,
    responsibility: r.responsibility,
    method: r.method,
    executionState: r.execution_state,
    executionAttempts: r.execution_attempts,
    platformRefundId: r.platform_refund_id,
    externalReference: r.external_reference,
    failureReason: r.failure_reason,
    retryOf: r.retry_of,
    requestedBy: r.requested_by,
    agentId: r.agent_id,
    dueAt: r.due_at,
    succeededAt: r.succeeded_at,
    failedAt: r.failed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The `data` of `refund.succeeded` / `refund.failed` (docs/events.md): the money, what it paid for, and the platform's answer. */
export function toRefundEventData(r: RefundRow): Record<string, unknown> {
  return {
    id: r.id,
    orderId: r.order_id,
    shopId: r.shop_id,
    status: r.status,
    amount: Number(r.amount),
    shippingAmount: Number(r.shipping_amount),
    currency: r.currency.trim(),
    source: { type: r.source_type, id: r.source_id },
    reason: r.reason,
    method: r.method,
    platformRefundId: r.platform_refund_id,
    externalReference: r.external_reference,
    failureReason: r.failure_reason,
    retryOf: r.retry_of,
  };
}
