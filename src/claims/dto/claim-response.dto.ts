import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AttachmentResponseDto } from '../../kernel/attachments/dto/attachment.dto.js';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto } from '../../kernel/cases/case-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { RefundResponseDto } from '../../refunds/dto/refund-response.dto.js';
import {
  AuditErrorKind, AuditErrorSeverity, ClaimStatus, ClaimType, GiftStatus, InventoryDirection, RecoveryOutcome, Resolution, Responsibility,
} from '../claim-status.js';

const TYPES = Object.values(ClaimType);

function commaList({ value }: { value: unknown }): unknown {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return value;
  return (parts as string[]).flatMap((p) => p.split(',')).map((p) => p.trim());
}

export class ListClaimsQueryDto extends CaseListQueryDto(ClaimStatus, 'Reported') {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;

  @ApiPropertyOptional({ type: String, description: `One type or a comma-separated list: ${TYPES.join(', ')}` })
  @IsOptional() @Transform(commaList) @ArrayMinSize(1) @ArrayMaxSize(TYPES.length) @IsIn(TYPES, { each: true, message: `type must be one of ${TYPES.join(', ')}` })
  type?: ClaimType[];

  @ApiPropertyOptional({ type: Boolean, description: 'true: only claims with a photo another claim already used' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  suspectedReuse?: boolean;
}

export class ClaimLineResponseDto {
  @ApiProperty({ format: 'uuid' }) orderLineId: string;
  @ApiProperty() lineNo: number;
  @ApiProperty({ type: String, nullable: true }) platformLineId: string | null;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'Sold at per unit, minor units' }) unitPrice: number;
}

export class CarrierClaimDto {
  @ApiProperty({ description: 'Minor units' }) amountClaimed: number;
  @ApiProperty() carrierReference: string;
  @ApiProperty({ format: 'date-time' }) claimedAt: Date;
}

export class ClaimResponseDto extends CaseResponseDto {
  @ApiProperty({ format: 'uuid' }) declare orderId: string;
  @ApiProperty({ enum: ClaimStatus }) declare status: ClaimStatus;
  @ApiProperty({ enum: ClaimType }) type: ClaimType;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: String, nullable: true, description: 'Waybill (tracking no.)' }) trackingNo: string | null;
  @ApiProperty({ type: String, nullable: true }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) reportedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last upload that moved the claim to evidence_received' }) evidenceReceivedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Another claim of the merchant that already holds one of these photos' }) suspectedReuseOf: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Authenticity judgement [002 辨别真实性]' }) authentic: boolean | null;
  @ApiProperty({ enum: Responsibility, nullable: true }) responsibility: Responsibility | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '通告责任人' }) responsibleStaffId: string | null;
  @ApiProperty({ type: Number, nullable: true }) shippedWeightGrams: number | null;
  @ApiProperty({ type: Number, nullable: true }) expectedWeightGrams: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'shipped − expected, grams' }) weightDifferenceGrams: number | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) verifiedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) rejectReason: string | null;
  @ApiProperty({ enum: Resolution, nullable: true }) resolution: Resolution | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Basis points of the affected lines refunded' }) lossShare: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units' }) refundAmount: number | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reshipOrderId: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Goods at cost, minor units' }) reshipCost: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units' }) freightCost: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Gift at cost, minor units; counted when the next order ships' }) giftCost: number | null;
  @ApiProperty({ type: String, nullable: true }) giftNote: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
  @ApiProperty({ type: CarrierClaimDto, nullable: true }) carrierClaim: CarrierClaimDto | null;
  @ApiProperty({ enum: RecoveryOutcome, nullable: true, description: 'full / partial / none of the amount claimed' }) recoveryOutcome: RecoveryOutcome | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ type: [ClaimLineResponseDto] }) lines: ClaimLineResponseDto[];
}

export class SuspectedReuseDto {
  @ApiProperty({ format: 'uuid', description: 'The other claim' }) claimId: string;
  @ApiProperty({ format: 'uuid', description: 'The photo of this claim' }) attachmentId: string;
  @ApiProperty({ format: 'uuid', description: 'The same photo in the other claim' }) otherAttachmentId: string;
  @ApiProperty({ format: 'date-time' }) otherAttachedAt: Date;
}

export class AuditErrorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) staffId: string;
  @ApiProperty({ enum: Responsibility }) responsibility: Responsibility;
  @ApiProperty({ enum: AuditErrorSeverity }) severity: AuditErrorSeverity;
  @ApiProperty({ enum: AuditErrorKind }) kind: AuditErrorKind;
  @ApiProperty({ format: 'date-time' }) at: Date;
}

export class InventoryCorrectionResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ enum: InventoryDirection }) direction: InventoryDirection;
  @ApiProperty({ format: 'date-time' }) at: Date;
}

export class ClaimGiftDto {
  @ApiProperty({ enum: GiftStatus }) status: GiftStatus;
  @ApiProperty({ description: 'Minor units' }) giftCost: number;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The next order that carried it' }) givenOrderId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) givenAt: Date | null;
}

export class ClaimDetailDto extends ClaimResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
  @ApiProperty({ type: [AttachmentResponseDto], description: 'Photos, in upload order' }) evidence: AttachmentResponseDto[];
  @ApiProperty({ type: [SuspectedReuseDto], description: 'Photos of this claim that other claims of the merchant also hold' }) suspectedReuse: SuspectedReuseDto[];
  @ApiProperty({ type: [RefundResponseDto] }) refunds: RefundResponseDto[];
  @ApiProperty({ type: [AuditErrorDto], description: '[002] 后台审单失误 entries the KPI sheet reads' }) auditErrors: AuditErrorDto[];
  @ApiProperty({ type: [InventoryCorrectionResponseDto], description: '[002] 修正库存' }) inventoryCorrections: InventoryCorrectionResponseDto[];
  @ApiProperty({ type: ClaimGiftDto, nullable: true }) gift: ClaimGiftDto | null;
}

export class ClaimPageDto {
  @ApiProperty({ type: [ClaimResponseDto] }) items: ClaimResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ClaimEvidenceResponseDto {
  @ApiProperty({ type: [AttachmentResponseDto], description: 'One per distinct file of the upload' }) attachments: AttachmentResponseDto[];
  @ApiProperty({ type: [SuspectedReuseDto], description: 'Photos of this upload already held by other claims of the merchant' }) suspectedReuse: SuspectedReuseDto[];
  @ApiProperty({ type: ClaimDetailDto }) claim: ClaimDetailDto;
}
