import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto } from '../../kernel/cases/case-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { FollowUpResult } from '../../follow-ups/follow-up-status.js';
import {
  ComplaintAcceptance, ComplaintCategory, ComplaintChannel, ComplaintDepartment, ComplaintSeverity, ComplaintStatus,
} from '../complaint-status.js';

export class ListComplaintsQueryDto extends CaseListQueryDto(ComplaintStatus, 'Reported') {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: ComplaintSeverity }) @IsOptional() @IsEnum(ComplaintSeverity) severity?: ComplaintSeverity;
  @ApiPropertyOptional({ enum: ComplaintCategory }) @IsOptional() @IsEnum(ComplaintCategory) category?: ComplaintCategory;
  @ApiPropertyOptional({ enum: ComplaintChannel }) @IsOptional() @IsEnum(ComplaintChannel) channel?: ComplaintChannel;
  @ApiPropertyOptional({ format: 'uuid', description: 'Complaints opened from a follow-up of this case' }) @IsOptional() @IsUUID() sourceCaseId?: string;
}

export class ComplaintSourceDto {
  @ApiProperty({ description: 'Machine name of the case whose follow-up was unsatisfied', example: 'return' }) module: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The follow-up that opened this complaint' }) followUpId: string | null;
}

export class ComplaintResponseDto extends CaseResponseDto {
  @ApiProperty({ enum: ComplaintStatus }) declare status: ComplaintStatus;
  @ApiProperty({ format: 'date-time' }) reportedAt: Date;
  @ApiProperty() complainantName: string;
  @ApiProperty({ type: String, nullable: true }) complainantPhone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'E.164, when the phone is a valid number' }) complainantPhoneE164: string | null;
  @ApiProperty({ enum: ComplaintChannel }) channel: ComplaintChannel;
  @ApiProperty({ enum: ComplaintCategory }) category: ComplaintCategory;
  @ApiProperty({ enum: ComplaintSeverity }) severity: ComplaintSeverity;
  @ApiProperty() content: string;
  @ApiProperty({ type: ComplaintSourceDto, nullable: true }) source: ComplaintSourceDto | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null until assessed' }) founded: boolean | null;
  @ApiProperty({ type: String, nullable: true, description: 'The recorded explanation of the assessment' }) assessment: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assessedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'The first response (the assessment)' }) firstResponseAt: Date | null;
  @ApiProperty({ enum: ComplaintDepartment, nullable: true }) department: ComplaintDepartment | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: '责任人' }) responsibleStaffId: string | null;
  @ApiProperty({ type: String, nullable: true }) plan: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units' }) planCostEstimate: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) proposedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why a supervisor sent the last plan back' }) planRejectionReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) approvedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) approvedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) implementedAt: Date | null;
  @ApiProperty({ enum: ComplaintAcceptance, nullable: true }) acceptance: ComplaintAcceptance | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) confirmedAt: Date | null;
  @ApiProperty({ enum: FollowUpResult, nullable: true }) followUpResult: FollowUpResult | null;
  @ApiProperty({ type: String, nullable: true }) followUpComment: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) followedUpAt: Date | null;
  @ApiProperty({ description: 'How often an unsatisfied follow-up reopened it' }) reopenCount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy: string | null;
}

export class ComplaintDetailDto extends ComplaintResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
}

export class ComplaintPageDto {
  @ApiProperty({ type: [ComplaintResponseDto] }) items: ComplaintResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
