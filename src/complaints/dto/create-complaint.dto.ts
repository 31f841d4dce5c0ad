import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ComplaintCategory, ComplaintChannel, ComplaintSeverity } from '../complaint-status.js';

const TEXT = /^[^\u0000]*$/;

/** 投诉受理 [000 step 1]: the 《顾客投诉登记表》 — who complains, how, about what, when. */
export class CreateComplaintDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The shop complained about; required unless orderId is given (then the order\'s shop)' })
  @IsOptional() @IsUUID()
  shopId?: string;

  @ApiPropertyOptional({ description: 'The order concerned: its id (uuid), or its platform order id or order number', example: '820982911946154508' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  orderId?: string;

  @ApiProperty({ description: '投诉人', example: '王小红', maxLength: 200 })
  @IsString() @Matches(TEXT, { message: 'complainantName must not contain NUL characters' }) @MinLength(1) @MaxLength(200)
  complainantName: string;

  @ApiPropertyOptional({ description: 'Phone to call back (kept as written, and in E.164 when it is a valid number)', example: '138 0013 8000', maxLength: 50 })
  @IsOptional() @IsString() @Matches(TEXT, { message: 'complainantPhone must not contain NUL characters' }) @MinLength(1) @MaxLength(50)
  complainantPhone?: string;

  @ApiProperty({ enum: ComplaintChannel })
  @IsEnum(ComplaintChannel)
  channel: ComplaintChannel;

  @ApiProperty({ description: '投诉内容: what the customer said', maxLength: 5000 })
  @IsString() @Matches(TEXT, { message: 'content must not contain NUL characters' }) @MinLength(1) @MaxLength(5000)
  content: string;

  @ApiProperty({ enum: ComplaintCategory, description: 'The row of the 顾客投诉分类统计表 it counts in' })
  @IsEnum(ComplaintCategory)
  category: ComplaintCategory;

  @ApiPropertyOptional({ enum: ComplaintSeverity, default: ComplaintSeverity.Normal, description: '`serious` is sent to supervisors at once (event complaint.serious)' })
  @IsOptional() @IsEnum(ComplaintSeverity)
  severity?: ComplaintSeverity;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the customer complained; the first response is due 12 business hours later (default now)' })
  @IsOptional() @IsISO8601({ strict: true })
  reportedAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff member handling it (default: the registering agent)' })
  @IsOptional() @IsUUID()
  assigneeId?: string;
}
