import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { OrderStatus } from '../order-status.js';

/** `from`/`to` are on the placement time. */
export class ListOrdersQueryDto extends CaseListQueryDto(OrderStatus, 'Placed') {
  @ApiPropertyOptional({ description: 'Order number (with or without #), platform order id, customer phone (any common spelling: 13800138000, +86 138 0013 8000, 138-0013-8000) or tracking number' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
}

export class ByPlatformIdQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The shop, when several shops have an order with this platform id or number' })
  @IsOptional() @IsUUID() shopId?: string;
}
