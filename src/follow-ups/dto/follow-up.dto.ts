import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { FollowUpResult, FollowUpStatus } from '../follow-up-status.js';

const TEXT = /^[^\u0000]*$/;

/** `record`: the call's result (回访记录表); `unsatisfied` opens a complaint linked to the case. */
export class RecordFollowUpDto extends CaseActionDto {
  @ApiProperty({ enum: FollowUpResult })
  @IsEnum(FollowUpResult)
  result: FollowUpResult;

  @ApiPropertyOptional({ description: 'What the customer said (建议和意见)', maxLength: 2000 })
  @IsOptional() @IsString() @Matches(TEXT, { message: 'comment must not contain NUL characters' }) @MaxLength(2000)
  comment?: string;
}

/** `dismiss`: no call, with the reason. */
export class DismissFollowUpDto extends CaseActionDto {
  @ApiProperty({ description: 'Why there is no call (the customer asked not to be called, …)', maxLength: 1000 })
  @IsString() @Matches(TEXT, { message: 'reason must not contain NUL characters' }) @MinLength(1) @MaxLength(1000)
  reason: string;
}

/** `reschedule`: the time agreed with the customer [000 最好与客户在电话中再约一个方便的时间]. */
export class RescheduleFollowUpDto extends CaseActionDto {
  @ApiProperty({ format: 'date-time', description: 'When to call; moved out of quiet hours' })
  @IsISO8601({ strict: true })
  at: string;
}

function queryBoolean({ value }: { value: unknown }): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

export class ListFollowUpsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FollowUpStatus })
  @IsOptional() @IsEnum(FollowUpStatus)
  status?: FollowUpStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ description: 'Machine name of the case followed', example: 'return' }) @IsOptional() @IsString() @Matches(/^[a-z][a-z0-9_]{0,62}$/) sourceModule?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sourceCaseId?: string;
  @ApiPropertyOptional({ enum: FollowUpResult }) @IsOptional() @IsEnum(FollowUpResult) result?: FollowUpResult;
  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'true: only those past their dueAt; false: only those not past it (or without one)' })
  @IsOptional() @Transform(queryBoolean) @IsBoolean()
  overdue?: boolean;
}

export class FollowUpSourceDto {
  @ApiProperty({ description: 'Machine name of the case followed', example: 'return' }) module: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ description: 'Its REST collection: /api/v1/{collection}/{caseId}', example: 'returns' }) collection: string;
  @ApiProperty({ description: '1 for the first resolution; a case reopened and resolved again is followed again' }) round: number;
  @ApiProperty({ format: 'date-time', description: 'When the case was resolved' }) resolvedAt: Date;
}

export class FollowUpResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty({ enum: FollowUpStatus }) status: FollowUpStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Call by then: within 3 days of the resolution, never in quiet hours' }) dueAt: Date | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: FollowUpSourceDto }) source: FollowUpSourceDto;
  @ApiProperty({ enum: FollowUpResult, nullable: true }) result: FollowUpResult | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) recordedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) dismissReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The complaint an unsatisfied result opened' }) complaintId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class FollowUpDetailDto extends FollowUpResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
}

export class FollowUpPageDto {
  @ApiProperty({ type: [FollowUpResponseDto] }) items: FollowUpResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
