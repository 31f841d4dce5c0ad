import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { Conflict, InvalidInput, NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import {
  type OrderShipments, type OrderShipmentSource, OrderShipmentsPort, type OrderShipmentView, type ShipmentInput, type ShipmentOrderRef,
} from '../orders/order-shipments.port.js';
import {
  CreateShipmentDto, ListShipmentsQueryDto, ShipmentDetailResponseDto, ShipmentResponseDto, toShipmentDetailResponse, toShipmentResponse,
} from './dto/shipment.dto.js';
import { CarrierPushesService } from './carriers/carrier-pushes.service.js';
import { loadCarrierRegistry } from '../carriers/carrier-directory.js';
import { shipFromProvinceOf } from './ship-from.js';
import { ShipmentEvent } from './shipment-event.entity.js';
import { Shipment, ShipmentSource } from './shipment.entity.js';

/**
 * The one writer of `shipments` (issue 10 item 7): parcels of orders (the orders module reaches
 * this through its OrderShipmentsPort), parcels registered by staff; reads with their events.
 */
@Injectable()
export class ShipmentsService implements OrderShipments, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Shipment) private readonly repo: Repository<Shipment>,
    @InjectRepository(ShipmentEvent) private readonly events: Repository<ShipmentEvent>,
    private readonly pushes: CarrierPushesService,
    private readonly settings: SettingsService,
    private readonly orderPort: OrderShipmentsPort,
  ) {}

  onModuleInit(): void {
    this.orderPort.provide(this);
  }

  /**
   * Creates the shipments of an order. Origin: the shop's ship-from province (else the merchant's
   * `shipFromProvince` setting), so the same-province stale rule applies [002]. The carrier, named
   * however the warehouse or platform wrote it, is filed under its canonical code (SPEC §6) with
   * the name kept beside it. A tracking number already registered is skipped; returns the tracking
   * numbers that were skipped.
   */
  async addForOrder(manager: EntityManager, order: ShipmentOrderRef, shipments: ShipmentInput[], source: OrderShipmentSource): Promise<string[]> {
    if (!shipments.length) return [];
    const origin = await shipFromProvinceOf(this.settings, manager, order.merchantId, order.shopId);
    const registry = await loadCarrierRegistry(manager, order.merchantId);
    const skipped: string[] = [];
    for (const s of shipments) {
      const rows: unknown[] = await manager.query(
        `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, carrier_name, tracking_no, origin_province, dest_province, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
        [order.merchantId, order.shopId, order.orderId, registry.codeOf(s.carrier), s.carrier.trim(), s.trackingNo.trim(), origin, order.destProvince, source === 'order' ? ShipmentSource.Order : ShipmentSource.Platform],
      );
      if (!rows.length) skipped.push(s.trackingNo);
    }
    return skipped;
  }

  /**
   * A parcel a case sends (an exchange's replacement [002 换货]): filed like any other under the
   * carrier's canonical code, from the shop's origin to the order's address. Null when that
   * tracking number is registered already.
   */
  async addForCase(manager: EntityManager, s: { merchantId: string; shopId: string; orderId: string; carrier: string; trackingNo: string }): Promise<string | null> {
    const origin = await shipFromProvinceOf(this.settings, manager, s.merchantId, s.shopId);
    const registry = await loadCarrierRegistry(manager, s.merchantId);
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, carrier_name, tracking_no, origin_province, dest_province, source)
       SELECT $1, $2, $3, $4, $5, $6, $7, o.ship_province, $8 FROM orders o WHERE o.id = $3 AND o.merchant_id = $1
       ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
      [s.merchantId, s.shopId, s.orderId, registry.codeOf(s.carrier), s.carrier.trim(), s.trackingNo.trim(), origin, ShipmentSource.Manual],
    );
    if (rows.length) await this.pushes.matchPending(manager, { shipmentIds: [rows[0].id] });
    return rows[0]?.id ?? null;
  }

  listForOrder(merchantId: string, orderId: string): Promise<OrderShipmentView[]> {
    return this.repo.find({ where: { merchantId, orderId }, order: { createdAt: 'ASC' } });
  }

  /**
   * For parcels sent outside the order flow (SPEC §6). The carrier may be given by any of its
   * names; the parcel is filed under the canonical code, and pushes that arrived for it before
   * are applied now, in the order they came.
   */
  async register(caller: Caller, dto: CreateShipmentDto): Promise<ShipmentDetailResponseDto> {
    const id = await this.db.transaction(async (m) => {
      const shops: unknown[] = await m.query('SELECT 1 FROM shops WHERE id = $1 AND merchant_id = $2', [dto.shopId, caller.merchantId]);
      if (!shops.length) throw new NotFound('shop', dto.shopId);
      if (dto.orderId) {
        const orders: unknown[] = await m.query('SELECT 1 FROM orders WHERE id = $1 AND merchant_id = $2 AND shop_id = $3', [dto.orderId, caller.merchantId, dto.shopId]);
        if (!orders.length) throw new NotFound('order', dto.orderId);
      }
      const carrier = (await loadCarrierRegistry(m, caller.merchantId)).resolve(dto.carrier);
      if (!carrier) throw new InvalidInput('Validation failed', [{ field: 'carrier', errors: ['carrier must contain a letter or digit'] }]);
      const origin = dto.originProvince?.trim() || (await shipFromProvinceOf(this.settings, m, caller.merchantId, dto.shopId));
      if (!origin) {
        throw new InvalidInput('Validation failed', [{ field: 'originProvince', errors: ['originProvince is required: the shop has no ship-from address (PATCH /api/v1/shops/{id} {shipFrom})'] }]);
      }
      const rows: Array<{ id: string }> = await m.query(
        `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, carrier_name, tracking_no, origin_province, dest_province, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
        [caller.merchantId, dto.shopId, dto.orderId ?? null, carrier.code, dto.carrier.trim(), dto.trackingNo.trim(), origin, dto.destProvince.trim(), ShipmentSource.Manual],
      );
      if (!rows.length) throw new Conflict(`Tracking number ${dto.trackingNo} of ${carrier.code} is already registered`);
      await this.pushes.matchPending(m, { shipmentIds: [rows[0].id] });
      return rows[0].id;
    });
    return this.get(caller, id);
  }

  async list(caller: Caller, q: ListShipmentsQueryDto): Promise<Page<ShipmentResponseDto>> {
    const qb = this.repo.createQueryBuilder('s').where('s.merchant_id = :m', { m: caller.merchantId });
    if (q.shopId) qb.andWhere('s.shop_id = :shop', { shop: q.shopId });
    if (q.orderId) qb.andWhere('s.order_id = :order', { order: q.orderId });
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    if (q.trackingNo) qb.andWhere('s.tracking_no = :no', { no: q.trackingNo });
    if (q.carrier) qb.andWhere('lower(s.carrier) = :carrier', { carrier: (await loadCarrierRegistry(this.db.manager, caller.merchantId)).codeOf(q.carrier) });
    if (q.from) qb.andWhere('s.created_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('s.created_at < :to', { to: new Date(q.to) });
    return mapPage(await paginate(qb, 's', q), toShipmentResponse);
  }

  async get(caller: Caller, id: string): Promise<ShipmentDetailResponseDto> {
    const s = isUuid(id) ? await this.repo.findOne({ where: { id, merchantId: caller.merchantId } }) : null;
    if (!s) throw new NotFound('shipment', id);
    const events = await this.events.find({ where: { shipmentId: s.id }, order: { occurredAt: 'DESC', id: 'DESC' }, take: 500 });
    return toShipmentDetailResponse(s, events);
  }
}
