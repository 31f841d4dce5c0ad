import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto } from '../../kernel/cases/case-response.dto.js';
import { RefundResponseDto } from '../../refunds/dto/refund-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { InspectionResult, ReturnReason, ReturnStatus, ReturnType } from '../return-status.js';

export class ListReturnsQueryDto extends CaseListQueryDto(ReturnStatus) {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: ReturnType }) @IsOptional() @IsEnum(ReturnType) type?: ReturnType;
  @ApiPropertyOptional({ enum: ReturnReason }) @IsOptional() @IsEnum(ReturnReason) reason?: ReturnReason;
}

export class ReturnLineResponseDto {
  @ApiProperty({ format: 'uuid' }) orderLineId: string;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
}

export class ReturnResponseDto extends CaseResponseDto {
  @ApiProperty({ format: 'uuid' }) declare orderId: string;
  @ApiProperty({ enum: ReturnStatus }) declare status: ReturnStatus;
  @ApiProperty({ enum: ReturnType }) type: ReturnType;
  @ApiProperty({ enum: ReturnReason }) reason: ReturnReason;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) reportedAt: Date;
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
