import { TimelineEntryDto, toTimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrderShipmentView } from '../order-shipments.port.js';
import type { TimelineEntry } from '../../kernel/timeline/timeline.service.js';
import type { Order, OrderConfirmationCall, OrderLine, PlatformRefundRecord } from '../order.entity.js';
import { ConfirmationCallOutcome, HoldReason, OrderStatus, PaymentMethod } from '../order-status.js';
import type { RelatedCase } from '../../kernel/cases/case-index.js';
import { PendingGiftDto } from '../pending-gifts.js';

export class OrderCustomerDto {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'As the platform wrote it', example: '+86 138 0013 8000' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'E.164, default region the address\'s country, else the shop\'s (SPEC §5); null when not a valid number', example: '+8613800138000' })
  phoneE164: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class ShippingAddressDto {
  @ApiProperty({ type: String, nullable: true, example: 'CN' }) country: string | null;
  @ApiProperty({ type: String, nullable: true, example: '广东' }) province: string | null;
  @ApiProperty({ type: String, nullable: true, example: '深圳市' }) city: string | null;
  @ApiProperty({ type: String, nullable: true, example: '南山区' }) district: string | null;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: String, nullable: true }) postcode: string | null;
}

export class OrderResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ example: 'shopify' }) platform: string;
  @ApiProperty({ description: 'The platform\'s order id, exactly, as text', example: '820982911946154508' }) platformOrderId: string;
  @ApiProperty({ example: '#1001' }) orderNumber: string;
  @ApiProperty({ enum: OrderStatus }) status: OrderStatus;
  @ApiProperty() version: number;
  @ApiProperty({ enum: PaymentMethod }) paymentMethod: PaymentMethod;
  @ApiProperty({ type: String, nullable: true, description: 'The platform\'s own status words' }) platformStatus: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Minor units: sum of the lines before discounts', example: 19900 }) itemsAmount: number;
  @ApiProperty({ description: 'Minor units' }) discountAmount: number;
  @ApiProperty({ description: 'Minor units' }) shippingAmount: number;
  @ApiProperty({ description: 'Minor units, tax added on top of prices' }) taxAmount: number;
  @ApiProperty({ description: 'Minor units: fees, tips' }) otherAmount: number;
  @ApiProperty({ description: 'Minor units: what the customer pays', example: 19900 }) totalAmount: number;
  @ApiProperty({ type: OrderCustomerDto }) customer: OrderCustomerDto;
  @ApiProperty({ type: ShippingAddressDto }) shippingAddress: ShippingAddressDto;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Carrier chosen at the audit / used to ship' }) carrier: string | null;
  @ApiProperty({ enum: HoldReason, nullable: true }) holdReason: HoldReason | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'Deadline of the current step: 20 min after placement when unpaid; the next finance batch (12:00/16:00 shop time) when audited; completion when delivered' })
  dueAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '[002] 订单归属: the agent the order is attributed to' }) assigneeId: string | null;
  @ApiProperty() placedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) paidAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) deliveredAt: Date | null;
  @ApiProperty({ description: 'The platform\'s updated_at of the stored version' }) platformUpdatedAt: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

/** SPEC §7: a return names a line by any of `id`, `lineNo` or `platformLineId`. */
export class OrderLineDto {
  @ApiProperty({ format: 'uuid', description: 'The line\'s id, as returns and claims name it (orderLineId)' }) id: string;
  @ApiProperty({ description: 'Position in the order, from 1' }) lineNo: number;
  @ApiProperty({ type: String, nullable: true, description: 'The platform\'s line id, exactly, as text' }) platformLineId: string | null;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'Minor units' }) unitPrice: number;
  @ApiProperty({ description: 'Minor units, before order discounts' }) amount: number;
}

export class OrderShipmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'shunfeng', description: 'Canonical carrier code (GET /api/v1/carriers)' }) carrier: string;
  @ApiProperty({ type: String, nullable: true, example: 'SF Express', description: 'The carrier as the warehouse or platform named it' }) carrierName: string | null;
  @ApiProperty() trackingNo: string;
  @ApiProperty({ type: String, nullable: true }) originProvince: string | null;
  @ApiProperty({ type: String, nullable: true }) destProvince: string | null;
  @ApiProperty() status: string;
  @ApiProperty() source: string;
  @ApiProperty({ type: Date, nullable: true }) lastEventAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class RelatedCaseDto {
  @ApiProperty({ example: 'return' }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() status: string;
  @ApiProperty() open: boolean;
  @ApiProperty() createdAt: Date;
}

export class ConfirmationCallResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ConfirmationCallOutcome }) outcome: ConfirmationCallOutcome;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) staffId: string | null;
  @ApiProperty() createdAt: Date;
}

