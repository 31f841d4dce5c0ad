import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { RefundResponseDto } from '../../refunds/dto/refund-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { InspectionResult, ReturnReason, ReturnStatus, ReturnType } from '../return-status.js';

export class ListReturnsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: ReturnStatus }) @IsOptional() @IsEnum(ReturnStatus) status?: ReturnStatus;
  @ApiPropertyOptional({ enum: ReturnType }) @IsOptional() @IsEnum(ReturnType) type?: ReturnType;
  @ApiPropertyOptional({ enum: ReturnReason }) @IsOptional() @IsEnum(ReturnReason) reason?: ReturnReason;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only cases past their dueAt' })
  @IsOptional() @Transform(({ value }) => (value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : value)) @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class ReturnLineResponseDto {
  @ApiProperty({ format: 'uuid' }) orderLineId: string;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
}

export class ReturnResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ enum: ReturnType }) type: ReturnType;
  @ApiProperty({ enum: ReturnReason }) reason: ReturnReason;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: ReturnStatus }) status: ReturnStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assigneeId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'SLA deadline of the current step' }) dueAt: Date | null;
  @ApiProperty({ format: 'date-time' }) reportedAt: Date;
  @ApiProperty({ description: 'What the case has cost the merchant so far (refunds), minor units' }) cost: number;
  @ApiProperty({ description: 'Money recovered from a carrier, minor units' }) recovered: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Minor units' }) requestedAmount: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units' }) approvedAmount: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) approvedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectReason: string | null;
  @ApiProperty({ type: String, nullable: true }) returnCarrier: string | null;
  @ApiProperty({ type: String, nullable: true }) returnTrackingNo: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) receivedAt: Date | null;
  @ApiProperty({ enum: InspectionResult, nullable: true }) inspectionResult: InspectionResult | null;
  @ApiProperty({ type: String, nullable: true }) inspectionNote: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) exchangeShipmentId: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy: string | null;
  @ApiProperty({ type: [ReturnLineResponseDto] }) lines: ReturnLineResponseDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class ReturnDetailDto extends ReturnResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
  @ApiProperty({ type: [RefundResponseDto], description: 'Refunds written for this case' }) refunds: RefundResponseDto[];
}

export class ReturnPageDto {
  @ApiProperty({ type: [ReturnResponseDto] }) items: ReturnResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
