import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import type { LineRef } from '../return-lines.js';
import { ReturnReason, ReturnType } from '../return-status.js';
import { IsLineRef, LINE_REF_DESCRIPTION } from './line-ref.js';

export class ReturnLineDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'integer', minimum: 1 }], description: LINE_REF_DESCRIPTION, example: '866550311766439020' })
  @IsLineRef()
  orderLineId: LineRef;

  @ApiProperty({ minimum: 1, description: 'How many units of the line', example: 1 })
  @IsInt() @Min(1) @Max(100_000)
  quantity: number;

  @ApiPropertyOptional({ enum: ReturnReason, description: 'Why this line comes back (Saleor, Medusa: reasons per line); default the return\'s reason' })
  @IsOptional() @IsEnum(ReturnReason)
  reason?: ReturnReason;
}

/** 退换货登记 [002]: a return registered with its type, reason and lines [000 记录备案]. */
export class CreateReturnDto {
  @ApiProperty({ description: 'The order: its id (uuid), or its platform order id or order number when one order of the merchant has it', example: '820982911946154508' })
  @IsString() @MinLength(1) @MaxLength(100)
  orderId: string;

  @ApiProperty({ enum: ReturnType })
  @IsEnum(ReturnType)
  type: ReturnType;

  @ApiProperty({ enum: ReturnReason, description: 'Counted in the reports (统计原因)' })
  @IsEnum(ReturnReason)
  reason: ReturnReason;

  @ApiPropertyOptional({ description: 'What the customer said', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ type: [ReturnLineDto], description: 'Lines and quantities; required for return_refund and exchange' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ReturnLineDto)
  lines?: ReturnLineDto[];

  @ApiPropertyOptional({ description: 'Amount the customer asks back, minor units; required (> 0) for refund_only and return_refund, 0 for an exchange', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  requestedAmount?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the customer reported it; deadlines count from here (default now)' })
  @IsOptional() @IsISO8601({ strict: true })
  reportedAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff member working the case (default: the creating agent)' })
  @IsOptional() @IsUUID()
  assigneeId?: string;
}

export class ReturnSettingsDto {
  @ApiProperty({ description: 'Most an agent may approve alone, minor units (default 50000 = 500.00)', minimum: 0 })
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  agentApprovalLimit: number;
}

export class ReturnSettingsResponseDto {
  @ApiProperty({ description: 'Most an agent may approve alone, minor units' }) agentApprovalLimit: number;
}
