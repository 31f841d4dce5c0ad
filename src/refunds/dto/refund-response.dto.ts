import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { RefundExecutionState, RefundMethod, RefundSourceType, RefundStatus } from '../refund-status.js';

export class ListRefundsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: RefundStatus }) @IsOptional() @IsEnum(RefundStatus) status?: RefundStatus;
  @ApiPropertyOptional({ enum: RefundSourceType }) @IsOptional() @IsEnum(RefundSourceType) sourceType?: RefundSourceType;
  @ApiPropertyOptional({ format: 'uuid', description: 'The case that caused the refunds' }) @IsOptional() @IsUUID() sourceId?: string;
}

export class RefundSourceDto {
  @ApiProperty({ enum: RefundSourceType }) type: RefundSourceType;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The case id; null for a goodwill refund' }) id: string | null;
}

export class RefundResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ enum: RefundStatus }) status: RefundStatus;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'Integer minor units (1500 = 15.00), shipping included' }) amount: number;
  @ApiProperty({ description: 'Part of amount refunding shipping fees, minor units' }) shippingAmount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: RefundSourceDto }) source: RefundSourceDto;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) responsibility: string | null;
  @ApiProperty({ enum: RefundMethod }) method: RefundMethod;
  @ApiProperty({ enum: RefundExecutionState }) executionState: RefundExecutionState;
  @ApiProperty({ description: 'Calls made to the platform so far' }) executionAttempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'The refund id on the platform' }) platformRefundId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Reference of a manual payment' }) externalReference: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The failed refund this one retries' }) retryOf: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) requestedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Agent the refund counts against in the refund rate' }) agentId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) dueAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) succeededAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) failedAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class RefundDetailDto extends RefundResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) @Type(() => TimelineEntryDto) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
}

export class RefundPageDto {
  @ApiProperty({ type: [RefundResponseDto] }) items: RefundResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
