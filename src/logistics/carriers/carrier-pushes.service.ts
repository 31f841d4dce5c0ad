import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Caller } from '../../kernel/auth/roles.js';
import { DomainError } from '../../kernel/errors/domain-errors.js';
import { JobsService } from '../../kernel/jobs/jobs.service.js';
import { mapPage, type Page, paginate } from '../../kernel/pagination/pagination.js';
import { StateMachineEngine, type TransitionNotice } from '../../kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../../orders/order.machine.js';
import { OrderStatus } from '../../orders/order-status.js';
import { withSavepoint } from '../../kernel/db/savepoint.js';
import { TrackingSource } from '../shipment-event.entity.js';
import { type IncomingEvent, TrackingService, type TrackingResult, type TrackingUpdate } from '../tracking.service.js';
import { type CarrierPushResponseDto, type ListCarrierPushesQueryDto, toCarrierPushResponse } from './carrier-push.dto.js';
import { CarrierPush, CarrierPushProvider } from './carrier-push.entity.js';
import type { CarrierRegistry } from '../../carriers/carrier-registry.js';
import { loadCarrierRegistry } from '../../carriers/carrier-directory.js';

/** What a push adapter read from a verified push body. */
export interface DecodedPush {
  /** The carrier as the push names it (any spelling; resolved through the registry). */
  carrier: string;
  /** Kuaidi100 `autoCheck: "1"`: `comOld`, the carrier the parcel was registered under. */
  previousCarrier: string | null;
  trackingNo: string;
  events: IncomingEvent[];
  /** The carrier gave up tracking (Kuaidi100 `status: "abort"`, generic `tracking.abort`). */
  abort: { message: string } | null;
  /** What to keep of the push beside its effect (status, state, message; id, topic). */
  meta: Record<string, unknown>;
}

/** Reads a stored raw body again, the way the adapter read it when it arrived. */
export type PushDecoder = (raw: Buffer) => DecodedPush;

/** Applies the stored unmatched pushes of parcels registered since (by order, by merchant, or all). */
export const MATCH_PUSHES_JOB = 'logistics.match-carrier-pushes';
const MATCH_BATCH = 200;

const SOURCE: Record<CarrierPushProvider, TrackingSource> = {
  [CarrierPushProvider.Kuaidi100]: TrackingSource.Kuaidi100,
  [CarrierPushProvider.Generic]: TrackingSource.Generic,
};

export interface PendingFilter {
  shipmentIds?: string[];
  orderId?: string;
  merchantId?: string;
}

interface PendingRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  provider: CarrierPushProvider;
  raw_body: Buffer;
}

/**
 * The carrier push inbox (SPEC §6): every authentic push is kept with what it did; one that
 * matches no parcel stays listed and is applied — through the same decoding and tracking path —
 * when its parcel is registered: at once for a parcel registered by hand, by a job queued with the
 * order's `ship` / `platform-ship`, and by a sweep every 5 minutes for any other way a parcel
 * appears (a platform adding a number to a shipped order, a carrier alias added later).
 */
