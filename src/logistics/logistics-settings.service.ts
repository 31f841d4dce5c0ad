import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import type { LogisticsSettingsDto, LogisticsSettingsResponseDto } from './dto/logistics-exception.dto.js';
import { loadLogisticsSettings } from './logistics-settings.js';

/** The merchant's stale thresholds, in merchants.settings.logistics. */
@Injectable()
export class LogisticsSettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get(caller: Caller): Promise<LogisticsSettingsResponseDto> {
    return loadLogisticsSettings(this.db.manager, caller.merchantId);
  }

  async update(caller: Caller, dto: LogisticsSettingsDto): Promise<LogisticsSettingsResponseDto> {
    const patch: Record<string, number> = {};
    if (dto.staleSameProvinceHours !== undefined) patch.staleSameProvinceHours = dto.staleSameProvinceHours;
    if (dto.staleCrossProvinceHours !== undefined) patch.staleCrossProvinceHours = dto.staleCrossProvinceHours;
    await this.db.query(
      `UPDATE merchants SET settings = jsonb_set(settings, '{logistics}', COALESCE(settings->'logistics', '{}'::jsonb) || $2::jsonb), updated_at = now() WHERE id = $1`,
      [caller.merchantId, JSON.stringify(patch)],
    );
    return this.get(caller);
  }
}
