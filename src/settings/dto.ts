import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { Omittable } from '../kernel/errors/validation.js';
import type { OrderSettings } from './order-settings.js';

export class CarrierCoverageDto {
  @ApiProperty({ example: 'SF', description: 'Carrier code or name as used in audit and ship (case-insensitive)' })
  @IsString() @MinLength(1) @MaxLength(100) carrier: string;

  @ApiProperty({ type: [String], example: ['广东', '北京市', 'Shanghai'], description: 'Provinces served; 广东 / 广东省 / Guangdong are the same' })
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true })
  provinces: string[];
}

export class PutCarrierCoverageDto {
  @ApiProperty({ type: [CarrierCoverageDto], description: 'Replaces the whole list' })
  @IsArray() @ArrayMinSize(0) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => CarrierCoverageDto)
  carriers: CarrierCoverageDto[];
}

export class CarrierCoverageResponseDto {
  @ApiProperty({ type: [CarrierCoverageDto] }) carriers: CarrierCoverageDto[];
}

export class PutOrderSettingsDto {
  @ApiPropertyOptional({ default: 15, minimum: 1, maximum: 365, description: 'Days after delivery before an order completes' })
  @Omittable() @IsInt() @Min(1) @Max(365) completeAfterDays?: number;

  @ApiPropertyOptional({ example: '浙江', description: 'Province the warehouse ships from' })
  @Omittable() @IsString() @MinLength(1) @MaxLength(100) shipFromProvince?: string;
}

export class OrderSettingsResponseDto {
  @ApiProperty() completeAfterDays: number;
  @ApiProperty({ type: String, nullable: true }) shipFromProvince: string | null;
}

export function toOrderSettingsResponse(s: OrderSettings): OrderSettingsResponseDto {
  return { completeAfterDays: s.completeAfterDays, shipFromProvince: s.shipFromProvince };
}
