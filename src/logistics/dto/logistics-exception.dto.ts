import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import type { LogisticsException } from '../logistics-exception.entity.js';
import {
  LogisticsExceptionKind, LogisticsExceptionOutcome, LogisticsExceptionSource, LogisticsExceptionStatus,
} from '../logistics-exception.machine.js';
import { ShipmentResponseDto } from './shipment.dto.js';

const MAX_MINOR = 1_000_000_000_00; // 1e11 minor units: far above any parcel, well inside safe integers

export class CreateLogisticsExceptionDto {
  @ApiProperty({ format: 'uuid', description: 'The shipment concerned' }) @IsUUID() shipmentId: string;
  @ApiProperty({ enum: LogisticsExceptionKind, description: 'no_outlet starts at reship_required, due 16:00 [002]' })
  @IsEnum(LogisticsExceptionKind) kind: LogisticsExceptionKind;
  @ApiPropertyOptional({ description: 'What was found or reported', maxLength: 2000 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ description: 'When the customer reported it (default now); deadlines count from it', example: '2025-03-01T15:30:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }) reportedAt?: string;
}

export class ListLogisticsExceptionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shipmentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ enum: LogisticsExceptionStatus }) @IsOptional() @IsEnum(LogisticsExceptionStatus) status?: LogisticsExceptionStatus;
  @ApiPropertyOptional({ enum: LogisticsExceptionKind }) @IsOptional() @IsEnum(LogisticsExceptionKind) kind?: LogisticsExceptionKind;
  @ApiPropertyOptional({ description: 'Reported at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Reported before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'Only cases past their dueAt' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() overdue?: boolean;
}

/** Fields every case action accepts. */
export class LogisticsExceptionActionDto {
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
  @ApiPropertyOptional({ description: 'Note for the timeline', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** [002] 联系催促对应网点 + 给指定网点留言. */
export class UrgeDto {
  @ApiProperty({ description: 'The call to the carrier outlet: who was reached and what they said', maxLength: 2000, example: '致电韵达海珠网点, 答复今日派送' })
  @IsString() @MinLength(1) @MaxLength(2000) outletCall: string;
  @ApiProperty({ description: 'The message left for the outlet on the carrier back office', maxLength: 2000, example: '韵达后台留言: 请尽快派送' })
  @IsString() @MinLength(1) @MaxLength(2000) backOfficeMessage: string;
  @ApiPropertyOptional({ description: 'What the customer was told (回复客户)', maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) customerReply?: string;
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class ResolveDto extends LogisticsExceptionActionDto {}

export class EscalateDto {
  @ApiProperty({ description: 'Why the customer gets a reship now', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

/** [002 补发] creates a reship order linked to the original. */
export class ReshipDto extends LogisticsExceptionActionDto {
  @ApiProperty({ description: 'What the reship costs the merchant: goods at cost plus freight, minor units', example: 4500, minimum: 0 })
  @IsInt() @Min(0) @Max(MAX_MINOR) reshipCost: number;
  @ApiPropertyOptional({ description: 'Carrier for the reship (default: the original order\'s)', example: 'shunfeng' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(50) carrier?: string;
}

/** [002 退回追货] 在后台给指定网点留言退回. */
export class RecallDto {
  @ApiProperty({ description: 'The message asking the outlet to return the original parcel', maxLength: 2000 })
  @IsString() @MinLength(1) @MaxLength(2000) backOfficeMessage: string;
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

const CLOSE_OUTCOMES = [LogisticsExceptionOutcome.OriginalReturned, LogisticsExceptionOutcome.OriginalDelivered, LogisticsExceptionOutcome.WrittenOff] as const;

export class CloseDto extends LogisticsExceptionActionDto {
  @ApiProperty({ enum: CLOSE_OUTCOMES, description: 'What became of the original parcel' })
  @IsIn(CLOSE_OUTCOMES) outcome: (typeof CLOSE_OUTCOMES)[number];
  @ApiPropertyOptional({ description: 'Amount recovered from the carrier (compensation), minor units', default: 0, minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR) recovered?: number;
}

export class DismissDto {
  @ApiProperty({ description: 'Why this is not a problem', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class LogisticsExceptionResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty({ format: 'uuid' }) shipmentId: string;
  @ApiProperty({ enum: LogisticsExceptionKind }) kind: LogisticsExceptionKind;
  @ApiProperty({ enum: LogisticsExceptionStatus }) status: LogisticsExceptionStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'SLA deadline of the current step' }) dueAt: Date | null;
  @ApiProperty({ enum: LogisticsExceptionSource }) source: LogisticsExceptionSource;
  @ApiProperty({ description: 'When it was reported or detected' }) reportedAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'Stale cases: the last movement the scan saw' }) silentSince: Date | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: LogisticsExceptionOutcome, nullable: true }) outcome: LogisticsExceptionOutcome | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'What it cost the merchant so far (reships), minor units' }) cost: number;
  @ApiProperty({ description: 'Recovered from the carrier, minor units' }) recovered: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The reship order' }) reshipOrderId: string | null;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class LogisticsExceptionDetailResponseDto extends LogisticsExceptionResponseDto {
  @ApiProperty({ type: ShipmentResponseDto }) shipment: ShipmentResponseDto;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
}

export class LogisticsExceptionPageDto {
  @ApiProperty({ type: [LogisticsExceptionResponseDto] }) items: LogisticsExceptionResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toLogisticsExceptionResponse(e: LogisticsException): LogisticsExceptionResponseDto {
  return {
    id: e.id,
    shopId: e.shopId,
    orderId: e.orderId,
    shipmentId: e.shipmentId,
    kind: e.kind,
    status: e.status,
    version: e.version,
    assigneeId: e.assigneeId,
    dueAt: e.dueAt,
    source: e.source,
    reportedAt: e.reportedAt,
    silentSince: e.silentSince,
    description: e.description,
    outcome: e.outcome,
    currency: e.currency,
    cost: e.cost,
    recovered: e.recovered,
    reshipOrderId: e.reshipOrderId,
    closedAt: e.closedAt,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

// ---- scan and settings ----

export class ScanDto {
  @ApiPropertyOptional({ description: 'Evaluate staleness as of this instant (default now)', example: '2025-03-02T09:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

export class ScanResponseDto {
  @ApiProperty({ description: 'The instant staleness was evaluated at' }) asOf: Date;
  @ApiProperty({ description: 'How many exceptions this scan opened' }) count: number;
  @ApiProperty({ type: [LogisticsExceptionResponseDto], description: 'The exceptions it opened' }) opened: LogisticsExceptionResponseDto[];
}

export class LogisticsSettingsDto {
  @ApiPropertyOptional({ description: 'Same province: stale after this many hours without an event [002: 隔天]', default: 24, minimum: 1, maximum: 720 })
  @IsOptional() @IsInt() @Min(1) @Max(720) staleSameProvinceHours?: number;
  @ApiPropertyOptional({ description: 'Different provinces: stale after this many hours [002: 3天]', default: 72, minimum: 1, maximum: 720 })
  @IsOptional() @IsInt() @Min(1) @Max(720) staleCrossProvinceHours?: number;
}

export class LogisticsSettingsResponseDto {
  @ApiProperty() staleSameProvinceHours: number;
  @ApiProperty() staleCrossProvinceHours: number;
}
