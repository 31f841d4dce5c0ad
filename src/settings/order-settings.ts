import type { EntityManager } from 'typeorm';

/** One carrier and the provinces it serves [002 审单: 快递是否到达]. */
export interface CarrierCoverage {
  carrier: string;
  provinces: string[];
}

/** The merchant's order-procedure settings, stored in merchants.settings. */
export interface OrderSettings {
  carrierCoverage: CarrierCoverage[];
  /** Days after delivery before an order completes on its own (SPEC §5: 15). */
  completeAfterDays: number;
  /** Province the warehouse ships from: origin of new shipments of shops without a ship-from address (the shop's wins). */
  shipFromProvince: string | null;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  carrierCoverage: [],
  completeAfterDays: 15,
  shipFromProvince: null,
};

export function readOrderSettings(settings: Record<string, unknown> | null | undefined): OrderSettings {
  const s = settings ?? {};
  const orders = (s.orders ?? {}) as Partial<OrderSettings>;
  const coverage = Array.isArray(s.carrierCoverage) ? (s.carrierCoverage as CarrierCoverage[]) : [];
  return {
    carrierCoverage: coverage,
    completeAfterDays: Number.isInteger(orders.completeAfterDays) ? orders.completeAfterDays! : DEFAULT_ORDER_SETTINGS.completeAfterDays,
    shipFromProvince: typeof orders.shipFromProvince === 'string' ? orders.shipFromProvince : null,
  };
}

/** Reads a merchant's order settings inside any transaction (guards use this). */
export async function loadOrderSettings(manager: EntityManager, merchantId: string): Promise<OrderSettings> {
  const rows: Array<{ settings: Record<string, unknown> }> = await manager.query('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
  return readOrderSettings(rows[0]?.settings);
}
