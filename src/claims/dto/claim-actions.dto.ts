import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { AuditErrorKind, BASIS_POINTS, InventoryDirection, Resolution, Responsibility, Verdict } from '../claim-status.js';

const NO_NUL = /^[^\u0000]*$/;
const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const MAX_GRAMS = 10_000_000;

/** Photos asked for [002 让客户提供照片]; the 16:00 clock stands still until they come. */
export class RequestEvidenceDto extends CaseActionDto {}

/** The ruling (SPEC §8 verify): genuine → verified, else rejected. */
export class VerifyClaimDto extends CaseActionDto {
  @ApiPropertyOptional({ enum: Verdict, default: Verdict.Verified, description: 'rejected needs rejectReason; authentic: false rejects too' })
  @IsOptional() @IsEnum(Verdict)
  verdict?: Verdict;

  @ApiPropertyOptional({ description: 'leak_major: required — are the photos genuine? [002 辨别真实性]; false rejects the claim' })
  @IsOptional() @IsBoolean()
  authentic?: boolean;

  @ApiPropertyOptional({ description: 'Why the claim is refused; required with verdict rejected', maxLength: 1000 })
  @ValidateIf((o: VerifyClaimDto) => o.verdict === Verdict.Rejected || o.rejectReason !== undefined)
  @IsString() @MinLength(1) @MaxLength(1000) @Matches(NO_NUL)
  rejectReason?: string;

  @ApiPropertyOptional({ enum: Responsibility, description: 'wrong_item / missing_item: required unless given at creation [002]' })
  @IsOptional() @IsEnum(Responsibility)
  responsibility?: Responsibility;

  @ApiPropertyOptional({ format: 'uuid', description: 'wrong_item / missing_item: the staff member responsible (通告责任人)' })
  @IsOptional() @IsUUID()
  responsibleStaffId?: string;

  @ApiPropertyOptional({ description: 'warehouse_error: the weight the parcel was shipped at, grams [002 查询发货重量]', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_GRAMS)
  shippedWeightGrams?: number;

  @ApiPropertyOptional({ description: 'warehouse_error: what the ordered goods should weigh, grams', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_GRAMS)
  expectedWeightGrams?: number;
}

/** An inventory correction for the stock system [002 修正库存]. */
export class InventoryCorrectionDto {
  @ApiProperty({ example: 'TEA-250' }) @IsString() @MinLength(1) @MaxLength(100) @Matches(NO_NUL) sku: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100_000) quantity: number;
  @ApiProperty({ enum: InventoryDirection, description: 'in: more stock than the books (the goods never left); out: less (other goods left)' })
  @IsEnum(InventoryDirection)
  direction: InventoryDirection;
}

/** The resolution, allowed per type exactly as SPEC §8 lists (422 naming the allowed ones). */
export class ResolveClaimDto extends CaseActionDto {
  @ApiProperty({ enum: Resolution, description: 'broken: reship|refund; leak_minor: gift_next_order|refund; leak_major, wrong_item, missing_item: reship' })
  @IsEnum(Resolution)
  resolution: Resolution;

  @ApiPropertyOptional({ description: 'refund of a broken claim: amount, minor units (or lossShare)', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_MINOR)
  refundAmount?: number;

  @ApiPropertyOptional({ description: `refund: the share of the affected lines' amount lost, basis points (2500 = 25 %); required for leak_minor [002 按照比例进行退款]`, minimum: 1, maximum: BASIS_POINTS })
  @IsOptional() @IsInt() @Min(1) @Max(BASIS_POINTS)
  lossShare?: number;

  @ApiPropertyOptional({ description: 'refund: paid outside the platform; finance records it', default: false })
  @IsOptional() @IsBoolean()
  manual?: boolean;

  @ApiPropertyOptional({ description: 'reship: the goods at cost, minor units (required)', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR)
  reshipCost?: number;

  @ApiPropertyOptional({ description: 'reship: the freight, minor units (required)', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR)
  freightCost?: number;

  @ApiPropertyOptional({ description: 'reship: carrier of the replacement (default the order\'s)' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @Matches(NO_NUL)
  carrier?: string;

  @ApiPropertyOptional({ description: 'gift_next_order: the gift at cost, minor units (required); counted when the next order ships', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR)
  giftCost?: number;

  @ApiPropertyOptional({ description: 'gift_next_order: what to put in the parcel, shown at the next order\'s audit', example: '赠品: 小样一份' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) @Matches(NO_NUL)
  giftNote?: string;

  @ApiPropertyOptional({ enum: AuditErrorKind, description: 'wrong_item / missing_item: the kind of error (default wrong_goods, serious) [002 绩效 七]' })
  @IsOptional() @IsEnum(AuditErrorKind)
  auditErrorKind?: AuditErrorKind;

  @ApiPropertyOptional({ type: [InventoryCorrectionDto], description: 'wrong_item / missing_item: the stock corrections (default: the affected lines\' SKUs back in)' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => InventoryCorrectionDto)
  inventoryCorrections?: InventoryCorrectionDto[];
}

/** Compensation claimed from the carrier [000 努力做到零赔付]. */
export class ClaimCarrierDto extends CaseActionDto {
  @ApiProperty({ description: 'Amount claimed from the carrier, minor units', minimum: 1 })
  @IsInt() @Min(1) @Max(MAX_MINOR)
  amountClaimed: number;

  @ApiProperty({ description: 'The carrier\'s reference of the claim', example: 'YD-PC-20250301-0042' })
  @IsString() @MinLength(1) @MaxLength(200) @Matches(NO_NUL)
  carrierReference: string;
}

/** What the carrier paid (0 allowed); full / partial / none is derived. */
export class RecoverClaimDto extends CaseActionDto {
  @ApiProperty({ description: 'Amount the carrier paid, minor units (0 when it refused); at most the amount claimed', minimum: 0 })
  @IsInt() @Min(0) @Max(MAX_MINOR)
  amountRecovered: number;
}

/** Resolved and no carrier claim. */
export class CloseClaimDto extends CaseActionDto {}
