import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { CarrierPushProvider } from '../../logistics/carriers/carrier-push.entity.js';
import { CarrierPushesService, type DecodedPush } from '../../logistics/carriers/carrier-pushes.service.js';
import type { TrackingResult } from '../../logistics/tracking.service.js';
import type { Shop } from '../../shops/shop.entity.js';
import { ShopsService } from '../../shops/shops.service.js';
import { parseGenericCarrierBody, verifyGenericCarrierSignature } from './generic-carrier.js';
import { kuaidi100ParamOf, parseKuaidi100Param, verifyKuaidi100Sign } from './kuaidi100.js';

/** What a generic push answers. */
export interface PushReceipt {
  received: true;
  /** Whether the tracking number matched a registered shipment of the shop. */
  matched: boolean;
  /** Events stored for the first time (0 for a duplicate push). */
  inserted: number;
  status: string | null;
}

export class PushReceiptDto implements PushReceipt {
  @ApiProperty({ enum: [true] }) received: true;
  @ApiProperty({ description: 'Whether the tracking number matched a registered shipment of the shop' }) matched: boolean;
  @ApiProperty({ description: 'Events stored for the first time (0 for a duplicate push)' }) inserted: number;
  @ApiProperty({ type: String, nullable: true, description: 'The shipment\'s status after the push' }) status: string | null;
}

export function toPushReceipt(r: TrackingResult): PushReceipt {
  return { received: true, matched: !!r.shipmentId, inserted: r.inserted, status: r.status };
}

/** A Kuaidi100 `param` as a push: `abort` means the carrier gave up tracking (e.g. 3天查询无记录), unless it announces a carrier correction. */
export function decodeKuaidi100(param: string): DecodedPush {
  const p = parseKuaidi100Param(param);
  return {
    carrier: p.carrier,
    previousCarrier: p.previousCarrier,
    trackingNo: p.trackingNo,
    events: p.events,
    abort: p.status === 'abort' && !p.resubscribed ? { message: p.message || 'carrier stopped tracking' } : null,
    meta: { status: p.status, state: p.state, message: p.message, ...(p.previousCarrier ? { comOld: p.previousCarrier, comNew: p.carrier, resubscribed: p.resubscribed } : {}) },
  };
}

export function decodeGenericCarrier(raw: Buffer): DecodedPush {
  const p = parseGenericCarrierBody(raw);
  return {
    carrier: p.carrier,
    previousCarrier: null,
    trackingNo: p.trackingNo,
    events: p.events,
    abort: p.topic === 'tracking.abort' ? { message: p.message ?? 'carrier stopped tracking' } : null,
    meta: { id: p.id, topic: p.topic },
  };
}

/** The push adapters: verify first (nothing is stored for a bad signature), then hand the push to the inbox. */
@Injectable()
export class CarrierWebhooksService implements OnModuleInit {
  constructor(
    private readonly shops: ShopsService,
    private readonly pushes: CarrierPushesService,
  ) {}

  onModuleInit(): void {
    // Stored pushes are read again the same way when their parcel is registered later.
    this.pushes.registerDecoder(CarrierPushProvider.Kuaidi100, (raw) => decodeKuaidi100(kuaidi100ParamOf(raw)));
    this.pushes.registerDecoder(CarrierPushProvider.Generic, decodeGenericCarrier);
  }

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
    return this.pushes.receive(shop, CarrierPushProvider.Kuaidi100, decodeKuaidi100(param), raw ?? Buffer.from(param, 'utf8'));
  }

  /** Our generic signed JSON push. */
  async generic(shopId: string, raw: Buffer | undefined, signature: string | undefined): Promise<TrackingResult> {
    const shop = await this.shopWithSalt(shopId);
    if (!raw) throw new InvalidInput('Body must be JSON');
    verifyGenericCarrierSignature(raw, signature, shop.trackingSalt!, new Date());
    return this.pushes.receive(shop, CarrierPushProvider.Generic, decodeGenericCarrier(raw), raw);
  }

  /** A shop that can verify pushes; an unknown shop or one without a salt cannot, so 401 (never 404: nothing leaks). */
  private async shopWithSalt(shopId: string): Promise<Shop> {
    const shop = await this.shops.findById(shopId);
    if (!shop || !shop.trackingSalt) throw new Unauthenticated('Unknown shop or no tracking salt configured for it');
    return shop;
  }
}
