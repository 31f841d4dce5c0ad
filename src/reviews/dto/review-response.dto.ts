import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AttachmentResponseDto } from '../../kernel/attachments/dto/attachment.dto.js';
import { CaseListQueryDto } from '../../kernel/cases/case-query.dto.js';
import { CaseResponseDto } from '../../kernel/cases/case-response.dto.js';
import { TimelineEntryDto } from '../../kernel/timeline/timeline.dto.js';
import { RefundResponseDto } from '../../refunds/dto/refund-response.dto.js';
import {
  ContactChannel, ContactOutcome, RemedyType, ReplyDelivery, ReplyStatus, ReviewOutcome, ReviewSource, ReviewStatus, RootCause,
} from '../review-status.js';

const RATINGS = ['1', '2', '3', '4', '5'];

export class ListReviewsQueryDto extends CaseListQueryDto(ReviewStatus, 'Reviewed') {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;

  @ApiPropertyOptional({ type: String, description: 'Original rating, one or a comma list (e.g. 1,2 for 差评)', example: '1,2' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value))
  @ArrayMinSize(1) @ArrayMaxSize(5) @IsIn(RATINGS, { each: true, message: 'rating must be 1–5 (a comma list)' })
  rating?: string[];

  @ApiPropertyOptional({ enum: ReviewOutcome }) @IsOptional() @IsEnum(ReviewOutcome) outcome?: ReviewOutcome;
  @ApiPropertyOptional({ enum: ReviewSource }) @IsOptional() @IsEnum(ReviewSource) source?: ReviewSource;

  @ApiPropertyOptional({ type: Boolean, description: 'false: no public reply yet (the worklist\'s "bad reviews without a public reply")' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  publicReply?: boolean;
}

export class ReviewRemedyDto {
  @ApiProperty({ enum: RemedyType }) type: RemedyType;
  @ApiProperty({ description: 'Money of the remedy, minor units (0 for an apology)' }) amount: number;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ description: 'The cap when it was offered, minor units' }) cap: number;
  @ApiProperty({ description: 'Offered above the cap (by a supervisor)' }) overCap: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) offeredBy: string | null;
  @ApiProperty({ format: 'date-time' }) offeredAt: Date;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) acceptedAt: Date | null;
}

export class ReviewResponseDto extends CaseResponseDto {
  @ApiProperty({ enum: ReviewStatus }) declare status: ReviewStatus;
  @ApiProperty({ enum: ReviewSource }) source: ReviewSource;
  @ApiProperty({ type: String, nullable: true }) platformReviewId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The platform order id the review named' }) platformOrderId: string | null;
  @ApiProperty({ description: 'Currency of the remedy amounts (the order\'s, else the shop\'s)' }) currency: string;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'The rating the platform shows now' }) rating: number;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'The rating when the review came in' }) ratingBefore: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The revised rating' }) ratingAfter: number | null;
  @ApiProperty({ enum: ['good', 'neutral', 'bad'], description: '好评 / 中评 / 差评 of ratingBefore' }) grade: 'good' | 'neutral' | 'bad';
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) reviewedAt: Date;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'First contact due (24 h after the review)' }) firstContactDueAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) firstContactedAt: Date | null;
  @ApiProperty() contactAttempts: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastContactAt: Date | null;
  @ApiProperty({ enum: ContactOutcome, nullable: true }) lastContactOutcome: ContactOutcome | null;
  @ApiProperty({ enum: ContactChannel, nullable: true }) lastContactChannel: ContactChannel | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'After a no_answer: the next attempt, never in quiet hours' }) nextAttemptAt: Date | null;
  @ApiProperty({ enum: RootCause, nullable: true }) rootCause: RootCause | null;
  @ApiProperty({ type: Boolean, nullable: true, description: '[002 服务引起的中差评]' }) serviceCaused: boolean | null;
  @ApiProperty({ type: String, nullable: true }) diagnosis: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) responsibleStaffId: string | null;
  @ApiProperty({ type: ReviewRemedyDto, nullable: true }) remedy: ReviewRemedyDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The refund an accepted refund remedy wrote' }) refundId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) extortionFlaggedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) extortionFlaggedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) extortionDescription: string | null;
  @ApiProperty({ type: Number, nullable: true }) extortionDemandedAmount: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The latest public reply' }) publicReply: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the latest public reply was written; null = no public reply yet' }) publicReplyAt: Date | null;
  @ApiProperty({ enum: ReviewOutcome, nullable: true }) outcome: ReviewOutcome | null;
  @ApiProperty({ type: String, nullable: true }) closeReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revisedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy: string | null;
}

export class ReviewReplyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: ReplyDelivery, description: '`manual`: the platform has no reply API (or none is configured): paste the text on the platform' }) delivery: ReplyDelivery;
  @ApiProperty({ enum: ReplyStatus }) status: ReplyStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is manual, and what to do' }) manualReason: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class ReviewDetailDto extends ReviewResponseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
  @ApiProperty({ type: [String], description: 'Actions the caller may fire now' }) allowedActions: string[];
  @ApiProperty({ type: [ReviewReplyDto], description: 'Public replies, oldest first, with how each reached the platform' }) replies: ReviewReplyDto[];
  @ApiProperty({ type: [AttachmentResponseDto], description: 'Evidence: chat screenshots and PDF transcripts' }) evidence: AttachmentResponseDto[];
  @ApiProperty({ type: [RefundResponseDto], description: 'Refunds written for this review' }) refunds: RefundResponseDto[];
}

export class ReviewPageDto {
  @ApiProperty({ type: [ReviewResponseDto] }) items: ReviewResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
