import type { PaymentMethod } from './order-status.js';

/** Money of an order in integer minor units of `currency`. */
export interface OrderAmounts {
  /** Sum of the lines before order-level discounts. */
  items: number;
  discount: number;
  shipping: number;
  /** Tax added on top of the prices (0 when prices include tax). */
  tax: number;
  /** Fees, tips and other charges. */
  other: number;
  /** What the customer pays: items − discount + shipping + tax + other. */
  total: number;
}

export interface PlatformOrderLine {
  platformLineId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  unitPrice: number;
  /** Line amount before order-level discounts (normally unitPrice × quantity). */
  amount: number;
}

export interface PlatformShipment {
  carrier: string;
  trackingNo: string;
  shippedAt: Date | null;
}

export interface PlatformRefund {
  platformRefundId: string;
  platformOrderId: string;
  amount: number;
  currency: string;
  reason: string | null;
  refundedAt: Date;
}

/** One order as a platform reported it, mapped from Shopify, WooCommerce or the generic format. */
export interface PlatformOrder {
  platformOrderId: string;
  orderNumber: string;
  paymentMethod: PaymentMethod;
  /** The platform's own status words, for display (e.g. "paid/unfulfilled", "processing"). */
  platformStatus: string | null;
  currency: string;
  amounts: OrderAmounts;
  lines: PlatformOrderLine[];
  customer: { name: string | null; phone: string | null; email: string | null };
  shippingAddress: {
    country: string | null;
    province: string | null;
    city: string | null;
    district: string | null;
    address: string | null;
    postcode: string | null;
  };
  note: string | null;
  /** Carrier chosen on the platform, when it says (generic format). */
  carrier: string | null;
  placedAt: Date;
  /** The order's version on the platform: only a strictly newer one is applied. */
  updatedAt: Date;
  /** Facts the platform reports; they move the order forward, never back. */
  facts: {
    paid: boolean;
    paidAt: Date | null;
    cancelled: boolean;
    cancelReason: string | null;
    shipped: boolean;
    shipments: PlatformShipment[];
    delivered: boolean;
    deliveredAt: Date | null;
  };
  /** Refunds carried inside the order (WooCommerce `refunds`). */
  refunds: PlatformRefund[];
}

