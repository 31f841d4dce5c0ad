import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { InvalidInput } from '../kernel/errors/domain-errors.js';
import {
  CarrierCoverageResponseDto, OrderSettingsResponseDto, PutCarrierCoverageDto, PutOrderSettingsDto, toOrderSettingsResponse,
} from './dto.js';
import { carrierKey, loadOrderSettings } from './order-settings.js';

/** Merchant-wide procedure settings, kept in merchants.settings (jsonb). */
@Injectable()
export class SettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async getCarrierCoverage(caller: Caller): Promise<CarrierCoverageResponseDto> {
    return { carriers: (await loadOrderSettings(this.db.manager, caller.merchantId)).carrierCoverage };
  }

  async putCarrierCoverage(caller: Caller, dto: PutCarrierCoverageDto): Promise<CarrierCoverageResponseDto> {
    const seen = new Set<string>();
    for (const c of dto.carriers) {
      if (seen.has(carrierKey(c.carrier))) {
        throw new InvalidInput('Validation failed', [{ field: 'carriers', errors: [`carrier ${c.carrier} is listed twice`] }]);
      }
      seen.add(carrierKey(c.carrier));
    }
    const carriers = dto.carriers.map((c) => ({ carrier: c.carrier.trim(), provinces: [...new Set(c.provinces.map((p) => p.trim()))] }));
    await this.db.query(`UPDATE merchants SET settings = jsonb_set(settings, '{carrierCoverage}', $2::jsonb), updated_at = now() WHERE id = $1`, [
      caller.merchantId,
      JSON.stringify(carriers),
    ]);
    return { carriers };
  }

  async getOrderSettings(caller: Caller): Promise<OrderSettingsResponseDto> {
    return toOrderSettingsResponse(await loadOrderSettings(this.db.manager, caller.merchantId));
  }

  async putOrderSettings(caller: Caller, dto: PutOrderSettingsDto): Promise<OrderSettingsResponseDto> {
    const patch: Record<string, unknown> = {};
    if (dto.completeAfterDays !== undefined) patch.completeAfterDays = dto.completeAfterDays;
    if (dto.shipFromProvince !== undefined) patch.shipFromProvince = dto.shipFromProvince.trim();
    await this.db.query(
      `UPDATE merchants SET settings = jsonb_set(settings, '{orders}', COALESCE(settings->'orders', '{}'::jsonb) || $2::jsonb), updated_at = now() WHERE id = $1`,
      [caller.merchantId, JSON.stringify(patch)],
    );
    return this.getOrderSettings(caller);
  }
}
