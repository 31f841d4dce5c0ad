import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';

export class RecordManualDto extends CaseActionDto {
  @ApiProperty({ description: 'Reference of the payment made outside the service (bank transfer no., Alipay trade no.)', example: 'ALIPAY-2025112312345' })
  @IsString() @MinLength(1) @MaxLength(200)
  externalReference: string;
}

export class RecordFailureDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the manual refund could not be paid', example: 'customer account closed' })
  @IsString() @MinLength(1) @MaxLength(2000)
  reason: string;
}

export class RetryRefundDto {
  @ApiPropertyOptional({ description: 'Free note kept on the new refund\'s timeline', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}
