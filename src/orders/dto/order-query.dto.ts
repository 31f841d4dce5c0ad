import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../kernel/pagination/pagination.js';
import { OrderStatus } from '../order-status.js';

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() shopId?: string;
  @ApiPropertyOptional({ enum: OrderStatus }) @IsOptional() @IsEnum(OrderStatus) status?: OrderStatus;
  @ApiPropertyOptional({ description: 'Placed at or after (ISO 8601)', example: '2025-03-01T00:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Placed before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'Order number (with or without #), platform order id, customer phone (any common spelling: 13800138000, +86 138 0013 8000, 138-0013-8000) or tracking number' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ description: 'Only orders past their dueAt' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() overdue?: boolean;
}

export class ByPlatformIdQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The shop, when several shops have an order with this platform id or number' })
  @IsOptional() @IsUUID() shopId?: string;
}
