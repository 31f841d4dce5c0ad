import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { ContactChannel, ContactOutcome, MONEY_REMEDIES, RemedyType, RootCause } from '../review-status.js';

export class LogContactDto extends CaseActionDto {
  @ApiProperty({ enum: ContactOutcome, description: '`no_answer` schedules the next attempt at the next time the calendar allows a call (never in quiet hours)' })
  @IsEnum(ContactOutcome)
  outcome: ContactOutcome;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the call was made (default now; not in the future). The next attempt counts from here' })
  @IsOptional() @IsISO8601({ strict: true })
  attemptedAt?: string;

  @ApiPropertyOptional({ enum: ContactChannel, default: ContactChannel.Phone })
  @IsOptional() @IsEnum(ContactChannel)
  channel?: ContactChannel;
}

export class DiagnoseReviewDto extends CaseActionDto {
  @ApiProperty({ enum: RootCause })
  @IsEnum(RootCause)
  rootCause: RootCause;

  @ApiProperty({ description: '[002 服务引起的中差评] caused by our service (counts against the responsible agent in the KPIs)' })
  @IsBoolean()
  serviceCaused: boolean;

  @ApiPropertyOptional({ description: 'What happened, as the customer told it', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  diagnosis?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The staff member whose service caused it (default: the case assignee)' })
  @IsOptional() @IsUUID()
  responsibleStaffId?: string;
}

export class OfferRemedyDto extends CaseActionDto {
  @ApiProperty({ enum: RemedyType })
  @IsEnum(RemedyType)
  type: RemedyType;

  @ApiPropertyOptional({
    description: 'Money of the remedy, minor units: the refund, the gift at goods cost, the reship at goods cost plus freight. Required for refund, gift and reship; none for an apology. Above the cap (default 10 % of the order, at most 50.00) only a supervisor may offer it',
    minimum: 1,
  })
  @ValidateIf((o: OfferRemedyDto) => MONEY_REMEDIES.includes(o.type) || o.amount !== undefined)
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ description: 'What is offered, in words', maxLength: 1000, example: '赠送同款试用装一份' })
  @IsOptional() @IsString() @MaxLength(1000)
  description?: string;
}

export class AcceptRemedyDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'Refund remedies: pay outside the platform; finance records the reference', default: false })
  @IsOptional() @IsBoolean()
  manual?: boolean;
}

export class DeclineRemedyDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'Why the customer declined', maxLength: 1000 })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class ReviseReviewDto extends CaseActionDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'The revised rating; must be better than the original' })
  @IsInt() @Min(1) @Max(5)
  rating: number;

  @ApiPropertyOptional({ description: 'The revised text', maxLength: 5000 })
  @IsOptional() @IsString() @MaxLength(5000)
  content?: string;
}

export class MarkUnrevisedDto extends CaseActionDto {}

export class FlagExtortionDto extends CaseActionDto {
  @ApiProperty({ description: '[001 敲诈] what the customer demanded, in their words', maxLength: 2000, example: '买家称不退款50元就不改差评' })
  @IsString() @MinLength(1) @MaxLength(2000)
  description: string;

  @ApiPropertyOptional({ description: 'The amount demanded, minor units', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  demandedAmount?: number;
}

export class ReplyReviewDto extends CaseActionDto {
  @ApiProperty({ description: '[002 负面评价回复及解释] the public explanation shown under the review', maxLength: 2000 })
  @IsString() @MinLength(1) @MaxLength(2000)
  text: string;
}

export class CloseUnreachedDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the recovery stops (attempts made, the customer refused)', maxLength: 1000 })
  @IsString() @MinLength(1) @MaxLength(1000)
  reason: string;
}

export class RefuseDemandDto extends CaseActionDto {
  @ApiProperty({ description: 'The decision, e.g. reported to the platform with the evidence', maxLength: 1000 })
  @IsString() @MinLength(1) @MaxLength(1000)
  reason: string;
}
