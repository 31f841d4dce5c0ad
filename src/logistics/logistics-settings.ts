import type { EntityManager } from 'typeorm';

/** [002 物流异常] 同省若隔天未更新 → 24 h; 跨省若3天或3天以上未更新 → 72 h. Per merchant in merchants.settings.logistics. */
export interface LogisticsSettings {
  staleSameProvinceHours: number;
  staleCrossProvinceHours: number;
}

export const DEFAULT_LOGISTICS_SETTINGS: LogisticsSettings = { staleSameProvinceHours: 24, staleCrossProvinceHours: 72 };

const hours = (v: unknown, def: number) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : def);

export function readLogisticsSettings(settings: Record<string, unknown> | null | undefined): LogisticsSettings {
  const l = ((settings ?? {}).logistics ?? {}) as Partial<LogisticsSettings>;
  return {
    staleSameProvinceHours: hours(l.staleSameProvinceHours, DEFAULT_LOGISTICS_SETTINGS.staleSameProvinceHours),
    staleCrossProvinceHours: hours(l.staleCrossProvinceHours, DEFAULT_LOGISTICS_SETTINGS.staleCrossProvinceHours),
  };
}

export async function loadLogisticsSettings(manager: EntityManager, merchantId: string): Promise<LogisticsSettings> {
  const rows: Array<{ settings: Record<string, unknown> }> = await manager.query('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
  return readLogisticsSettings(rows[0]?.settings);
}
