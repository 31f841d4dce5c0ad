import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { type DeliveryRef, isPlainNewOrder, OrderSyncService, SyncResult } from '../orders/order-sync.service.js';
import type { PlatformOrder } from '../orders/platform-order.js';
import type { PlatformEvent } from './platforms/platform-event.js';
import { PlatformReturnsService, type PlatformReturnResult } from '../returns/platform-returns.service.js';
import { ReviewSyncService, type ReviewSyncResult } from '../reviews/review-sync.service.js';
import { Shop } from '../shops/shop.entity.js';
import { parseJsonLossless } from '../kernel/json/lossless-json.js';
import { adapterOf } from './platforms/index.js';
import { PayloadError } from './platforms/platform-adapter.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';

interface DeliveryRow {
  id: string;
  shop_id: string;
  platform: string;
  topic: string;
  delivery_id: string;
  raw_body: Buffer;
  status: DeliveryStatus;
  result: Record<string, unknown> | null;
}

/**
 * The durable half of inbound webhooks: maps a stored delivery and applies it. Idempotent (a
 * delivery may be claimed again after a lease runs out): the delivery row is locked and a
 * delivery already applied is skipped, unless an admin replays it.
 */
@Injectable()
export class WebhookProcessorService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sync: OrderSyncService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly platformReturns: PlatformReturnsService,
    private readonly reviews: ReviewSyncService,
  ) {}

  async process(deliveryId: string, opts: { replay?: boolean } = {}): Promise<void> {
    try {
      await this.db.transaction((manager) => this.processIn(manager, deliveryId, opts.replay ?? false));
    } catch (e) {
      // Transient (database, conflict with a concurrent staff action): keep the error and try again later.
      await this.recordFailure(deliveryId, e).catch((e2: unknown) => this.logger.warn(`delivery ${deliveryId}: could not record the failure: ${errorText(e2)}`));
      this.logger.warn(`delivery ${deliveryId} failed: ${errorText(e)}`);
      throw e;
    }
  }

  /**
   * Applies the plain new orders of a claimed batch in one transaction and few statements (SPEC
   * §13; OrderSyncService.createOrders), and answers the ids left for `process`, one by one, in
   * claim order. A delivery takes the batched path only when it is the first of the batch about its
   * platform order: later deliveries of that order (and any delivery whose order turned out to
   * exist) go one by one after the batch has committed, so each platform order is still applied one
   * delivery at a time, in order. When the batch fails, nothing of it is kept and every delivery
   * goes one by one (which records its own failure).
   */
  async processBatch(ids: string[]): Promise<string[]> {
    if (ids.length < 2) return ids;
    try {
      return await this.db.transaction((m) => this.batchIn(m, ids));
    } catch (e) {
      this.logger.warn(`batch of ${ids.length} deliveries failed, applying them one by one: ${errorText(e)}`);
      return ids;
    }
  }

  private async batchIn(manager: EntityManager, ids: string[]): Promise<string[]> {
    const rows: DeliveryRow[] = await manager.query(
      'SELECT id, shop_id, platform, topic, delivery_id, raw_body, status, result FROM webhook_deliveries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const shops = new Map((await manager.getRepository(Shop).findBy({ id: In([...new Set(rows.map((r) => r.shop_id))]) })).map((s) => [s.id, s]));
    const touched = new Set<string>();
    const fast: Array<{ d: DeliveryRow; shop: Shop; order: PlatformOrder; ref: DeliveryRef }> = [];
    for (const id of ids) {
      const d = byId.get(id);
      const shop = d && shops.get(d.shop_id);
      if (!d || !shop || d.status !== DeliveryStatus.Received) continue;
      let event: PlatformEvent | null;
      try {
        event = adapterOf(shop.platform).map(d.topic, parseJsonLossless(d.raw_body.toString('utf8')), { id: shop.id, currency: shop.currency });
      } catch {
        event = null; // `process` records why
      }
      const platformOrderId = event ? platformOrderOf(event) : null;
      const key = platformOrderId === null ? null : `${shop.id}:${platformOrderId}`;
      const first = key !== null && !touched.has(key);
      if (key !== null) touched.add(key);
      if (first && event?.kind === 'order' && isPlainNewOrder(event.order)) {
        fast.push({ d, shop, order: event.order, ref: { inboxId: d.id, topic: d.topic, deliveryId: d.delivery_id } });
      }
    }
    const results = await this.sync.createOrders(manager, fast);
    const done = fast.flatMap((f, k) => (results[k] ? [{ id: f.d.id, result: results[k], orderId: results[k].orderId }] : []));
    if (done.length) {
      await manager.query(
        `UPDATE webhook_deliveries d SET status = $4, result = v.result, order_id = COALESCE(v.order_id, d.order_id), attempts = d.attempts + 1,
                last_error = NULL, processed_at = now(), locked_until = NULL
           FROM unnest($1::uuid[], $2::jsonb[], $3::uuid[]) AS v(id, result, order_id) WHERE d.id = v.id`,
        [done.map((x) => x.id), done.map((x) => JSON.stringify(x.result)), done.map((x) => x.orderId), DeliveryStatus.Processed],
      );
    }
    const applied = new Set(done.map((x) => x.id));
    return ids.filter((id) => !applied.has(id));
  }

  /**
   * Releases the claim and schedules the next attempt with exponential backoff; after the last
   * attempt a waiting delivery is left failed, for an admin to look at and replay.
   */
  private async recordFailure(deliveryId: string, e: unknown): Promise<void> {
    const { retryBackoffMs, maxAttempts } = this.config.inbox;
    await this.db.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_error = $2, locked_until = NULL,
              available_at = now() + make_interval(secs => LEAST($3::double precision * 2 ^ LEAST(attempts, 20), 3600)),
              status = CASE WHEN status = $4 AND attempts + 1 >= $5 THEN $6 ELSE status END
        WHERE id = $1`,
      [deliveryId, errorText(e), retryBackoffMs / 1000, DeliveryStatus.Received, maxAttempts, DeliveryStatus.Failed],
    );
  }

  private async processIn(manager: EntityManager, deliveryId: string, replay: boolean): Promise<void> {
    const rows: DeliveryRow[] = await manager.query(
      'SELECT id, shop_id, platform, topic, delivery_id, raw_body, status, result FROM webhook_deliveries WHERE id = $1 FOR UPDATE',
      [deliveryId],
    );
    const d = rows[0];
    if (!d) return;
    if (!replay && d.status !== DeliveryStatus.Received && d.status !== DeliveryStatus.Failed) return; // applied already
    const shop = await manager.getRepository(Shop).findOneByOrFail({ id: d.shop_id });
    const adapter = adapterOf(shop.platform);

    let event: PlatformEvent;
    try {
      event = adapter.map(d.topic, parseJsonLossless(d.raw_body.toString('utf8')), { id: shop.id, currency: shop.currency });
    } catch (e) {
      if (!(e instanceof PayloadError || e instanceof SyntaxError)) throw e;
      // Permanent: retrying cannot help; kept as failed for an admin to look at and replay.
      await this.finish(manager, d, DeliveryStatus.Failed, { error: e.message }, null, replay, e.message);
      return;
    }

    const ref = { inboxId: d.id, topic: d.topic, deliveryId: d.delivery_id };
    let result: SyncResult | PlatformReturnResult | ReviewSyncResult | { reason: string };
    let status: DeliveryStatus;
    let error: string | null = null;
    if (event.kind === 'order') {
      result = await this.sync.applyOrder(manager, shop, event.order, ref);
      status = result.outcome === 'stale' ? DeliveryStatus.Ignored : DeliveryStatus.Processed;
    } else if (event.kind === 'refund') {
      result = await this.sync.applyRefund(manager, shop, event.refund, ref);
      status = result.outcome === 'refund_duplicate' ? DeliveryStatus.Ignored : DeliveryStatus.Processed;
    } else if (event.kind === 'return') {
      const r = await this.platformReturns.apply(manager, shop, event.request, ref);
      result = r;
      // A refused request changed nothing: kept failed, to replay once the order is here.
      status = r.outcome === 'return_duplicate' ? DeliveryStatus.Ignored : r.outcome === 'return_refused' ? DeliveryStatus.Failed : DeliveryStatus.Processed;
      error = r.reason ?? null;
    } else if (event.kind === 'review') {
      result = await this.reviews.apply(manager, shop, event.review, ref);
      status = result.outcome === 'stale' ? DeliveryStatus.Ignored : DeliveryStatus.Processed;
    } else {
      result = { reason: event.reason };
      status = DeliveryStatus.Unhandled;
    }
    const orderId = 'orderId' in result ? result.orderId : null;
    await this.finish(manager, d, status, { ...result }, orderId, replay, error);
  }

  private async finish(manager: EntityManager, d: DeliveryRow, status: DeliveryStatus, result: Record<string, unknown>, orderId: string | null, replay: boolean, error: string | null): Promise<void> {
    const { previous: _older, ...before } = d.result ?? {};
    const stored = replay ? { ...result, replayedAt: new Date().toISOString(), previous: { status: d.status, result: before } } : result;
    await manager.query(
      `UPDATE webhook_deliveries SET status = $2, result = $3, order_id = COALESCE($4, order_id), attempts = attempts + 1,
              replays = replays + $5, last_error = $6, processed_at = now(), locked_until = NULL
        WHERE id = $1`,
      [d.id, status, JSON.stringify(stored), orderId, replay ? 1 : 0, error],
    );
  }
}

/** The platform order a delivery is about, when it names one: deliveries of one order are applied in order. */
function platformOrderOf(e: PlatformEvent): string | null {
  if (e.kind === 'order') return e.order.platformOrderId;
  if (e.kind === 'refund') return e.refund.platformOrderId;
  if (e.kind === 'return') return e.request.platformOrderId;
  if (e.kind === 'review') return e.review.platformOrderId;
  return null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.slice(0, 1000) : String(e).slice(0, 1000);
}
