import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { systemCaller } from '../kernel/auth/roles.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import type { Shop } from '../shops/shop.entity.js';
import type { PlatformReview } from './platform-review.js';
import { type PlatformUpdateInput, reviewMachine } from './review.machine.js';
import { OPEN_REVIEW_STATUSES, ReviewSource } from './review-status.js';
import { ReviewsRepository } from './reviews.repository.js';
import { ReviewsService } from './reviews.service.js';

/** Where a platform fact came from, for the timeline (as order sync records it). */
export interface ReviewDeliveryRef {
  inboxId: string;
  topic: string;
  deliveryId: string;
}

export interface ReviewSyncResult {
  /**
   * `created`: a new review (open or no_action); `revised`: a better rating closed the recovery;
   * `updated`: the new rating/text recorded; `unchanged`: a newer version saying nothing new;
   * `stale`: an older or the same version (no effect).
   */
  outcome: 'created' | 'revised' | 'updated' | 'unchanged' | 'stale';
  reviewId: string;
  /** The order's uuid when known (the webhook inbox keeps it). */
  orderId: string | null;
  status: string;
}

/**
 * Applies what a platform reports about a review: one row per platform review of a shop, an
 * older version never overwrites a newer one, and a better rating than the original closes an
 * open recovery as `revised` (SPEC §9) — rating before and after kept.
 */
@Injectable()
export class ReviewSyncService {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly reviews: ReviewsService,
    private readonly engine: StateMachineEngine,
  ) {}

  async apply(manager: EntityManager, shop: Shop, r: PlatformReview, ref: ReviewDeliveryRef): Promise<ReviewSyncResult> {
    const caller = systemCaller(shop.merchantId, 'platform');
    const data = { webhookDelivery: ref.inboxId, topic: ref.topic, deliveryId: ref.deliveryId };
    await this.repo.lockPlatformReview(manager, shop.id, r.platformReviewId);
    const existing = await this.repo.findByPlatformId(manager, shop.id, r.platformReviewId);
    if (!existing) {
      const order = r.platformOrderId ? await this.repo.orderByPlatformId(manager, shop.id, r.platformOrderId) : null;
      const row = await this.reviews.open(
        manager,
        caller,
        {
          shop: { id: shop.id, merchant_id: shop.merchantId, platform: shop.platform, currency: shop.currency, platform_config: shop.platformConfig },
          orderId: order?.id ?? null,
          currency: order?.currency ?? shop.currency,
          platformOrderId: r.platformOrderId,
          platformReviewId: r.platformReviewId,
          source: ReviewSource.Platform,
          rating: r.rating,
          content: r.content,
          reviewedAt: r.reviewedAt,
          platformUpdatedAt: r.updatedAt,
          assigneeId: null,
          createdBy: null,
        },
        data,
      );
      return { outcome: 'created', reviewId: row.id, orderId: row.order_id, status: row.status };
    }

    const result = (outcome: ReviewSyncResult['outcome'], status: string = existing.status): ReviewSyncResult => ({ outcome, reviewId: existing.id, orderId: existing.order_id, status });
    const stored = existing.platform_updated_at ? existing.platform_updated_at.getTime() : Number.NEGATIVE_INFINITY;
    if (r.updatedAt.getTime() <= stored) return result('stale');
    if (r.rating === existing.rating && r.content === existing.content) {
      await manager.query('UPDATE reviews SET platform_updated_at = $2 WHERE id = $1', [existing.id, r.updatedAt]);
      return result('unchanged');
    }
    const input: PlatformUpdateInput = { rating: r.rating, content: r.content, platformUpdatedAt: r.updatedAt.toISOString() };
    if (OPEN_REVIEW_STATUSES.includes(existing.status) && r.rating > existing.rating_before) {
      const { to } = await this.engine.fire(reviewMachine, existing.id, 'revise', caller, { manager, input, data });
      return result('revised', to);
    }
    // Not better than the original, or the case is closed already: the platform's text is recorded as it is.
    await this.engine.fire(reviewMachine, existing.id, 'platform-update', caller, { manager, input, data, internal: true });
    return result('updated');
  }
}
