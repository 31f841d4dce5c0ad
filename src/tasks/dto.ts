import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { CaseActionDto } from '../kernel/cases/case-action.dto.js';
import { CaseListQueryDto } from '../kernel/cases/case-query.dto.js';
import { TaskKind, type TaskRow, TaskStatus } from './task.entity.js';

export class ListTasksQueryDto extends CaseListQueryDto(TaskStatus) {
  @ApiPropertyOptional({ enum: TaskKind }) @IsOptional() @IsEnum(TaskKind) kind?: TaskKind;
  @ApiPropertyOptional({ format: 'uuid', description: 'Tasks about this order / case' }) @IsOptional() @IsUUID() subjectId?: string;
}

/** `done`: the work is done; `note` (optional) is kept on the task and its timeline. */
export class DoneTaskDto extends CaseActionDto {}

export class DismissTaskDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the task is not needed', example: '客户已在电话中说明不再购买' })
  @IsString() @Matches(/^[^\u0000]*$/, { message: 'reason must not contain NUL characters' }) @MinLength(1) @MaxLength(1000)
  reason: string;
}

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TaskKind }) kind: TaskKind;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'order' }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) shopId: string | null;
  @ApiProperty({ enum: TaskStatus }) status: TaskStatus;
  @ApiProperty({ description: 'Bumped by every action; send it back as expectedVersion' }) version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty({ description: 'Open and past its dueAt' }) overdue: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The note given when it was done' }) doneNote: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was dismissed' }) dismissReason: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) doneAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) dismissedAt: Date | null;
}

export class TaskDetailDto extends TaskResponseDto {
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskResponseDto] }) items: TaskResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toTaskResponse(t: TaskRow, now = new Date()): TaskResponseDto {
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    subjectType: t.subject_type,
    subjectId: t.subject_id,
    shopId: t.shop_id,
    status: t.status,
    version: t.version,
    assigneeId: t.assignee_id,
    dueAt: t.due_at,
    overdue: t.status === TaskStatus.Open && t.due_at !== null && t.due_at.getTime() < now.getTime(),
    doneNote: t.done_note,
    dismissReason: t.dismiss_reason,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    doneAt: t.done_at,
    dismissedAt: t.dismissed_at,
  };
}
