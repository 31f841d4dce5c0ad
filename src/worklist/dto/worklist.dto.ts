import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { WORKLIST_SECTION_KEYS, type WorklistSectionKey } from '../worklist-sections.js';

export class WorklistQueryDto {
  @ApiPropertyOptional({
    description: "The day, shop-local: the shop's timezone, or the merchant's default when no shopId is given. Default: today there.",
    example: '2026-11-30',
  })
  @IsOptional()
  // Years a shop can have work in; outside them the day's instants are not worth resolving.
  @Matches(/^(19[7-9]\d|2\d{3})-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD between 1970 and 2999, e.g. 2026-11-30' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One shop of the merchant (404 for any other); default all shops' })
  @IsOptional() @IsUUID()
  shopId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One staff member's items (404 for anyone not of the merchant); default everybody's" })
  @IsOptional() @IsUUID()
  assigneeId?: string;
}

export class WorklistItemDto {
  @ApiProperty({ description: 'Machine name: claim, return, review, complaint, follow_up, logistics_exception, refund, order, task …', example: 'claim' })
  module: string;

  @ApiProperty({ description: 'API collection: GET /api/v1/{collection}/{id} opens the item', example: 'claims' })
  collection: string;

  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) orderId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The order's number" }) orderNo: string | null;
  @ApiProperty({ example: 'reported' }) status: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assigneeId: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the case (or order, refund) was opened' }) openedAt: string;

  @ApiProperty({
    type: String, nullable: true, format: 'date-time',
    description: "The item's deadline in this section: the case's dueAt; the reply deadline for reviews without a reply; the ship-by time for orders",
  })
  dueAt: string | null;

  @ApiProperty({ description: 'dueAt has passed' }) overdue: boolean;
  @ApiProperty({ description: 'Short human text', example: '大量渗漏 major leakage · #1001' }) title: string;
}

export class WorklistSectionDto {
  @ApiProperty({ enum: WORKLIST_SECTION_KEYS, description: 'Stable key' }) key: WorklistSectionKey;
  @ApiProperty({ description: 'Position in the day [002 售后日工作流程]', minimum: 1 }) step: number;
  @ApiProperty({ description: 'zh-CN title' }) title: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ description: 'All matching items; `items` holds at most 50 of them' }) count: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'finance_confirmation only: the next 12:00 / 16:00 batch on a working day, shop time [002]' })
  nextBatchAt: string | null;

  @ApiProperty({ type: [WorklistItemDto], description: 'Oldest first (complaints: serious first)' }) items: WorklistItemDto[];
}

export class WorklistDto {
  @ApiProperty({ description: 'The day, shop-local', example: '2026-11-30' }) date: string;
  @ApiProperty({ description: 'The zone the day was read in', example: 'Asia/Shanghai' }) timezone: string;
  @ApiProperty({ format: 'date-time', description: 'The instant the list describes (overdue and due-soon are measured from it)' }) generatedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assigneeId: string | null;
  @ApiProperty({ type: [WorklistSectionDto], description: 'Every section, in the order of the day, even when empty' }) sections: WorklistSectionDto[];
}
