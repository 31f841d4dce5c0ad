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
  /** The warehouse received the parcel and every unit of every line is accounted for (restock or damaged). */
  Received = 'received',
  /** The warehouse received a parcel but units are missing; more may still arrive (`receive` again). */
  PartiallyReceived = 'partially_received',
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
  /** Received and closed without a refund, with a reason (Medusa #4052: the replacement already went out). Final. */
  Closed = 'closed',
}

/** Where a return case came from. */
export enum ReturnSource {
  /** Registered by staff (退换货登记). */
  Staff = 'staff',
  /** A platform's return request (Shopify `returns/request`, generic `return.requested`): the decision goes back to it. */
  Platform = 'platform',
}

/** The decision on a platform's return request, as told to the platform. */
export enum PlatformDecision {
  Approve = 'approve',
  Reject = 'reject',
}

/** Whether the platform has been told the decision. */
export enum PlatformDecisionState {
  /** Written to the outbox; being sent (retried with backoff). */
  Queued = 'queued',
  /** The platform accepted it. */
  Sent = 'sent',
  /** The platform refused it for good, or the shop's channel is not configured: staff must act on the platform. */
  Failed = 'failed',
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

/** What became of the returned units of a line (Shopify's restock type, Medusa's damaged quantity). */
export enum LineDisposition {
  /** Back to sellable stock. */
  Restock = 'restock',
  /** Came back unsellable: written off. */
  Damaged = 'damaged',
  /** Did not come back. */
  Missing = 'missing',
}

/** Types whose goods come back: approval leads straight to awaiting_return. */
export const GOODS_COME_BACK: readonly ReturnType[] = [ReturnType.ReturnRefund, ReturnType.Exchange];

/** Default limit an agent may approve alone, minor units (500.00). */
export const DEFAULT_AGENT_APPROVAL_LIMIT = 50_000;
