import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { loadCarrierRegistry } from '../carriers/carrier-directory.js';
import { InvalidInput } from '../kernel/errors/domain-errors.js';
import { Omittable } from '../kernel/errors/validation.js';
import { defineSettings } from '../kernel/settings/settings-section.js';

/** One carrier and the provinces it serves [002 审单: 快递是否到达]. */
export interface CarrierCoverage {
  carrier: string;
  provinces: string[];
}

export interface CarrierCoverageSettings {
  carriers: CarrierCoverage[];
}

export class CarrierCoverageDto {
  @ApiProperty({ example: 'SF', description: 'Carrier code or name as used in audit and ship (case-insensitive)' })
  @IsString() @MinLength(1) @MaxLength(100) carrier: string;

  @ApiProperty({ type: [String], example: ['广东', '北京市', 'Shanghai'], description: 'Provinces served; 广东 / 广东省 / Guangdong are the same' })
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(100, { each: true })
  provinces: string[];
}

/** PATCH body of the section: the list, when given, replaces the whole list. */
export class CarrierCoverageSettingsDto {
  @ApiProperty({ type: [CarrierCoverageDto], required: false, description: 'Replaces the whole list' })
  @Omittable() @IsArray() @ArrayMaxSize(50) @IsObject({ each: true, message: 'each of carriers must be an object {carrier, provinces}' }) @ValidateNested({ each: true }) @Type(() => CarrierCoverageDto)
  carriers?: CarrierCoverageDto[];
}

/** PUT /api/v1/settings/carrier-coverage (the older route): the list is required. */
export class PutCarrierCoverageDto {
  @ApiProperty({ type: [CarrierCoverageDto], description: 'Replaces the whole list' })
  @IsArray() @ArrayMaxSize(50) @IsObject({ each: true, message: 'each of carriers must be an object {carrier, provinces}' }) @ValidateNested({ each: true }) @Type(() => CarrierCoverageDto)
  carriers: CarrierCoverageDto[];
}

export class CarrierCoverageResponseDto {
  @ApiProperty({ type: [CarrierCoverageDto] }) carriers: CarrierCoverageDto[];
}

/** Section `carrier-coverage` (was `merchants.settings.carrierCoverage`, moved by migration 1764100000001). */
export const carrierCoverageSettings = defineSettings<CarrierCoverageSettings>({
  name: 'carrier-coverage',
  description: 'Provinces each carrier serves, checked by the order audit [002 审单]',
  defaults: { carriers: [] },
  dto: CarrierCoverageSettingsDto,
  normalise: (p) => (p.carriers ? { carriers: p.carriers.map((c) => ({ carrier: c.carrier.trim(), provinces: [...new Set(c.provinces.map((x) => x.trim()))] })) } : p),
  // Two names of one carrier ("SF", "顺丰速运") are one entry (SPEC §6 carrier registry).
  async check(next, { merchantId, manager }) {
    const registry = await loadCarrierRegistry(manager, merchantId);
    const seen = new Map<string, string>();
    for (const c of next.carriers) {
      const code = registry.codeOf(c.carrier);
      if (seen.has(code)) {
        throw new InvalidInput('Validation failed', [{ field: 'carriers', errors: [`carrier ${c.carrier} is listed twice (${seen.get(code)} is the same carrier, ${code})`] }]);
      }
      seen.set(code, c.carrier);
    }
  },
});
