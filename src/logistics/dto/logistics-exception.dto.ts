import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto, toCaseResponse } from '../../kernel/cases/case-response.dto.js';
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

/** `from`/`to` are on the time the exception was reported or detected. */
export class ListLogisticsExceptionsQueryDto extends CaseListQueryDto(LogisticsExceptionStatus, 'Reported') {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shipmentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: LogisticsExceptionKind }) @IsOptional() @IsEnum(LogisticsExceptionKind) kind?: LogisticsExceptionKind;
}

/** [002] 联系催促对应网点 + 给指定网点留言. */
export class UrgeDto extends CaseActionDto {
  @ApiProperty({ description: 'The call to the carrier outlet: who was reached and what they said', maxLength: 2000, example: '致电韵达海珠网点, 答复今日派送' })
  @IsString() @MinLength(1) @MaxLength(2000) outletCall: string;
  @ApiProperty({ description: 'The message left for the outlet on the carrier back office', maxLength: 2000, example: '韵达后台留言: 请尽快派送' })
  @IsString() @MinLength(1) @MaxLength(2000) backOfficeMessage: string;
  @ApiPropertyOptional({ description: 'What the customer was told (回复客户)', maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) customerReply?: string;
}

export class ResolveDto extends CaseActionDto {}

export class EscalateDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the customer gets a reship now', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

/** [002 补发] creates a reship order linked to the original. */
export class ReshipDto extends CaseActionDto {
  @ApiProperty({ description: 'What the reship costs the merchant: goods at cost plus freight, minor units', example: 4500, minimum: 0 })
  @IsInt() @Min(0) @Max(MAX_MINOR) reshipCost: number;
  @ApiPropertyOptional({ description: 'Carrier for the reship (default: the original order\'s)', example: 'shunfeng' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(50) carrier?: string;
}

/** [002 退回追货] 在后台给指定网点留言退回. */
export class RecallDto extends CaseActionDto {
  @ApiProperty({ description: 'The message asking the outlet to return the original parcel', maxLength: 2000 })
  @IsString() @MinLength(1) @MaxLength(2000) backOfficeMessage: string;
}

const CLOSE_OUTCOMES = [LogisticsExceptionOutcome.OriginalReturned, LogisticsExceptionOutcome.OriginalDelivered, LogisticsExceptionOutcome.WrittenOff] as const;

export class CloseDto extends CaseActionDto {
  @ApiProperty({ enum: CLOSE_OUTCOMES, description: 'What became of the original parcel' })
  @IsIn(CLOSE_OUTCOMES) outcome: (typeof CLOSE_OUTCOMES)[number];
  @ApiPropertyOptional({ description: 'Amount recovered from the carrier (compensation), minor units', default: 0, minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR) recovered?: number;
}

export class DismissDto extends CaseActionDto {
  @ApiProperty({ description: 'Why this is not a problem', maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class LogisticsExceptionResponseDto extends CaseResponseDto {
  @ApiProperty({ enum: LogisticsExceptionStatus }) declare status: LogisticsExceptionStatus;
  @ApiProperty({ format: 'uuid' }) shipmentId: string;
  @ApiProperty({ enum: LogisticsExceptionKind }) kind: LogisticsExceptionKind;
  @ApiProperty({ enum: LogisticsExceptionSource }) source: LogisticsExceptionSource;
  @ApiProperty({ description: 'When it was reported or detected' }) reportedAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'Stale cases: the last movement the scan saw' }) silentSince: Date | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: LogisticsExceptionOutcome, nullable: true }) outcome: LogisticsExceptionOutcome | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The reship order' }) reshipOrderId: string | null;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
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
    ...toCaseResponse(e),
    status: e.status,
    shipmentId: e.shipmentId,
    kind: e.kind,
    source: e.source,
    reportedAt: e.reportedAt,
    silentSince: e.silentSince,
    description: e.description,
    outcome: e.outcome,
    currency: e.currency,
    reshipOrderId: e.reshipOrderId,
    closedAt: e.closedAt,
  };
}

// ---- scan and settings ----

export class ScanDto {
  @ApiPropertyOptional({ description: 'Evaluate staleness as of this instant (default now); an instant in the future previews and writes nothing', example: '2025-03-02T09:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

export class ScanResponseDto {
  @ApiProperty({ description: 'The instant staleness was evaluated at' }) asOf: Date;
  @ApiProperty({ description: 'asOf lay in the future: `opened` lists what would open then; nothing was written and the ids are not stored' }) preview: boolean;
  @ApiProperty({ description: 'How many exceptions this scan opened (would open, in a preview)' }) count: number;
  @ApiProperty({ type: [LogisticsExceptionResponseDto], description: 'The exceptions it opened (would open, in a preview)' }) opened: LogisticsExceptionResponseDto[];
}

export class LogisticsSettingsResponseDto {
  @ApiProperty() staleSameProvinceHours: number;
  @ApiProperty() staleCrossProvinceHours: number;
}
