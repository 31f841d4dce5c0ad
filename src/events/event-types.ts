/** Outbound event types (SPEC §4). */
export enum EventType {
  /** A case of any module was created. */
  CaseCreated = 'case.created',
  /** A case of any module changed status. */
  CaseStatusChanged = 'case.status_changed',
  /** A case's deadline passed where its step says to mark it overdue (once per step, by the due sweeper). */
  CaseOverdue = 'case.overdue',
  /** A refund of any source (return, claim, logistics exception, review remedy, goodwill) was paid: the platform confirmed it or finance recorded a manual payment (published by the refunds module, once per refund). */
  RefundSucceeded = 'refund.succeeded',
  /** A refund ended failed: the platform refused it, its retries ran out, or finance could not pay it; a retry is a new refund (published by the refunds module, once per refund). */
  RefundFailed = 'refund.failed',
  /** A complaint was registered serious, or raised to serious: supervisors act at once (published by the complaints module). */
  ComplaintSerious = 'complaint.serious',
  /** Stock corrections a claim recorded for wrong or missing goods (published by the claims module) [002 修正库存]. */
  InventoryCorrected = 'inventory.corrected',
  /** A neutral or bad review under recovery was revised by the customer to a better rating — by the platform's review webhook or recorded by staff (published by the reviews module) [001][002 联系中差评]. */
  ReviewRevised = 'review.revised',
}

export const EVENT_TYPES: readonly string[] = Object.values(EventType);
