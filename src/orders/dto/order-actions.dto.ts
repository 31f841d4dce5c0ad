import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { ConfirmationCallOutcome, HoldReason } from '../order-status.js';

/** Fields every order action accepts (the kernel's action body). */
export class OrderActionDto extends CaseActionDto {}

export class AuditOrderDto extends OrderActionDto {
  @ApiPropertyOptional({ example: 'SF', description: 'Carrier to ship with; its coverage list must include the destination province. Defaults to the carrier already on the order' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) carrier?: string;
}

export class HoldOrderDto extends CaseActionDto {
  @ApiProperty({ enum: HoldReason, description: '[002] why the audit stops' })
  @IsEnum(HoldReason) reason: HoldReason;

  @ApiPropertyOptional({ description: 'Required when reason is "other"', maxLength: 2000 })
  @ValidateIf((o: HoldOrderDto) => o.reason === HoldReason.Other || o.note !== undefined)
  @IsString() @Matches(/^[^\u0000]*$/, { message: 'note must not contain NUL characters' }) @MinLength(1) @MaxLength(2000)
  declare note?: string;
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

export class LogConfirmationCallDto extends CaseActionDto {
  @ApiProperty({ enum: ConfirmationCallOutcome, description: '[004] result of the call to the customer' })
  @IsEnum(ConfirmationCallOutcome) outcome: ConfirmationCallOutcome;
}
