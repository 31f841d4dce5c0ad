import { AGENT_PLUS, Role, WAREHOUSE_PLUS } from '../kernel/auth/roles.js';
import { NotAllowed, RuleViolation } from '../kernel/errors/domain-errors.js';
import { formatMoney } from '../kernel/money/money.js';
import { type CaseRow, defineMachine, type Guard, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import {
  ApproveReturnDto, CancelReturnDto, CloseReturnDto, CompleteReturnDto, InspectReturnDto, ReceiveReturnDto, RefundReturnDto, RejectReturnDto, ShipExchangeDto,
} from './dto/return-actions.dto.js';
import { receiptOf, statusAfterReceipt, throwIfReceiptInvalid } from './return-receipt.js';
import { returnSettings } from './return-settings.js';
import { GOODS_COME_BACK, InspectionResult, PlatformDecisionState, ReturnStatus, ReturnType } from './return-status.js';

const S = ReturnStatus;

function money(ctx: TransitionContext, minor: number): string {
  return formatMoney(minor, String(ctx.row.currency).trim());
}

/** The amount an approval covers: the one given, else the requested amount. */
export function approvalAmountOf(ctx: TransitionContext): number {
  const given = (ctx.input as ApproveReturnDto).amount;
  return given ?? Number(ctx.row.requested_amount);
}

/** The amount a refund action pays: the one given, else the approved amount. */
export function refundAmountOf(ctx: TransitionContext): number {
  const given = (ctx.input as RefundReturnDto).amount;
  return given ?? Number(ctx.row.approved_amount ?? 0);
}

/** [002] 退款审核: an agent approves up to the merchant's limit; above it only a supervisor (403). */
export async function throwIfOverApprovalLimit(ctx: TransitionContext): Promise<void> {
  if (ctx.caller.type !== 'staff' || ctx.caller.role !== Role.Agent) return;
  const amount = approvalAmountOf(ctx);
  const { agentApprovalLimit } = await ctx.settings(returnSettings);
  if (amount > agentApprovalLimit) {
    throw new NotAllowed(`approving ${money(ctx, amount)} needs a supervisor: agents may approve up to ${money(ctx, agentApprovalLimit)}`, {
      amount,
      agentApprovalLimit,
    });
  }
}

export function throwIfAboveRequested(ctx: TransitionContext): void {
  const amount = approvalAmountOf(ctx);
  const requested = Number(ctx.row.requested_amount);
  if (amount > requested) throw new RuleViolation(`cannot approve ${money(ctx, amount)}: the customer asked for ${money(ctx, requested)}`);
}

/** Refund-only cases refund once approved; return-refund cases once the goods passed inspection. */
export function isRefundableNow(row: CaseRow): string | null {
  if (row.type === ReturnType.Exchange) return 'an exchange is not refunded; ship the exchange instead';
  if (row.status === S.Approved && row.type !== ReturnType.RefundOnly) return 'goods must come back and pass inspection before the refund';
  if (row.status === S.Inspected && row.inspection_result !== InspectionResult.Pass) {
    return 'the returned goods failed inspection: reject the return, or have a supervisor make a goodwill refund';
  }
  if (Number(row.approved_amount ?? 0) <= 0) return 'nothing to refund: the approved amount is 0';
  return null;
}

/** A refund pays at most what was approved. */
export function throwIfAboveApproved(ctx: TransitionContext): void {
  const amount = refundAmountOf(ctx);
  const approved = Number(ctx.row.approved_amount ?? 0);
  if (amount > approved) throw new RuleViolation(`cannot refund ${money(ctx, amount)}: ${money(ctx, approved)} was approved`);
}

/** Only an exchange whose goods passed inspection ships replacement goods. */
export function isPassedExchange(row: CaseRow): string | null {
  if (row.type !== ReturnType.Exchange) return `only an exchange ships replacement goods; this is a ${String(row.type)}`;
  if (row.inspection_result !== InspectionResult.Pass) return 'the returned goods failed inspection: reject the exchange instead';
  return null;
}

/** After inspection only a failed one goes back to the agent's decision. */
export function isRejectable(row: CaseRow): string | null {
  if (row.status === S.Inspected && row.inspection_result !== InspectionResult.Fail) {
    return 'the returned goods passed inspection; refund or ship the exchange instead of rejecting';
  }
  return null;
}

/** The guards the return machine names, as the returns module registers them. */
export const RETURN_GUARDS: Record<string, Guard> = { throwIfAboveRequested, throwIfOverApprovalLimit, throwIfAboveApproved, throwIfReceiptInvalid };

/** What the outbox reports back about telling the platform the decision (internal `platform-decision`). */
export interface PlatformDecisionOutcome {
  state: PlatformDecisionState.Sent | PlatformDecisionState.Failed;
  error?: string | null;
}

const OVERDUE: OnDue = { mark: 'overdue' };

/**
 * 退换货 (SPEC §7). [002] 售后日工作流程: 退换货登记 → 退款审核 → 处理退款中订单;
 * [000] 第六篇: every return is registered with its reason (记录备案, 统计原因).
 */
export const returnMachine = defineMachine<ReturnStatus>({
  name: 'return',
  table: 'return_cases',
  collection: 'returns',
  description: 'Return case: refund_only, return_refund or exchange',
  kind: 'case',
  states: {
    [S.Requested]: { description: 'waiting for approval (退款审核)', tags: ['open'], due: { kind: 'businessHours', hours: 8 }, onDue: OVERDUE },
    [S.Approved]: { description: 'approved refund-only case: refund it', tags: ['open'], due: { kind: 'businessHours', hours: 4 }, onDue: OVERDUE },
    [S.Rejected]: { description: 'refused with a reason', tags: ['closed', 'resolved'], terminal: true },
    // The customer is sending the goods back: their move.
    [S.AwaitingReturn]: { description: 'goods on their way back', tags: ['waiting_customer'], due: { kind: 'days', days: 7 }, onDue: OVERDUE },
    [S.Received]: { description: 'received by the warehouse, every unit accounted for: to inspect', tags: ['open'], due: { kind: 'businessHours', hours: 8 }, onDue: OVERDUE },
    // Staff decide: chase the rest (a later parcel is received the same way), inspect what came, or close.
    [S.PartiallyReceived]: {
      description: 'a parcel came back with units missing: receive the rest, inspect what came, or close',
      tags: ['open'],
      due: { kind: 'businessHours', hours: 8 },
      onDue: OVERDUE,
    },
    [S.Inspected]: { description: 'inspected: pass → refund / exchange; fail → agent decides', tags: ['open'], due: { kind: 'businessHours', hours: 8 }, onDue: OVERDUE },
    [S.Refunding]: { description: 'refund written, being executed (退款中)', tags: ['open'], due: { kind: 'hours', hours: 24 }, onDue: OVERDUE },
    [S.Refunded]: { description: 'refund succeeded', tags: ['closed', 'resolved'], terminal: true },
    [S.ExchangeShipped]: { description: 'replacement goods shipped', tags: ['open', 'resolved'], due: { kind: 'days', days: 15 }, onDue: OVERDUE },
    [S.Completed]: { description: 'exchange done', tags: ['closed', 'resolved'], terminal: true },
    [S.Cancelled]: { description: 'the buyer withdrew', tags: ['closed'], terminal: true },
    [S.Closed]: { description: 'closed without a refund, with a reason (e.g. the replacement already went out)', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: [S.Requested],
  actions: {
    approve: {
      description: 'approve the request; types with goods coming back go straight on to awaiting_return',
      from: [S.Requested],
      // Derived in one place: refund-only cases wait for the refund, the others for the goods.
      to: {
        targets: [S.Approved, S.AwaitingReturn],
        resolve: (ctx) => (GOODS_COME_BACK.includes(ctx.row.type as ReturnType) ? S.AwaitingReturn : S.Approved),
      },
      actors: AGENT_PLUS,
      guards: ['throwIfAboveRequested', 'throwIfOverApprovalLimit'],
      input: ApproveReturnDto,
      set: (ctx) => ({ approved_amount: approvalAmountOf(ctx), approved_by: ctx.caller.staffId ?? null }),
      effects: ['queuePlatformDecision'],
    },
    reject: {
      description: 'refuse with a reason (also after a failed inspection)',
      from: [S.Requested, S.Inspected],
      to: S.Rejected,
      actors: AGENT_PLUS,
      when: [isRejectable],
      input: RejectReturnDto,
      set: (ctx) => ({ reject_reason: (ctx.input as RejectReturnDto).reason }),
      effects: ['queuePlatformDecision'],
    },
    receive: {
      description: 'the warehouse received a returned parcel: per line restock / damaged / missing; received when nothing is missing, else partially_received',
      from: [S.AwaitingReturn, S.PartiallyReceived],
      // Derived in one place from the lines (Medusa confirm-receive-return-request: all items → RECEIVED, else PARTIALLY).
      to: { targets: [S.Received, S.PartiallyReceived], resolve: (ctx) => statusAfterReceipt(receiptOf(ctx)) },
      actors: WAREHOUSE_PLUS,
      guards: ['throwIfReceiptInvalid'],
      input: ReceiveReturnDto,
      set: (ctx) => {
        const i = ctx.input as ReceiveReturnDto;
        return { return_tracking_no: i.returnTrackingNo, return_carrier: i.returnCarrier ?? null, received_at: ctx.row.received_at ?? ctx.now };
      },
      effects: ['recordReceipt'],
    },
    inspect: {
      description: 'inspect the returned goods: pass or fail with a note',
      from: [S.Received, S.PartiallyReceived],
      to: S.Inspected,
      actors: WAREHOUSE_PLUS,
      input: InspectReturnDto,
      set: (ctx) => {
        const i = ctx.input as InspectReturnDto;
        return { inspection_result: i.result, inspection_note: i.inspectionNote ?? null };
      },
    },
    refund: {
      description: 'write the refund (approved refund-only, or inspected and passed)',
      from: [S.Approved, S.Inspected],
      to: S.Refunding,
      actors: AGENT_PLUS,
      when: [isRefundableNow],
      guards: ['throwIfAboveApproved'],
      input: RefundReturnDto,
      effects: ['writeRefund'],
    },
    'refund-succeeded': {
      description: 'the refund succeeded (fired by the refund ledger)',
      from: [S.Refunding],
      to: S.Refunded,
      actors: ['system'],
      set: (ctx) => ({ cost: Number(ctx.row.cost) + Number((ctx.input as { amount: number }).amount) }),
    },
    'ship-exchange': {
      description: 'ship the replacement goods (exchange, inspection passed)',
      from: [S.Inspected],
      to: S.ExchangeShipped,
      actors: WAREHOUSE_PLUS,
      when: [isPassedExchange],
      input: ShipExchangeDto,
      effects: ['registerExchangeShipment'],
    },
    complete: {
      description: 'the exchange is done',
      from: [S.ExchangeShipped],
      to: S.Completed,
      actors: [...AGENT_PLUS, 'system'],
      input: CompleteReturnDto,
    },
    cancel: {
      description: 'the buyer withdrew',
      from: [S.Requested, S.Approved, S.AwaitingReturn],
      to: S.Cancelled,
      actors: [...AGENT_PLUS],
      input: CancelReturnDto,
      set: (ctx) => ({ cancel_reason: (ctx.input as CancelReturnDto).reason ?? null }),
    },
    close: {
      description: 'close a received return without a refund, with a reason (Medusa #4052: the replacement already went out)',
      from: [S.Received, S.PartiallyReceived, S.Inspected],
      to: S.Closed,
      actors: AGENT_PLUS,
      input: CloseReturnDto,
      set: (ctx) => ({ close_reason: (ctx.input as CloseReturnDto).reason }),
    },
    'platform-decision': {
      description: 'the platform was told the decision on its return request, or refused it for good (fired by the outbox)',
      from: Object.values(S),
      to: 'stay',
      actors: ['system'],
      internal: true,
      set: (ctx) => {
        const o = ctx.input as PlatformDecisionOutcome;
        return { platform_decision_state: o.state, platform_decision_error: o.error ?? null };
      },
    },
    'refund-failed': {
      description: 'a refund of the case failed (told by the refund ledger); the case stays, a retry is a new refund',
      from: Object.values(S),
      to: 'stay',
      actors: ['system'],
    },
  },
});
