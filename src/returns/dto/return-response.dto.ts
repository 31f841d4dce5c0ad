import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto } from '../../kernel/cases/case-response.dto.js';
import { RefundResponseDto } from '../../refunds/dto/refund-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { InspectionResult, PlatformDecision, PlatformDecisionState, ReturnReason, ReturnSource, ReturnStatus, ReturnType } from '../return-status.js';

export class ListReturnsQueryDto extends CaseListQueryDto(ReturnStatus) {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: ReturnType }) @IsOptional() @IsEnum(ReturnType) type?: ReturnType;
  @ApiPropertyOptional({ enum: ReturnReason }) @IsOptional() @IsEnum(ReturnReason) reason?: ReturnReason;
}

export class ReturnLineResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The return line (receive names it as returnLineId)' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The order line\'s id' }) orderLineId: string;
  @ApiProperty({ description: 'The order line\'s lineNo' }) lineNo: number;
  @ApiProperty({ type: String, nullable: true, description: 'The order line\'s id on the platform' }) platformLineId: string | null;
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Units asked back' }) quantity: number;
  @ApiProperty({ enum: ReturnReason, description: 'Why this line comes back' }) reason: ReturnReason;
  @ApiProperty({ type: String, nullable: true, description: 'What the customer wrote about this line (platform requests)' }) customerNote: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The platform\'s id of the return line (Shopify ReturnLineItem)' }) platformReturnLineId: string | null;
  @ApiProperty({ description: 'Units received back into sellable stock' }) restocked: number;
  @ApiProperty({ description: 'Units received unsellable (written off)' }) damaged: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Units that did not come back; null until received' }) missing: number | null;
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
  @ApiProperty({ type: String, nullable: true, description: 'Why it was closed without a refund' }) closeReason: string | null;
  @ApiProperty({ enum: ReturnSource, description: 'staff (registered here) or platform (a platform\'s return request)' }) source: ReturnSource;
  @ApiProperty({ type: String, nullable: true, description: 'The platform\'s return id (platform requests)' }) platformReturnId: string | null;
  @ApiProperty({ enum: PlatformDecision, nullable: true, description: 'The decision sent back to the platform' }) platformDecision: PlatformDecision | null;
  @ApiProperty({ enum: PlatformDecisionState, nullable: true, description: 'Whether the platform has been told: queued, sent, failed' }) platformDecisionState: PlatformDecisionState | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why telling the platform failed (no remote body is ever shown)' }) platformDecisionError: string | null;
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
