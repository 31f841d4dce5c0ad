import { FINANCE_PLUS } from '../kernel/auth/roles.js';
import { type CaseRow, defineMachine } from '../kernel/state-machine/machine.js';
import { RecordFailureDto, RecordManualDto } from './dto/refund-actions.dto.js';
import { RefundExecutionState, RefundMethod, RefundStatus } from './refund-status.js';

/** Only refunds paid outside the service are settled by hand; the others are settled by their platform. */
export function isManual(row: CaseRow): string | null {
  return row.method === RefundMethod.Manual ? null : `refund ${row.id} is executed through ${String(row.method)}; only manual refunds are recorded by finance`;
}

/**
 * The refund: a money movement written once. Its amount never changes; its status leaves
 * `pending` once. A failed refund is retried by a new row (`retry_of`), never by reopening it.
 */
export const refundMachine = defineMachine<RefundStatus>({
  name: 'refund',
  table: 'refunds',
  collection: 'refunds',
  description: 'Refund ledger row (SPEC §7): pending → succeeded | failed',
  states: {
    // [002] 售后日工作流程 一: 处理退款中订单 — a pending refund is today's work until it is paid.
    [RefundStatus.Pending]: { description: 'counted against the paid amount; being executed or awaiting finance', tags: ['open'], due: { kind: 'businessHours', hours: 8 } },
    [RefundStatus.Succeeded]: { description: 'money returned to the customer', tags: ['closed', 'resolved'], terminal: true },
    [RefundStatus.Failed]: { description: 'refused by the platform or given up; retry makes a new row', tags: ['closed'], terminal: true },
  },
  initial: [RefundStatus.Pending],
  actions: {
    succeed: {
      description: 'the platform confirmed the refund (execution job)',
      from: [RefundStatus.Pending],
      to: RefundStatus.Succeeded,
      actors: ['system', 'platform'],
      set: (ctx) => ({
        platform_refund_id: (ctx.input as { platformRefundId?: string | null }).platformRefundId ?? ctx.row.platform_refund_id ?? null,
        execution_state: RefundExecutionState.Done,
        execution_lease_until: null,
        succeeded_at: ctx.now,
      }),
    },
    fail: {
      description: 'the platform refused the refund or retries ran out (execution job)',
      from: [RefundStatus.Pending],
      to: RefundStatus.Failed,
      actors: ['system'],
      set: (ctx) => ({
        failure_reason: String((ctx.input as { reason?: string }).reason ?? 'failed').slice(0, 2000),
        execution_state: RefundExecutionState.Failed,
        execution_lease_until: null,
        failed_at: ctx.now,
      }),
    },
    'record-manual': {
      description: 'finance paid a manual refund and records the external reference',
      from: [RefundStatus.Pending],
      to: RefundStatus.Succeeded,
      actors: FINANCE_PLUS,
      when: [isManual],
      input: RecordManualDto,
      set: (ctx) => ({
        external_reference: (ctx.input as RecordManualDto).externalReference,
        execution_state: RefundExecutionState.Done,
        succeeded_at: ctx.now,
      }),
    },
    'record-failure': {
      description: 'finance could not pay a manual refund',
      from: [RefundStatus.Pending],
      to: RefundStatus.Failed,
      actors: FINANCE_PLUS,
      when: [isManual],
      input: RecordFailureDto,
      set: (ctx) => ({
        failure_reason: (ctx.input as RecordFailureDto).reason,
        execution_state: RefundExecutionState.Failed,
        failed_at: ctx.now,
      }),
    },
  },
});