export class PlatformRefundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() platformRefundId: string;
  @ApiProperty({ description: 'Minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() refundedAt: Date;
}

export class OrderDetailResponseDto extends OrderResponseDto {
  @ApiProperty({ type: [OrderLineDto] }) lines: OrderLineDto[];
  @ApiProperty({ type: [OrderShipmentDto] }) shipments: OrderShipmentDto[];
  @ApiProperty({ type: [RelatedCaseDto] }) relatedCases: RelatedCaseDto[];
  @ApiProperty({ type: [ConfirmationCallResponseDto] }) confirmationCalls: ConfirmationCallResponseDto[];
  @ApiProperty({ type: [PlatformRefundDto] }) platformRefunds: PlatformRefundDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
  @ApiProperty({ type: [PendingGiftDto], description: 'Gifts the customer is owed (put them in at the audit), or given with this order [002]' }) pendingGifts: PendingGiftDto[];
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderResponseDto] }) items: OrderResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ConfirmBatchErrorDto {
  @ApiProperty() statusCode: number;
  @ApiProperty() message: string;
}

export class ConfirmBatchItemDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() confirmed: boolean;
  @ApiPropertyOptional({ type: OrderResponseDto }) order?: OrderResponseDto;
  @ApiPropertyOptional({ type: ConfirmBatchErrorDto }) error?: ConfirmBatchErrorDto;
}

export class ConfirmBatchResponseDto {
  @ApiProperty() confirmed: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [ConfirmBatchItemDto] }) results: ConfirmBatchItemDto[];
}

export function toOrderResponse(o: Order): OrderResponseDto {
  return {
    id: o.id,
    shopId: o.shopId,
    platform: o.platform,
    platformOrderId: o.platformOrderId,
    orderNumber: o.orderNumber,
    status: o.status,
    version: o.version,
    paymentMethod: o.paymentMethod,
    platformStatus: o.platformStatus,
    currency: o.currency,
    itemsAmount: o.itemsAmount,
    discountAmount: o.discountAmount,
    shippingAmount: o.shippingAmount,
    taxAmount: o.taxAmount,
    otherAmount: o.otherAmount,
    totalAmount: o.totalAmount,
    customer: { name: o.customerName, phone: o.customerPhone, phoneE164: o.customerPhoneE164, email: o.customerEmail },
    shippingAddress: {
      country: o.shipCountry,
      province: o.shipProvince,
      city: o.shipCity,
      district: o.shipDistrict,
      address: o.shipAddress,
      postcode: o.shipPostcode,
    },
    note: o.note,
    carrier: o.carrier,
    holdReason: o.holdReason,
    cancelReason: o.cancelReason,
    dueAt: o.dueAt,
    assigneeId: o.assigneeId,
    placedAt: o.placedAt,
    paidAt: o.paidAt,
    deliveredAt: o.deliveredAt,
    platformUpdatedAt: o.platformUpdatedAt,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function toOrderLineResponse(l: OrderLine): OrderLineDto {
  return { id: l.id, lineNo: l.lineNo, platformLineId: l.platformLineId, sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount };
}

export function toOrderShipmentResponse(s: OrderShipmentView): OrderShipmentDto {
  return {
    id: s.id,
    carrier: s.carrier,
    carrierName: s.carrierName,
    trackingNo: s.trackingNo,
    originProvince: s.originProvince,
    destProvince: s.destProvince,
    status: s.status,
    source: s.source,
    lastEventAt: s.lastEventAt,
    createdAt: s.createdAt,
  };
}


export function toConfirmationCallResponse(c: OrderConfirmationCall): ConfirmationCallResponseDto {
  return { id: c.id, outcome: c.outcome, note: c.note, staffId: c.staffId, createdAt: c.createdAt };
}

export function toPlatformRefundResponse(r: PlatformRefundRecord): PlatformRefundDto {
  return { id: r.id, platformRefundId: r.platformRefundId, amount: r.amount, currency: r.currency, reason: r.reason, refundedAt: r.refundedAt };
}

export interface OrderDetailParts {
  order: Order;
  lines: OrderLine[];
  shipments: OrderShipmentView[];
  relatedCases: RelatedCase[];
  calls: OrderConfirmationCall[];
  refunds: PlatformRefundRecord[];
  timeline: TimelineEntry[];
  allowedActions: string[];
  pendingGifts: PendingGiftDto[];
}

export function toOrderDetailResponse(p: OrderDetailParts): OrderDetailResponseDto {
  return {
    ...toOrderResponse(p.order),
    lines: p.lines.map(toOrderLineResponse),
    shipments: p.shipments.map(toOrderShipmentResponse),
    relatedCases: p.relatedCases.map((c) => ({ type: c.type, id: c.id, status: c.status, open: c.open, createdAt: c.createdAt })),
    confirmationCalls: p.calls.map(toConfirmationCallResponse),
    platformRefunds: p.refunds.map(toPlatformRefundResponse),
    timeline: p.timeline.map(toTimelineEntryDto),
    allowedActions: p.allowedActions,
    pendingGifts: p.pendingGifts,
  };
}
