/** Outbound event types (SPEC §4). */
export enum EventType {
  /** A case of any module was created. */
  CaseCreated = 'case.created',
  /** A case of any module changed status. */
  CaseStatusChanged = 'case.status_changed',
  /** A case's deadline passed where its step says to mark it overdue (once per step, by the due sweeper). */
  CaseOverdue = 'case.overdue',
  /** A refund reached the platform (published by the refunds module). */
  RefundSucceeded = 'refund.succeeded',
  /** A refund failed at the platform (published by the refunds module). */
  RefundFailed = 'refund.failed',
  /** A complaint was registered serious, or raised to serious: supervisors act at once (published by the complaints module). */
  ComplaintSerious = 'complaint.serious',
  /** Stock corrections a claim recorded for wrong or missing goods (published by the claims module) [002 修正库存]. */
  InventoryCorrected = 'inventory.corrected',
}

export const EVENT_TYPES: readonly string[] = Object.values(EventType);
