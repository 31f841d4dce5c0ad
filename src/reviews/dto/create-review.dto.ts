import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

/** A review registered by staff (Shopify and other platforms without a review webhook) [002 查看中差评]. */
export class CreateReviewDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  shopId: string;

  @ApiPropertyOptional({ description: 'The order: its id (uuid), platform order id or order number; must be an order of the shop', example: '820982911946154508' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  orderId?: string;

  @ApiPropertyOptional({ description: 'The platform\'s id of the review; one review per shop and id (409 for a second)', maxLength: 200 })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  platformReviewId?: string;

  @ApiProperty({ minimum: 1, maximum: 5, description: '1–2 差评, 3 中评 (both open the recovery at once), 4–5 好评 (no_action)' })
  @IsInt() @Min(1) @Max(5)
  rating: number;

  @ApiProperty({ description: 'The review text as the customer wrote it (may be empty)', maxLength: 5000 })
  @IsString() @MaxLength(5000)
  content: string;

  @ApiProperty({ format: 'date-time', description: 'When the customer wrote it; the first contact is due 24 h later' })
  @IsISO8601({ strict: true })
  reviewedAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff member working the recovery (default: the registering agent)' })
  @IsOptional() @IsUUID()
  assigneeId?: string;
}

export class ReviewSettingsDto {
  @ApiPropertyOptional({ description: 'Remedy cap as a percentage of the order amount (default 10)', minimum: 0, maximum: 100 })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  remedyCapPercent?: number;

  @ApiPropertyOptional({ description: 'The cap never exceeds this, minor units (default 5000 = 50.00)', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  remedyCapMax?: number;

  @ApiPropertyOptional({ description: 'Minutes after a no_answer before the next attempt, moved out of quiet hours (default 120)', minimum: 15, maximum: 10080 })
  @IsOptional() @IsInt() @Min(15) @Max(7 * 24 * 60)
  retryAfterMinutes?: number;
}

export class ReviewSettingsResponseDto {
  @ApiProperty({ description: 'Remedy cap, percent of the order amount' }) remedyCapPercent: number;
  @ApiProperty({ description: 'Remedy cap at most, minor units' }) remedyCapMax: number;
  @ApiProperty({ description: 'Minutes before the next attempt after a no_answer' }) retryAfterMinutes: number;
}
