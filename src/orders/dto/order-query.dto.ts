import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { OrderStatus } from '../order-status.js';

/** `from`/`to` are on the placement time. */
export class ListOrdersQueryDto extends CaseListQueryDto(OrderStatus, 'Placed') {
  @ApiPropertyOptional({ description: 'Order number (with or without #), platform order id, customer phone or tracking number' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
}
