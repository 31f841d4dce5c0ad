import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { InvalidInput } from '../kernel/errors/domain-errors.js';
import {
  CarrierCoverageResponseDto, OrderSettingsResponseDto, PutCarrierCoverageDto, PutOrderSettingsDto, toOrderSettingsResponse,
} from './dto.js';
import { loadCarrierRegistry } from '../logistics/carriers/carriers.service.js';
import { loadOrderSettings } from './order-settings.js';

/** Merchant-wide procedure settings, kept in merchants.settings (jsonb). */
@Injectable()
export class SettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async getCarrierCoverage(caller: Caller): Promise<CarrierCoverageResponseDto> {
    return { carriers: (await loadOrderSettings(this.db.manager, caller.merchantId)).carrierCoverage };
  }

  async putCarrierCoverage(caller: Caller, dto: PutCarrierCoverageDto): Promise<CarrierCoverageResponseDto> {
    // Two names of one carrier ("SF", "顺丰速运") are one entry (SPEC §6 carrier registry).
    const registry = await loadCarrierRegistry(this.db.manager, caller.merchantId);
    const seen = new Map<string, string>();
    for (const c of dto.carriers) {
      const code = registry.codeOf(c.carrier);
      if (seen.has(code)) {
        throw new InvalidInput('Validation failed', [{ field: 'carriers', errors: [`carrier ${c.carrier} is listed twice (${seen.get(code)} is the same carrier, ${code})`] }]);
      }
      seen.set(code, c.carrier);
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
