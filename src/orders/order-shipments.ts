import type { EntityManager } from 'typeorm';
import { loadCarrierRegistry } from '../logistics/carriers/carriers.service.js';
import { shipFromProvinceOf } from '../logistics/ship-from.js';
import { ShipmentSource } from '../logistics/shipment.entity.js';

export interface ShipmentInput {
  carrier: string;
  trackingNo: string;
}

export interface ShipmentOrderRef {
  merchantId: string;
  shopId: string;
  orderId: string;
  destProvince: string | null;
}

/**
 * Creates the shipments of an order. Origin: the shop's ship-from province (else the merchant's
 * `shipFromProvince` setting), so the same-province stale rule applies [002]. The carrier, named
 * however the warehouse or platform wrote it, is filed under its canonical code (SPEC §6) with
 * the name kept beside it. A tracking number already registered is skipped; returns the tracking
 * numbers that were skipped.
 */
export async function insertOrderShipments(manager: EntityManager, order: ShipmentOrderRef, shipments: ShipmentInput[], source: ShipmentSource): Promise<string[]> {
  if (!shipments.length) return [];
  const origin = await shipFromProvinceOf(manager, order.merchantId, order.shopId);
  const registry = await loadCarrierRegistry(manager, order.merchantId);
  const skipped: string[] = [];
  for (const s of shipments) {
    const rows: unknown[] = await manager.query(
      `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, carrier_name, tracking_no, origin_province, dest_province, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
      [order.merchantId, order.shopId, order.orderId, registry.codeOf(s.carrier), s.carrier.trim(), s.trackingNo.trim(), origin, order.destProvince, source],
    );
    if (!rows.length) skipped.push(s.trackingNo);
  }
  return skipped;
}
