import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

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

/** Who made an order's shipment: the warehouse's `ship`, or the platform reporting it shipped. */
export type OrderShipmentSource = 'order' | 'platform';

/** A parcel of an order as the order detail shows it. */
export interface OrderShipmentView {
  id: string;
  carrier: string;
  carrierName: string | null;
  trackingNo: string;
  originProvince: string | null;
  destProvince: string | null;
  status: string;
  source: string;
  lastEventAt: Date | null;
  createdAt: Date;
}

/**
 * What orders needs of shipments. Logistics is the one writer of `shipments` and sits above
 * orders, so orders never imports it: it provides this at start (`OrderShipmentsPort.provide`).
 */
export interface OrderShipments {
  /**
   * Files the shipments of an order in the caller's transaction (origin, canonical carrier code);
   * returns the tracking numbers that were already registered and so skipped.
   */
  addForOrder(manager: EntityManager, order: ShipmentOrderRef, shipments: ShipmentInput[], source: OrderShipmentSource): Promise<string[]>;
  /** An order's shipments, oldest first. */
  listForOrder(merchantId: string, orderId: string): Promise<OrderShipmentView[]>;
}

/** The orders module's socket for the shipment writer the logistics module plugs in. */
@Injectable()
export class OrderShipmentsPort implements OrderShipments {
  private impl: OrderShipments | null = null;

  provide(impl: OrderShipments): void {
    if (this.impl && this.impl !== impl) throw new Error('OrderShipmentsPort: a shipment writer is already provided');
    this.impl = impl;
  }

  addForOrder(manager: EntityManager, order: ShipmentOrderRef, shipments: ShipmentInput[], source: OrderShipmentSource): Promise<string[]> {
    return this.writer().addForOrder(manager, order, shipments, source);
  }

  listForOrder(merchantId: string, orderId: string): Promise<OrderShipmentView[]> {
    return this.writer().listForOrder(merchantId, orderId);
  }

  private writer(): OrderShipments {
    if (!this.impl) throw new Error('OrderShipmentsPort: no shipment writer provided (the logistics module provides it at start)');
    return this.impl;
  }
}
