import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CarrierEntry } from '../../carriers/carrier-registry.js';

export class UpdateCarrierDto {
  @ApiPropertyOptional({ example: '圆通速递 (杭州仓)', description: 'Name shown for this carrier; required when the code is not a shipped carrier' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) displayName?: string;
  @ApiPropertyOptional({ type: [String], example: ['YT Hangzhou', '圆通杭州'], description: 'The merchant\'s own names for it; replaces the previous list. Case, spaces and punctuation do not matter' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Matches(/^[^\u0000]*$/, { each: true, message: 'aliases must not contain NUL characters' }) @MinLength(1, { each: true }) @MaxLength(100, { each: true }) aliases?: string[];
}

export class ResolveCarrierQueryDto {
  @ApiProperty({ example: 'YTO Express', description: 'Any name of a carrier' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
}

export class CarrierResponseDto {
  @ApiProperty({ example: 'yuantong', description: 'Canonical code (Kuaidi100 `com`); shipments store it' }) code: string;
  @ApiProperty({ example: 'YTO Express' }) displayName: string;
  @ApiProperty({ type: String, nullable: true, example: '圆通速递' }) chineseName: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'YTO', description: 'Back-office short code' }) shortCode: string | null;
  @ApiProperty({ type: [String], description: 'Shipped aliases' }) aliases: string[];
  @ApiProperty({ type: [String], description: 'The merchant\'s own aliases' }) merchantAliases: string[];
  @ApiProperty({ description: 'Shipped with the service (else added by the merchant)' }) shipped: boolean;
}

export class CarrierListDto {
  @ApiProperty({ type: [CarrierResponseDto] }) items: CarrierResponseDto[];
}

export class ResolvedCarrierDto {
  @ApiProperty({ example: 'YTO Express' }) name: string;
  @ApiProperty({ example: 'yuantong', description: 'The code a shipment or push with this name gets' }) code: string;
  @ApiProperty({ description: 'The registry knows the name; otherwise the code is the name\'s own slug' }) known: boolean;
  @ApiProperty({ type: CarrierResponseDto, nullable: true }) carrier: CarrierResponseDto | null;
}

export function toCarrierResponse(e: CarrierEntry): CarrierResponseDto {
  return {
    code: e.code, displayName: e.displayName, chineseName: e.chineseName, shortCode: e.shortCode, aliases: e.aliases, merchantAliases: e.merchantAliases, shipped: e.shipped,
  };
}
