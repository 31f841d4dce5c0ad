import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { TrackingSource } from '../../logistics/shipment-event.entity.js';
import { TrackingService, type TrackingResult, type TrackingUpdate } from '../../logistics/tracking.service.js';
import type { Shop } from '../../shops/shop.entity.js';
import { ShopsService } from '../../shops/shops.service.js';
import { parseGenericCarrierBody, verifyGenericCarrierSignature } from './generic-carrier.js';
import { parseKuaidi100Param, verifyKuaidi100Sign } from './kuaidi100.js';

/** What a generic push answers. */
export interface PushReceipt {
  received: true;
  /** Whether the tracking number matched a registered shipment of the shop. */
  matched: boolean;
  /** Events stored for the first time (0 for a duplicate push). */
  inserted: number;
  status: string | null;
}

export function toPushReceipt(r: TrackingResult): PushReceipt {
  return { received: true, matched: !!r.shipmentId, inserted: r.inserted, status: r.status };
}

/** The push adapters: verify first (nothing is stored for a bad signature), then apply and keep the push. */
@Injectable()
export class CarrierWebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shops: ShopsService,
    private readonly tracking: TrackingService,
  ) {}

  /**
   * Kuaidi100 subscription callback: form fields `param` (JSON) and `sign`, read from the raw bytes
   * whatever Content-Type the push declares (SPEC §4).
   */
  async kuaidi100(shopId: string, raw: Buffer | undefined): Promise<TrackingResult> {
    const shop = await this.shopWithSalt(shopId);
    const form = new URLSearchParams(raw?.toString('utf8') ?? '');
    const param = form.get('param');
    const sign = form.get('sign');
    if (param === null || sign === null) throw new Unauthenticated('Form fields param and sign are required');
    if (!verifyKuaidi100Sign(param, sign, shop.trackingSalt!)) throw new Unauthenticated('Bad sign');
    const push = parseKuaidi100Param(param);
    const update: TrackingUpdate = {
      merchantId: shop.merchantId,
      shopId: shop.id,
      carrier: push.carrier,
      trackingNo: push.trackingNo,
      events: push.events,
      source: TrackingSource.Kuaidi100,
      ...(push.status === 'abort' ? { abort: { message: push.message || 'carrier stopped tracking' } } : {}),
    };
    return this.applyAndKeep(shop, 'kuaidi100', update, raw ?? Buffer.from(param, 'utf8'), { status: push.status, state: push.state, message: push.message });
  }

  /** Our generic signed JSON push. */
  async generic(shopId: string, raw: Buffer | undefined, signature: string | undefined): Promise<TrackingResult> {
    const shop = await this.shopWithSalt(shopId);
    if (!raw) throw new InvalidInput('Body must be JSON');
    verifyGenericCarrierSignature(raw, signature, shop.trackingSalt!, new Date());
    const push = parseGenericCarrierBody(raw);
    const update: TrackingUpdate = {
      merchantId: shop.merchantId,
      shopId: shop.id,
      carrier: push.carrier,
      trackingNo: push.trackingNo,
      events: push.events,
      source: TrackingSource.Generic,
      ...(push.topic === 'tracking.abort' ? { abort: { message: push.message ?? 'carrier stopped tracking' } } : {}),
    };
    return this.applyAndKeep(shop, 'generic', update, raw, { id: push.id, topic: push.topic });
  }

  private async applyAndKeep(shop: Shop, provider: string, update: TrackingUpdate, raw: Buffer, meta: Record<string, unknown>): Promise<TrackingResult> {
    return this.db.transaction(async (m: EntityManager) => {
      const result = await this.tracking.apply(update, m);
      await m.query(
        `INSERT INTO carrier_pushes (merchant_id, shop_id, provider, carrier, tracking_no, shipment_id, raw_body, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [shop.merchantId, shop.id, provider, update.carrier, update.trackingNo, result.shipmentId, raw, JSON.stringify({ ...meta, ...result, unknownShipment: !result.shipmentId })],
      );
      return result;
    });
  }

  /** A shop that can verify pushes; an unknown shop or one without a salt cannot, so 401 (never 404: nothing leaks). */
  private async shopWithSalt(shopId: string): Promise<Shop> {
    const shop = await this.shops.findById(shopId);
    if (!shop || !shop.trackingSalt) throw new Unauthenticated('Unknown shop or no tracking salt configured for it');
    return shop;
  }
}
