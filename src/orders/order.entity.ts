import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ConfirmationCallOutcome, HoldReason, OrderStatus, PaymentMethod } from './order-status.js';

/** bigint minor units ↔ number (every stored amount is a safe integer, see kernel/money). */
export const MINOR_UNITS = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};

/** An order from a shop platform; `status` is written only by the state-machine engine. */
@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('text') status: OrderStatus;
  @Column('integer') version: number;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  /** [002] 订单归属: the agent the order is attributed to. */
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('text') platform: string;
  @Column('text', { name: 'platform_order_id' }) platformOrderId: string;
  @Column('text', { name: 'order_number' }) orderNumber: string;
  @Column('text', { name: 'payment_method' }) paymentMethod: PaymentMethod;
  @Column('text', { name: 'platform_status', nullable: true }) platformStatus: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { name: 'items_amount', transformer: MINOR_UNITS }) itemsAmount: number;
  @Column('bigint', { name: 'discount_amount', transformer: MINOR_UNITS }) discountAmount: number;
  @Column('bigint', { name: 'shipping_amount', transformer: MINOR_UNITS }) shippingAmount: number;
  @Column('bigint', { name: 'tax_amount', transformer: MINOR_UNITS }) taxAmount: number;
  @Column('bigint', { name: 'other_amount', transformer: MINOR_UNITS }) otherAmount: number;
  @Column('bigint', { name: 'total_amount', transformer: MINOR_UNITS }) totalAmount: number;
  @Column('text', { name: 'customer_name', nullable: true }) customerName: string | null;
  @Column('text', { name: 'customer_phone', nullable: true }) customerPhone: string | null;
  /** The phone in E.164 (SPEC §5), for search; null when the raw text is not a valid number. */
  @Column('text', { name: 'customer_phone_e164', nullable: true }) customerPhoneE164: string | null;
  @Column('text', { name: 'customer_email', nullable: true }) customerEmail: string | null;
  @Column('text', { name: 'ship_country', nullable: true }) shipCountry: string | null;
  @Column('text', { name: 'ship_province', nullable: true }) shipProvince: string | null;
  @Column('text', { name: 'ship_city', nullable: true }) shipCity: string | null;
  @Column('text', { name: 'ship_district', nullable: true }) shipDistrict: string | null;
  @Column('text', { name: 'ship_address', nullable: true }) shipAddress: string | null;
  @Column('text', { name: 'ship_postcode', nullable: true }) shipPostcode: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text', { nullable: true }) carrier: string | null;
  @Column('text', { name: 'hold_reason', nullable: true }) holdReason: HoldReason | null;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason: string | null;
  @Column('timestamptz', { name: 'placed_at' }) placedAt: Date;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @Column('timestamptz', { name: 'platform_updated_at' }) platformUpdatedAt: Date;
  /** Hash of the stored platform version's normalised content: an equal version with another hash is applied. */
  @Column('text', { name: 'content_hash', nullable: true }) contentHash: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('order_lines')
export class OrderLine {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('integer', { name: 'line_no' }) lineNo: number;
  @Column('text', { name: 'platform_line_id', nullable: true }) platformLineId: string | null;
  @Column('text', { nullable: true }) sku: string | null;
  @Column('text') title: string;
  @Column('integer') quantity: number;
  @Column('bigint', { name: 'unit_price', transformer: MINOR_UNITS }) unitPrice: number;
  @Column('bigint', { transformer: MINOR_UNITS }) amount: number;
}

/** [004] A confirmation call to the customer of a cash-on-delivery order. */
@Entity('order_confirmation_calls')
export class OrderConfirmationCall {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'staff_id', nullable: true }) staffId: string | null;
  @Column('text') outcome: ConfirmationCallOutcome;
  @Column('text', { nullable: true }) note: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A refund the platform reported (Shopify refunds/create, WooCommerce order refunds, generic refund.created). */
@Entity('platform_refunds')
export class PlatformRefundRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('text', { name: 'platform_order_id' }) platformOrderId: string;
  @Column('text', { name: 'platform_refund_id' }) platformRefundId: string;
  @Column('bigint', { transformer: MINOR_UNITS }) amount: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'refunded_at' }) refundedAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
}
