/** The return case's states (SPEC §7). The one place return status strings are written. */
export enum ReturnStatus {
  /** The customer asked; waiting for 退款审核 (an agent up to the merchant's limit, above it a supervisor) [002]. */
  Requested = 'requested',
  /** Approved refund-only case: the money may be refunded now. */
  Approved = 'approved',
  /** Refused, with the reason. Final. */
  Rejected = 'rejected',
  /** Approved; the goods are on their way back (return_refund, exchange). */
  AwaitingReturn = 'awaiting_return',
  /** The warehouse received the parcel (return tracking no. kept). */
  Received = 'received',
  /** Inspected: `pass` goes on to the refund or the exchange; `fail` back to the agent (reject). */
  Inspected = 'inspected',
  /** A refund is written and being executed. */
  Refunding = 'refunding',
  /** The refund succeeded. Final. */
  Refunded = 'refunded',
  /** Exchange goods shipped to the customer. */
  ExchangeShipped = 'exchange_shipped',
  /** Exchange done. Final. */
  Completed = 'completed',
  /** The buyer withdrew. Final. */
  Cancelled = 'cancelled',
}

/** What the customer asked for. */
export enum ReturnType {
  /** 仅退款: money back, goods stay with the customer. */
  RefundOnly = 'refund_only',
  /** 退货退款: goods come back, then the money. */
  ReturnRefund = 'return_refund',
  /** 换货: goods come back, replacements go out. */
  Exchange = 'exchange',
}

/** Why — 统计原因 [000 第六篇: 退换货 要及时做好记录备案, 统计原因]. */
export enum ReturnReason {
  Quality = 'quality',
  Damaged = 'damaged',
  Leaking = 'leaking',
  WrongItem = 'wrong_item',
  MissingItem = 'missing_item',
  NotAsDescribed = 'not_as_described',
  ChangedMind = 'changed_mind',
  Logistics = 'logistics',
  Other = 'other',
}

/** The warehouse's verdict on returned goods. */
export enum InspectionResult {
  Pass = 'pass',
  Fail = 'fail',
}

/** Types whose goods come back: approval leads straight to awaiting_return. */
export const GOODS_COME_BACK: readonly ReturnType[] = [ReturnType.ReturnRefund, ReturnType.Exchange];

/** Default limit an agent may approve alone, minor units (500.00). */
export const DEFAULT_AGENT_APPROVAL_LIMIT = 50_000;
