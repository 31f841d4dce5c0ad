/** The order machine's states (SPEC §5). The one place order status strings are written. */
export enum OrderStatus {
  /** Placed on the platform, not paid yet; unpaid after 20 min it becomes a follow-up task [002]. */
  PendingPayment = 'pending_payment',
  /** Paid (or cash on delivery accepted): waiting for the order audit 审单 [002]. */
  Paid = 'paid',
  /** Held during the audit with a reason; released back to `paid`. */
  OnHold = 'on_hold',
  /** Audited: waiting for finance confirmation 财务确认, due at the next 12:00 / 16:00 batch [002]. */
  Audited = 'audited',
  /** Confirmed by finance: the warehouse may ship. */
  Confirmed = 'confirmed',
  /** Handed to a carrier (by the warehouse, or reported shipped by the platform). */
  Shipped = 'shipped',
  /** Delivered, from tracking; completes after the configured days unless a case is open. */
  Delivered = 'delivered',
  /** Done. */
  Completed = 'completed',
  /** Cancelled by the platform or a supervisor. */
  Cancelled = 'cancelled',
}

/** How the customer pays. */
export enum PaymentMethod {
  /** Paid online before shipping. */
  Prepaid = 'prepaid',
  /** 货到付款: collected by the carrier at the door; needs a confirmation call before the audit [004]. */
  CashOnDelivery = 'cod',
}

/** Why an order is held during the audit [002]. */
export enum HoldReason {
  AddressNotCovered = 'address_not_covered',
  AmountMismatch = 'amount_mismatch',
  ItemsMismatch = 'items_mismatch',
  CustomerContactNeeded = 'customer_contact_needed',
  Other = 'other',
}

/** Outcome of a COD confirmation call [004]. */
export enum ConfirmationCallOutcome {
  /** The customer confirmed the order, address and amount. */
  Confirmed = 'confirmed',
  NoAnswer = 'no_answer',
  /** The customer does not want the order. */
  Refused = 'refused',
  /** The customer asked for a change (address, items); the order needs editing first. */
  Changed = 'changed',
}

/** States before the parcel leaves: where a platform-reported shipment or cancellation can land from. */
export const PRE_SHIPMENT: readonly OrderStatus[] = [
  OrderStatus.PendingPayment,
  OrderStatus.Paid,
  OrderStatus.OnHold,
  OrderStatus.Audited,
  OrderStatus.Confirmed,
];
