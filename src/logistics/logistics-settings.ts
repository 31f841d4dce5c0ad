import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from '../kernel/errors/validation.js';
import { defineSettings } from '../kernel/settings/settings-section.js';

/** [002 物流异常] 同省若隔天未更新 → 24 h; 跨省若3天或3天以上未更新 → 72 h (section `logistics`). */
export interface LogisticsSettings {
  staleSameProvinceHours: number;
  staleCrossProvinceHours: number;
}

export const DEFAULT_LOGISTICS_SETTINGS: LogisticsSettings = { staleSameProvinceHours: 24, staleCrossProvinceHours: 72 };

export class LogisticsSettingsDto {
  @ApiPropertyOptional({ description: 'Same province: stale after this many hours without an event [002: 隔天]', default: 24, minimum: 1, maximum: 720 })
  @Omittable() @IsInt() @Min(1) @Max(720) staleSameProvinceHours?: number;
  @ApiPropertyOptional({ description: 'Different provinces: stale after this many hours [002: 3天]', default: 72, minimum: 1, maximum: 720 })
  @Omittable() @IsInt() @Min(1) @Max(720) staleCrossProvinceHours?: number;
}

/**
 * The stale scan reads these per merchant in its own set-based SQL (stale-scan.service.ts); keep
 * its pattern in step with the DTO's bounds.
 */
export const logisticsSettings = defineSettings<LogisticsSettings>({
  name: 'logistics',
  description: 'Stale-parcel thresholds: hours without a tracking event, same province and across provinces [002 物流异常]',
  defaults: DEFAULT_LOGISTICS_SETTINGS,
  dto: LogisticsSettingsDto,
});
