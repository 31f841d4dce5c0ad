import type { ReturnReason, ReturnType } from './return-status.js';

/** One line of a platform's return request. */
export interface PlatformReturnLine {
  /** The order line it names: the platform's line id (or a lineNo / our uuid), resolved within the order. */
  lineRef: string;
  quantity: number;
  /** Mapped to our reasons; null → the request's reason. */
  reason: ReturnReason | null;
  /** The platform's id of the return line (Shopify ReturnLineItem), kept for the record. */
  platformLineId: string | null;
  /** What the customer wrote about the line. */
  note: string | null;
}

/**
 * A platform's return or refund request (Shopify `returns/request`, generic `return.requested`),
 * mapped by the webhook adapters; the returns module opens one case per (shop, platformReturnId).
 */
export interface PlatformReturnRequest {
  platformReturnId: string;
  platformOrderId: string;
  type: ReturnType;
  /** null → the reason of the line with the most units. */
  reason: ReturnReason | null;
  description: string | null;
  lines: PlatformReturnLine[];
  /** Minor units of `currency`; null → the lines' value (unit price × quantity). */
  requestedAmount: number | null;
  /** The currency of requestedAmount when the platform names one (it must be the order's); null → the order's. */
  currency: string | null;
  /** The platform's deadline for the merchant's answer; null → DEFAULT_RESPOND_HOURS after the request. */
  respondBy: Date | null;
  /** When the customer asked (null → when the delivery is processed). */
  requestedAt: Date | null;
}

/**
 * Shopify's `returns/request` carries no deadline for the merchant's answer (Taobao and WeChat
 * auto-approve after theirs); without one the case is due 48 hours after the request, so an
 * unanswered request shows as overdue on the worklist the third day.
 */
export const DEFAULT_RESPOND_HOURS = 48;

/** The outbox kind that tells the platform the decision on its return request. */
export const RETURN_DECISION = 'return.decision';
