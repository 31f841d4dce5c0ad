/** A refund's status (SPEC §7). The one place refund status strings are written. */
export enum RefundStatus {
  /** Written and counted against the order's paid amount; being executed (or awaiting finance, when manual). */
  Pending = 'pending',
  /** The money went back to the customer. Final. */
  Succeeded = 'succeeded',
  /** The platform refused or execution gave up. Final; a retry is a new row (`retry_of`). */
  Failed = 'failed',
}

/** What a refund pays for. */
export enum RefundSourceType {
  /** A return case (退款 / 退货退款). */
  Return = 'return',
  /** A breakage, leakage or wrong/missing-item claim. */
  Claim = 'claim',
  /** A logistics exception case. */
  LogisticsException = 'logistics_exception',
  /** A bad-review recovery remedy. */
  Review = 'review',
  /** A supervisor's goodwill refund directly on an order (shipping fees included). */
  Goodwill = 'goodwill',
}

/** How a refund is executed. */
export enum RefundMethod {
  /** Shopify Admin API (`POST /admin/api/{version}/orders/{id}/refunds.json`). */
  Shopify = 'shopify',
  /** A signed outbound webhook to the shop's own endpoint (generic shops). */
  Webhook = 'webhook',
  /** Paid outside the service; finance records the external reference. */
  Manual = 'manual',
}

/** Where the execution of a refund stands (separate from its money status). */
export enum RefundExecutionState {
  /** Waiting for the outbox dispatcher. */
  Queued = 'queued',
  /** Claimed by one executor (compare-and-set) until its lease ends. */
  Executing = 'executing',
  /** The platform confirmed it. */
  Done = 'done',
  /** The platform refused it, or retries ran out. */
  Failed = 'failed',
  /** Nothing to execute: finance pays and records it. */
  Manual = 'manual',
}

export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = [RefundStatus.Pending, RefundStatus.Succeeded];
