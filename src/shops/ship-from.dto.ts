import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Shop } from './shop.entity.js';

const NO_NUL = /^[^\u0000]*$/;

/** SPEC §6 origin: the warehouse a shop's parcels leave from. */
export class ShipFromDto {
  @ApiProperty({ example: '广东省', description: 'Province; shipments of the shop\'s orders take it as their origin (same-province stale rule [002])' })
  @IsString() @Matches(NO_NUL, { message: 'province must not contain NUL characters' }) @MinLength(1) @MaxLength(100) province: string;
  @ApiProperty({ example: '深圳市' })
  @IsString() @Matches(NO_NUL, { message: 'city must not contain NUL characters' }) @MinLength(1) @MaxLength(100) city: string;
  @ApiPropertyOptional({ example: '南山区科技园南区 8 栋' })
  @IsOptional() @IsString() @Matches(NO_NUL, { message: 'address must not contain NUL characters' }) @MaxLength(500) address?: string;
}

export class ShipFromResponseDto {
  @ApiProperty() province: string;
  @ApiProperty() city: string;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
}

export function toShipFromResponse(s: Shop): ShipFromResponseDto | null {
  return s.shipFromProvince ? { province: s.shipFromProvince, city: s.shipFromCity ?? '', address: s.shipFromAddress } : null;
}

/** The shop columns of a ship-from address; null clears it. */
export function shipFromColumns(dto: ShipFromDto | null): Pick<Shop, 'shipFromProvince' | 'shipFromCity' | 'shipFromAddress'> {
  return {
    shipFromProvince: dto ? dto.province.trim() : null,
    shipFromCity: dto ? dto.city.trim() : null,
    shipFromAddress: dto?.address?.trim() || null,
  };
}
