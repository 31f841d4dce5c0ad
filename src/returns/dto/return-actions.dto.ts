import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CaseActionDto } from '../../kernel/cases/case-action.dto.js';
import { InspectionResult } from '../return-status.js';

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

export class ReceiveReturnDto extends CaseActionDto {
  @ApiProperty({ description: 'Tracking number of the parcel the customer sent back', example: 'YT1234567890' })
  @IsString() @MinLength(1) @MaxLength(100)
  returnTrackingNo: string;

  @ApiPropertyOptional({ description: 'Carrier of the returned parcel', example: '圆通' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  returnCarrier?: string;
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
