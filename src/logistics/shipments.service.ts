import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { Conflict, NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import {
  CreateShipmentDto, ListShipmentsQueryDto, ShipmentDetailResponseDto, ShipmentResponseDto, toShipmentDetailResponse, toShipmentResponse,
} from './dto/shipment.dto.js';
import { ShipmentEvent } from './shipment-event.entity.js';
import { Shipment, ShipmentSource } from './shipment.entity.js';

/** Shipments registered by staff, and reads with their tracking events. */
@Injectable()
export class ShipmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Shipment) private readonly repo: Repository<Shipment>,
    @InjectRepository(ShipmentEvent) private readonly events: Repository<ShipmentEvent>,
  ) {}

  /** For parcels sent outside the order flow (SPEC §6). */
  async register(caller: Caller, dto: CreateShipmentDto): Promise<ShipmentDetailResponseDto> {
    const shops: unknown[] = await this.db.query('SELECT 1 FROM shops WHERE id = $1 AND merchant_id = $2', [dto.shopId, caller.merchantId]);
    if (!shops.length) throw new NotFound('shop', dto.shopId);
    if (dto.orderId) {
      const orders: unknown[] = await this.db.query('SELECT 1 FROM orders WHERE id = $1 AND merchant_id = $2 AND shop_id = $3', [dto.orderId, caller.merchantId, dto.shopId]);
      if (!orders.length) throw new NotFound('order', dto.orderId);
    }
    const rows: Array<{ id: string }> = await this.db.query(
      `INSERT INTO shipments (merchant_id, shop_id, order_id, carrier, tracking_no, origin_province, dest_province, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (merchant_id, lower(carrier), tracking_no) DO NOTHING RETURNING id`,
      [caller.merchantId, dto.shopId, dto.orderId ?? null, dto.carrier.trim(), dto.trackingNo.trim(), dto.originProvince.trim(), dto.destProvince.trim(), ShipmentSource.Manual],
    );
    if (!rows.length) throw new Conflict(`Tracking number ${dto.trackingNo} of ${dto.carrier} is already registered`);
    return this.get(caller, rows[0].id);
  }

  async list(caller: Caller, q: ListShipmentsQueryDto): Promise<Page<ShipmentResponseDto>> {
    const qb = this.repo.createQueryBuilder('s').where('s.merchant_id = :m', { m: caller.merchantId });
    if (q.shopId) qb.andWhere('s.shop_id = :shop', { shop: q.shopId });
    if (q.orderId) qb.andWhere('s.order_id = :order', { order: q.orderId });
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    if (q.trackingNo) qb.andWhere('s.tracking_no = :no', { no: q.trackingNo });
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
