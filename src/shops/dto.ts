import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength,
  registerDecorator, ValidateNested, ValidationOptions,
} from 'class-validator';
import { PageQueryDto } from '../kernel/pagination/pagination.js';
import { isValidTimeZone } from '../kernel/time/business-clock.js';
import { Shop, ShopPlatform } from './shop.entity.js';
import { ShipFromDto, ShipFromResponseDto, toShipFromResponse } from './ship-from.dto.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** SPEC §4: hours are the merchant's, in the business calendar; these shop columns predate it. */
const LEGACY_HOURS = "Deprecated: kept and returned as set, but deadlines read the merchant's business calendar (GET/PATCH /api/v1/settings/calendar, /api/v1/calendar/days), in the shop's timezone";

export function IsTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Asia/Shanghai`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidTimeZone(v) },
    });
}

export class DailyWindowDto {
  @ApiProperty({ example: '21:00', pattern: HHMM.source, description: 'HH:mm' }) @Matches(HHMM, { message: 'start must be HH:mm' }) start: string;
  @ApiProperty({ example: '09:00', pattern: HHMM.source, description: 'HH:mm' }) @Matches(HHMM, { message: 'end must be HH:mm' }) end: string;
}

export class BusinessHoursDto extends DailyWindowDto {
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5, 6, 7], description: 'ISO weekdays, 1 = Monday' })
  @ArrayMinSize(1) @ArrayMaxSize(7) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true })
  days: number[];
}

const CURRENCIES = ['CNY', 'USD', 'EUR', 'GBP', 'HKD', 'JPY', 'SGD', 'AUD', 'CAD', 'TWD', 'KRW', 'MYR', 'THB'];

export class CreateShopDto {
  @ApiProperty({ example: '天猫旗舰店' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: ShopPlatform }) @IsEnum(ShopPlatform) platform: ShopPlatform;
  @ApiProperty({ description: 'Secret that signs this shop\'s webhooks; stored, never returned', minLength: 8 })
  @IsString() @MinLength(8) @MaxLength(500) webhookSecret: string;
  @ApiPropertyOptional({ description: 'Salt that signs carrier tracking pushes; stored, never returned' })
  @IsOptional() @IsString() @MinLength(4) @MaxLength(500) trackingSalt?: string;
  @ApiPropertyOptional({ default: 'Asia/Shanghai' }) @IsOptional() @IsTimeZone() timezone?: string;
  @ApiPropertyOptional({ default: 'CNY', enum: CURRENCIES }) @IsOptional() @IsIn(CURRENCIES) currency?: string;
  @ApiPropertyOptional({ type: BusinessHoursDto, deprecated: true, description: `Default 09:00–18:00 every day [002]. ${LEGACY_HOURS}` })
  @IsOptional() @ValidateNested() @Type(() => BusinessHoursDto) businessHours?: BusinessHoursDto;
  @ApiPropertyOptional({ type: DailyWindowDto, deprecated: true, description: `Default 21:00–09:00 [000]. ${LEGACY_HOURS}` })
  @IsOptional() @ValidateNested() @Type(() => DailyWindowDto) quietHours?: DailyWindowDto;
  @ApiPropertyOptional({ type: ShipFromDto, description: 'Warehouse the shop ships from (SPEC §6 origin)' })
  @IsOptional() @ValidateNested() @Type(() => ShipFromDto) shipFrom?: ShipFromDto;
}

export class UpdateShopDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'Rotate the webhook secret' }) @IsOptional() @IsString() @MinLength(8) @MaxLength(500) webhookSecret?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(4) @MaxLength(500) trackingSalt?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimeZone() timezone?: string;
  @ApiPropertyOptional({ type: BusinessHoursDto, deprecated: true, description: LEGACY_HOURS }) @IsOptional() @ValidateNested() @Type(() => BusinessHoursDto) businessHours?: BusinessHoursDto;
  @ApiPropertyOptional({ type: DailyWindowDto, deprecated: true, description: LEGACY_HOURS }) @IsOptional() @ValidateNested() @Type(() => DailyWindowDto) quietHours?: DailyWindowDto;
  @ApiPropertyOptional({ type: ShipFromDto, nullable: true, description: 'Warehouse the shop ships from; null removes it (origin falls back to the merchant setting shipFromProvince)' })
  @IsOptional() @ValidateNested() @Type(() => ShipFromDto) shipFrom?: ShipFromDto | null;
}

export class ListShopsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ShopPlatform }) @IsOptional() @IsEnum(ShopPlatform) platform?: ShopPlatform;
}

export class ShopResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ShopPlatform }) platform: ShopPlatform;
  @ApiProperty() timezone: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: BusinessHoursDto, deprecated: true, description: LEGACY_HOURS }) businessHours: BusinessHoursDto;
  @ApiProperty({ type: DailyWindowDto, deprecated: true, description: LEGACY_HOURS }) quietHours: DailyWindowDto;
  @ApiProperty({ description: 'Path the platform posts order webhooks to', example: '/webhooks/shopify/<id>' }) webhookPath: string;
  @ApiProperty({ description: 'Whether a tracking salt is set (the salt itself is never returned)' }) hasTrackingSalt: boolean;
  @ApiProperty({ type: ShipFromResponseDto, nullable: true, description: 'Warehouse the shop ships from (SPEC §6 origin)' }) shipFrom: ShipFromResponseDto | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ShopPageDto {
  @ApiProperty({ type: [ShopResponseDto] }) items: ShopResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toShopResponse(s: Shop): ShopResponseDto {
  return {
    id: s.id,
    name: s.name,
    platform: s.platform,
    timezone: s.timezone,
    currency: s.currency,
    businessHours: s.businessHours,
    quietHours: s.quietHours,
    webhookPath: `/webhooks/${s.platform}/${s.id}`,
    hasTrackingSalt: !!s.trackingSalt,
    shipFrom: toShipFromResponse(s),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