@Injectable()
export class CarrierPushesService implements OnModuleInit {
  private readonly logger = new Logger('CarrierPushes');
  private readonly decoders = new Map<CarrierPushProvider, PushDecoder>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(CarrierPush) private readonly repo: Repository<CarrierPush>,
    private readonly tracking: TrackingService,
    private readonly engine: StateMachineEngine,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.define<PendingFilter>(MATCH_PUSHES_JOB, async (f) => {
      const n = await this.matchAll({ orderId: f.orderId, merchantId: f.merchantId });
      if (n) this.logger.log(`applied ${n} stored carrier push(es) to parcels registered after them`);
    }, { retryLimit: 3 });
    this.jobs.every(MATCH_PUSHES_JOB, '*/5 * * * *');
    this.engine.onTransition((n) => this.onOrderShipped(n));
  }

  /** Adapters register how to read their stored bodies again. */
  registerDecoder(provider: CarrierPushProvider, decode: PushDecoder): void {
    this.decoders.set(provider, decode);
  }

  /** Applies a verified push and keeps it, matched or not, in one transaction. */
  async receive(shop: { id: string; merchantId: string }, provider: CarrierPushProvider, push: DecodedPush, raw: Buffer): Promise<TrackingResult> {
    return this.db.transaction(async (m) => {
      const registry = await loadCarrierRegistry(m, shop.merchantId);
      const update = toUpdate(registry, shop, provider, push);
      const result = await this.tracking.apply(update, m);
      await m.query(
        `INSERT INTO carrier_pushes (merchant_id, shop_id, provider, carrier, carrier_name, previous_carrier, tracking_no, shipment_id, matched_at, raw_body, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8::uuid IS NULL THEN NULL ELSE now() END, $9, $10)`,
        [
          shop.merchantId, shop.id, provider, update.carrier, push.carrier, update.previousCarrier ?? null, update.trackingNo, result.shipmentId, raw,
          JSON.stringify({ ...push.meta, ...result, unknownShipment: !result.shipmentId }),
        ],
      );
      return result;
    });
  }

  /**
   * Applies, oldest first, the unmatched pushes whose parcel now exists (in the caller's
   * transaction); returns how many reached their parcel. Pushes another transaction is applying
   * are skipped, not waited for.
   */
  async matchPending(m: EntityManager, f: PendingFilter, limit = MATCH_BATCH): Promise<number> {
    const rows: PendingRow[] = await m.query(
      `SELECT p.id, p.merchant_id, p.shop_id, p.provider, p.raw_body FROM carrier_pushes p
        WHERE p.shipment_id IS NULL AND ($1::uuid IS NULL OR p.merchant_id = $1)
          AND EXISTS (SELECT 1 FROM shipments s
                       WHERE s.merchant_id = p.merchant_id AND s.shop_id = p.shop_id AND s.tracking_no = p.tracking_no
                         AND lower(s.carrier) IN (p.carrier, p.previous_carrier)
                         AND ($2::uuid[] IS NULL OR s.id = ANY($2::uuid[])) AND ($3::uuid IS NULL OR s.order_id = $3))
        ORDER BY p.created_at, p.id
        LIMIT $4
        FOR UPDATE OF p SKIP LOCKED`,
      [f.merchantId ?? null, f.shipmentIds ?? null, f.orderId ?? null, limit],
    );
    const registries = new Map<string, CarrierRegistry>();
    let matched = 0;
    for (const row of rows) {
      const decode = this.decoders.get(row.provider);
      if (!decode) {
        this.logger.warn(`no decoder for ${row.provider} pushes; push ${row.id} stays unmatched`);
        continue;
      }
      let registry = registries.get(row.merchant_id);
      if (!registry) registries.set(row.merchant_id, (registry = await loadCarrierRegistry(m, row.merchant_id)));
      const result = await withSavepoint(
        m,
        'replay_push',
        async () => this.tracking.apply(toUpdate(registry, { id: row.shop_id, merchantId: row.merchant_id }, row.provider, decode(row.raw_body)), m),
        (err) => {
          if (err instanceof DomainError) this.logger.warn(`stored push ${row.id} could not be applied: ${err.message}`);
          return err instanceof DomainError;
        },
      );
      if (!result?.shipmentId) continue;
      await m.query(
        `UPDATE carrier_pushes SET shipment_id = $2, matched_at = now(), result = result || $3::jsonb WHERE id = $1`,
        [row.id, result.shipmentId, JSON.stringify({ ...result, unknownShipment: false, appliedLater: true })],
      );
      matched++;
    }
    return matched;
  }

  /** matchPending in batches of their own transactions, until none is left. */
  async matchAll(f: PendingFilter): Promise<number> {
    let total = 0;
    for (let round = 0; round < 50; round++) {
      const n = await this.db.transaction((m) => this.matchPending(m, f));
      total += n;
      if (n < MATCH_BATCH) break;
    }
    return total;
  }

  async list(caller: Caller, q: ListCarrierPushesQueryDto): Promise<Page<CarrierPushResponseDto>> {
    const qb = this.repo.createQueryBuilder('p').where('p.merchant_id = :m', { m: caller.merchantId });
    if (q.matched === true) qb.andWhere('p.shipment_id IS NOT NULL');
    if (q.matched === false) qb.andWhere('p.shipment_id IS NULL');
    if (q.shopId) qb.andWhere('p.shop_id = :shop', { shop: q.shopId });
    if (q.provider) qb.andWhere('p.provider = :provider', { provider: q.provider });
    if (q.trackingNo) qb.andWhere('p.tracking_no = :no', { no: q.trackingNo.trim() });
    if (q.carrier) {
      const code = (await loadCarrierRegistry(this.db.manager, caller.merchantId)).codeOf(q.carrier);
      qb.andWhere('(p.carrier = :carrier OR p.previous_carrier = :carrier)', { carrier: code });
    }
    return mapPage(await paginate(qb, 'p', q), toCarrierPushResponse);
  }

  /** Pushes may have arrived before the order shipped: queue their replay with the shipment. */
  private async onOrderShipped(n: TransitionNotice): Promise<void> {
    if (n.machine.name !== orderMachine.name || n.to !== OrderStatus.Shipped || n.from === OrderStatus.Shipped) return;
    const waiting: unknown[] = await n.manager.query(
      `SELECT 1 FROM shipments s
        WHERE s.order_id = $1
          AND EXISTS (SELECT 1 FROM carrier_pushes p WHERE p.shipment_id IS NULL AND p.merchant_id = s.merchant_id AND p.tracking_no = s.tracking_no)
        LIMIT 1`,
      [n.row.id],
    );
    if (waiting.length) await this.jobs.sendInTransaction(n.manager, MATCH_PUSHES_JOB, { orderId: n.row.id, merchantId: n.caller.merchantId });
  }
}

/** A decoded push as a tracking update: carrier names resolved through the merchant's registry. */
function toUpdate(registry: CarrierRegistry, shop: { id: string; merchantId: string }, provider: CarrierPushProvider, p: DecodedPush): TrackingUpdate {
  const carrier = registry.codeOf(p.carrier);
  const previous = p.previousCarrier ? registry.codeOf(p.previousCarrier) : null;
  return {
    merchantId: shop.merchantId,
    shopId: shop.id,
    carrier,
    previousCarrier: previous && previous !== carrier ? previous : null,
    trackingNo: p.trackingNo,
    events: p.events,
    source: SOURCE[provider],
    ...(p.abort ? { abort: p.abort } : {}),
  };
}
