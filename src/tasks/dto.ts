import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../kernel/pagination/pagination.js';
import { Task, TaskKind, TaskStatus } from './task.entity.js';

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TaskKind }) @IsOptional() @IsEnum(TaskKind) kind?: TaskKind;
  @ApiPropertyOptional({ enum: TaskStatus }) @IsOptional() @IsEnum(TaskStatus) status?: TaskStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Tasks about this order / case' }) @IsOptional() @IsUUID() subjectId?: string;
}

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TaskKind }) kind: TaskKind;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'order' }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) shopId: string | null;
  @ApiProperty({ enum: TaskStatus }) status: TaskStatus;
  @ApiProperty({ type: Date, nullable: true }) dueAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) doneAt: Date | null;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskResponseDto] }) items: TaskResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toTaskResponse(t: Task): TaskResponseDto {
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    subjectType: t.subjectType,
    subjectId: t.subjectId,
    shopId: t.shopId,
    status: t.status,
    dueAt: t.dueAt,
    createdAt: t.createdAt,
    doneAt: t.doneAt,
  };
}
