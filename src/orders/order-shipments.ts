import type { EntityManager } from 'typeorm';
import { ShipmentSource } from '../logistics/shipment.entity.js';
import { loadOrderSettings } from '../settings/order-settings.js';

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
 * Creates the shipments of an order (origin: the merchant's ship-from province). A tracking number
 * already registered is skipped; returns the tracking numbers that were skipped.
 */
export async function insertOrderShipments(manager: EntityManager, order: ShipmentOrderRef, shipments: ShipmentInput[], source: ShipmentSource): Promise<string[]> {
  if (!shipments.length) return [];
  const settings = await loadOrderSettings(manager, order.merchantId);
  const skipped: string[] = [];
  for (const s of shipments) {
    const rows: unknown[] = await manager.query(
      `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, tracking_no, origin_province, dest_province, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
      [order.merchantId, order.shopId, order.orderId, s.carrier, s.trackingNo, settings.shipFromProvince, order.destProvince, source],
    );
    if (!rows.length) skipped.push(s.trackingNo);
  }
  return skipped;
}
