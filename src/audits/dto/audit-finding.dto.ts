import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { AuditSeverity } from '../audit-finding.js';

const TEXT = /^[^\u0000]*$/;

/** An order-audit error a supervisor found in an agent's work [002 绩效 七]. */
export class CreateAuditFindingDto {
  @ApiProperty({ format: 'uuid', description: 'The agent whose audit (审单) was wrong' })
  @IsUUID()
  agentId: string;

  @ApiProperty({ enum: AuditSeverity, description: 'serious (−2): wrong goods / amount / COD; general (−0.5): remark, courier, sample gift [002]' })
  @IsEnum(AuditSeverity)
  severity: AuditSeverity;

  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'What was wrong (confirmed with the agent [002 备注 1])' })
  @IsString() @Matches(TEXT, { message: 'note must not contain NUL characters' }) @MinLength(1) @MaxLength(2000)
  note: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The order audited' })
  @IsOptional() @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the error was found (default now); it counts in that month' })
  @IsOptional() @IsISO8601({ strict: true })
  foundAt?: string;
}

export class ListAuditFindingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agentId?: string;
  @ApiPropertyOptional({ enum: AuditSeverity }) @IsOptional() @IsEnum(AuditSeverity) severity?: AuditSeverity;
  @ApiPropertyOptional({ format: 'date-time', description: 'Found at or after' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Found before' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditFindingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agentId: string;
  @ApiProperty({ enum: AuditSeverity }) severity: AuditSeverity;
  @ApiProperty() note: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty({ type: Date }) foundAt: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordedBy: string | null;
  @ApiProperty({ type: Date }) createdAt: Date;
}

export class AuditFindingPageDto {
  @ApiProperty({ type: [AuditFindingDto] }) items: AuditFindingDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
