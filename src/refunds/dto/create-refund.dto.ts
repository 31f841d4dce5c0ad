import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** A supervisor's goodwill refund directly on an order (SPEC §7). */
export class CreateGoodwillRefundDto {
  @ApiProperty({ description: 'The order refunded: its id (uuid), or its platform order id or order number when one order of the merchant has it', example: '820982911946154508' })
  @IsString() @MinLength(1) @MaxLength(100)
  orderId: string;

  @ApiProperty({ description: 'Total refunded, integer minor units of the order currency (19900 = 199.00), shipping included', example: 1500, minimum: 1 })
  @IsInt() @Min(1) @Max(MAX_MINOR)
  amount: number;

  @ApiPropertyOptional({ description: 'Part of `amount` that refunds shipping fees, minor units', default: 0, minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR)
  shippingAmount?: number;

  @ApiProperty({ description: 'Why the merchant refunds (kept on the ledger and in the reconciliation report)', example: '快递延误补偿' })
  @IsString() @MinLength(1) @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ description: 'Pay it outside the platform; finance then records the external reference', default: false })
  @IsOptional() @IsBoolean()
  manual?: boolean;
}
