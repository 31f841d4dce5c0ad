import type { EntityManager } from 'typeorm';
import type { SettingsService } from '../kernel/settings/settings.service.js';
import { orderSettings } from '../orders/order-settings.js';

/**
 * Where a shop's parcels leave from (SPEC §6 origin): the shop's ship-from province, else the
 * merchant's older `shipFromProvince` order setting, else unknown.
 */
export async function shipFromProvinceOf(settings: SettingsService, m: EntityManager, merchantId: string, shopId: string): Promise<string | null> {
  const rows: Array<{ ship_from_province: string | null }> = await m.query('SELECT ship_from_province FROM shops WHERE id = $1 AND merchant_id = $2', [shopId, merchantId]);
  return rows[0]?.ship_from_province ?? (await settings.get(merchantId, orderSettings, m)).shipFromProvince;
}
