import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import type { LineRef } from '../return-lines.js';
import { InspectionResult } from '../return-status.js';
import { IsLineRef, LINE_REF_DESCRIPTION } from './line-ref.js';

const NO_NUL = /^[^\u0000]*$/;

export class ApproveReturnDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'Amount approved, minor units; default the requested amount, never above it', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;
}

export class RejectReturnDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the request is refused (shown to the customer)', example: '商品已使用，不符合退货条件' })
  @IsString() @MinLength(1) @MaxLength(1000)
  reason: string;
}

/** What came back of one return line, by disposition (Shopify's restock type, Medusa's damaged quantity). */
export class ReceivedLineDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The return line (`lines[].id` of the return); or name it by orderLineId' })
  @ValidateIf((o: ReceivedLineDto) => o.orderLineId === undefined || o.returnLineId !== undefined)
  @IsUUID()
  returnLineId?: string;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer', minimum: 1 }], description: `Instead of returnLineId. ${LINE_REF_DESCRIPTION}` })
  @IsOptional() @IsLineRef()
  orderLineId?: LineRef;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Units back to sellable stock' })
  @IsOptional() @IsInt() @Min(0) @Max(100_000)
  restock?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Units that came back unsellable (written off)' })
  @IsOptional() @IsInt() @Min(0) @Max(100_000)
  damaged?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Units still missing after this parcel; when given it must equal what restock and damaged leave of the line (422 otherwise)' })
  @IsOptional() @IsInt() @Min(0) @Max(100_000)
  missing?: number;
}

export class ReceiveReturnDto extends CaseActionDto {
  @ApiProperty({ description: 'Tracking number of the parcel the customer sent back', example: 'YT1234567890' })
  @IsString() @MinLength(1) @MaxLength(100)
  returnTrackingNo: string;

  @ApiPropertyOptional({ description: 'Carrier of the returned parcel', example: '圆通' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  returnCarrier?: string;

  @ApiPropertyOptional({
    type: [ReceivedLineDto],
    description:
      'What came back, per line. A line not listed is unchanged (on the first receive: all of it missing). Without `lines` every unit still outstanding counts as restock. ' +
      'Every unit accounted for (restock or damaged) → received; any missing → partially_received, where a later parcel is received the same way.',
  })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ReceivedLineDto)
  lines?: ReceivedLineDto[];
}

export class CloseReturnDto extends CaseActionDto {
  @ApiProperty({ description: 'Why the return ends without a refund (e.g. the replacement already went out)', example: '已补发新品，无需退款' })
  @IsString() @Matches(NO_NUL, { message: 'reason must not contain NUL characters' }) @MinLength(1) @MaxLength(1000)
  reason: string;
}

export class InspectReturnDto extends CaseActionDto {
  @ApiProperty({ enum: InspectionResult, description: '`fail` sends the case back to the agent, who may reject it' })
  @IsEnum(InspectionResult)
  result: InspectionResult;

  @ApiPropertyOptional({ description: 'What was found; required when the result is fail', example: '外包装完好，商品未拆封' })
  @ValidateIf((o: InspectReturnDto) => o.result === InspectionResult.Fail || o.inspectionNote !== undefined)
  @IsString() @MinLength(1) @MaxLength(2000)
  inspectionNote?: string;
}

export class RefundReturnDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'Amount to refund, minor units; default the approved amount, never above it', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ description: 'Pay outside the platform; finance records the reference', default: false })
  @IsOptional() @IsBoolean()
  manual?: boolean;
}

export class ShipExchangeDto extends CaseActionDto {
  @ApiProperty({ description: 'Carrier of the replacement parcel', example: '韵达' })
  @IsString() @MinLength(1) @MaxLength(100)
  carrier: string;

  @ApiProperty({ description: 'Tracking number of the replacement parcel', example: '4312345678901' })
  @IsString() @MinLength(1) @MaxLength(100)
  trackingNo: string;
}

export class CancelReturnDto extends CaseActionDto {
  @ApiPropertyOptional({ description: 'Why the buyer withdrew', example: '买家撤销申请' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(1000)
  reason?: string;
}

export class CompleteReturnDto extends CaseActionDto {}
