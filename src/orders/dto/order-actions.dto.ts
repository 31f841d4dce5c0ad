import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { ConfirmationCallOutcome, HoldReason } from '../order-status.js';

/** Fields every order action accepts. */
export class OrderActionDto {
  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;

  @ApiPropertyOptional({ description: 'Note for the timeline', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AuditOrderDto extends OrderActionDto {
  @ApiPropertyOptional({ example: 'SF', description: 'Carrier to ship with; its coverage list must include the destination province. Defaults to the carrier already on the order' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) carrier?: string;
}

export class HoldOrderDto {
  @ApiProperty({ enum: HoldReason, description: '[002] why the audit stops' })
  @IsEnum(HoldReason) reason: HoldReason;

  @ApiPropertyOptional({ description: 'Required when reason is "other"', maxLength: 2000 })
  @ValidateIf((o: HoldOrderDto) => o.reason === HoldReason.Other || o.note !== undefined)
  @IsString() @MinLength(1) @MaxLength(2000) note?: string;

  @ApiPropertyOptional({ description: 'The version the caller saw; a mismatch answers 409', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class ReleaseOrderDto extends OrderActionDto {}

export class ConfirmOrderDto extends OrderActionDto {}

export class ShipOrderDto extends OrderActionDto {
  @ApiProperty({ example: 'SF', description: 'Carrier; another one than the audited carrier must serve the destination too' })
  @IsString() @MinLength(1) @MaxLength(100) carrier: string;

  @ApiProperty({ example: 'SF1234567890123' })
  @IsString() @Matches(/^[A-Za-z0-9-]{4,50}$/, { message: 'trackingNo must be 4–50 letters, digits or dashes' }) trackingNo: string;
}

export class CancelOrderDto extends OrderActionDto {
  @ApiProperty({ example: 'customer asked to cancel', maxLength: 500 })
  @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class ConfirmBatchDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Audited orders to confirm (1–100); each succeeds or fails on its own' })
  @ArrayMinSize(1) @ArrayMaxSize(100) @ArrayUnique() @IsUUID('all', { each: true }) orderIds: string[];

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class LogConfirmationCallDto {
  @ApiProperty({ enum: ConfirmationCallOutcome, description: '[004] result of the call to the customer' })
  @IsEnum(ConfirmationCallOutcome) outcome: ConfirmationCallOutcome;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
