import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { ClaimType, Responsibility } from '../claim-status.js';

const NO_NUL = /^[^\u0000]*$/;

/** An affected order line, named by any id the order detail shows (exactly one of them). */
export class ClaimLineDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The order line id' })
  @IsOptional() @IsUUID()
  orderLineId?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Or the line number of the order (1, 2, …)' })
  @IsOptional() @IsInt() @Min(1) @Max(100_000)
  lineNo?: number;

  @ApiPropertyOptional({ description: 'Or the platform\'s line id', example: '866550311766439020' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @Matches(NO_NUL)
  platformLineId?: string;

  @ApiProperty({ minimum: 1, description: 'Units affected', example: 1 })
  @IsInt() @Min(1) @Max(100_000)
  quantity: number;
}

/** 事务登记 [002]: the claim with its waybill and the affected lines. */
export class CreateClaimDto {
  @ApiProperty({ description: 'The order: its id (uuid), or its platform order id or order number when one order of the merchant has it' })
  @IsString() @MinLength(1) @MaxLength(100)
  orderId: string;

  @ApiProperty({ enum: ClaimType })
  @IsEnum(ClaimType)
  type: ClaimType;

  @ApiPropertyOptional({ description: 'Waybill (tracking no.) of the parcel; default the order\'s latest shipment [002 登记运单号]', example: '4312345678901' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @Matches(NO_NUL)
  trackingNo?: string;

  @ApiPropertyOptional({ description: 'Carrier of the parcel; default the shipment\'s', example: 'yunda' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @Matches(NO_NUL)
  carrier?: string;

  @ApiPropertyOptional({ description: 'What the customer said', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) @Matches(NO_NUL)
  description?: string;

  @ApiProperty({ type: [ClaimLineDto], description: 'The affected lines and quantities' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ClaimLineDto)
  lines: ClaimLineDto[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the customer reported it; the 16:00 deadline counts from here (default now)' })
  @IsOptional() @IsISO8601({ strict: true })
  reportedAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff member working the claim (default: the creating agent)' })
  @IsOptional() @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ enum: Responsibility, description: 'wrong_item / missing_item: who caused it, when already known (also given at verify)' })
  @IsOptional() @IsEnum(Responsibility)
  responsibility?: Responsibility;

  @ApiPropertyOptional({ format: 'uuid', description: 'wrong_item / missing_item: the staff member responsible (通告责任人), same merchant' })
  @IsOptional() @IsUUID()
  responsibleStaffId?: string;
}
