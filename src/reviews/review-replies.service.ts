import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { systemCaller } from '../kernel/auth/roles.js';
import { SafeHttp } from '../kernel/http/safe-http.js';
import { OutboxService } from '../kernel/outbox/outbox.service.js';
import type { CaseRow, TransitionContext } from '../kernel/state-machine/machine.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { ShopPlatform } from '../shops/shop.entity.js';
import { classifyHttpError, PlatformRejected } from '../refunds/platforms/refund-client.js';
import { signGeneric } from '../refunds/platforms/webhook-refund.client.js';
import type { ReplyReviewDto } from './dto/review-actions.dto.js';
import { reviewMachine } from './review.machine.js';
import { ReplyDelivery, ReplyStatus } from './review-status.js';
import { ReviewsRepository, type ReplyToSend } from './reviews.repository.js';

/** Outbox kind of a public reply sent to the platform. */
export const REVIEW_REPLY_SEND = 'review.reply';

export interface ReplyRoute {
  delivery: ReplyDelivery;
  /** Why staff paste it by hand, and how to change that. */
  manualReason: string | null;
}

/**
 * How a public reply reaches the platform of a shop. Only the generic platform takes replies
 * by API here (a signed POST to the shop's `replyWebhookUrl`); Shopify has no review API at
 * all, and WooCommerce reviews are answered in WordPress — there the reply is kept for staff to paste.
 */
export function replyRoute(shop: { id: string; platform: string; platform_config: Record<string, unknown> | null }, platformReviewId: string | null): ReplyRoute {
  const manual = (manualReason: string): ReplyRoute => ({ delivery: ReplyDelivery.Manual, manualReason });
  if (shop.platform === ShopPlatform.Shopify) return manual('Shopify has no API for replying to reviews: paste this reply under the review in the review app or on the storefront');
  if (shop.platform !== ShopPlatform.Generic) return manual(`${shop.platform} reviews are answered in the shop's own admin: paste this reply there`);
  const url = shop.platform_config?.replyWebhookUrl;
  if (typeof url !== 'string' || !url) {
    return manual(`no reply endpoint is configured for this shop (PUT /api/v1/refund-channels/${shop.id} {replyWebhookUrl}): paste this reply on the platform`);
  }
  if (!platformReviewId) return manual('the review has no platform review id, so the platform cannot be told which review: paste this reply on the platform');
  return { delivery: ReplyDelivery.Platform, manualReason: null };
}

/**
 * Public replies [002 负面评价回复及解释]: the `reply` action's effect records each reply and, where
 * the platform takes replies, queues it in the outbox in the same transaction; the outbox handler
 * sends it once (a reply settled already is never sent again).
 */
@Injectable()
export class ReviewRepliesService implements OnModuleInit {
  private readonly logger = new Logger('ReviewReplies');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ReviewsRepository,
    private readonly outbox: OutboxService,
    private readonly http: SafeHttp,
    private readonly engine: StateMachineEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerHandler<{ replyId: string }>(REVIEW_REPLY_SEND, async (msg) => this.send(msg.payload.replyId, msg.attempt));
  }

  /** The `reply` effect, in the transition's transaction. */
  async record(ctx: TransitionContext, row: CaseRow): Promise<void> {
    const shop = await this.repo.shopOf(ctx.manager, row.merchant_id, String(row.shop_id));
    if (!shop) throw new Error(`shop ${String(row.shop_id)} of review ${row.id} is missing`);
    const route = replyRoute(shop, (row.platform_review_id as string | null) ?? null);
    const reply = await this.repo.insertReply(ctx.manager, {
      merchantId: row.merchant_id,
      reviewId: row.id,
      text: (ctx.input as ReplyReviewDto).text,
      delivery: route.delivery,
      status: route.delivery === ReplyDelivery.Platform ? ReplyStatus.Queued : ReplyStatus.Manual,
      manualReason: route.manualReason,
      createdBy: ctx.caller.staffId ?? null,
    });
    if (route.delivery === ReplyDelivery.Platform) {
      await this.outbox.enqueue(ctx.manager, { merchantId: row.merchant_id, kind: REVIEW_REPLY_SEND, target: shop.id, dedupeKey: reply.id, payload: { replyId: reply.id } });
    }
  }

  /** One delivery attempt of a queued reply; `attempt` is the outbox's try number (the last one gives up). */
  async send(replyId: string, attempt = 1): Promise<Record<string, unknown>> {
    const reply = await this.repo.replyToSend(replyId);
    if (!reply || reply.status !== ReplyStatus.Queued) return { replyId, outcome: 'skipped', detail: reply ? `reply is ${reply.status}` : 'reply not found' };
    try {
      const platformReplyId = await this.post(reply);
      await this.repo.settleReply(this.db.manager, replyId, ReplyStatus.Sent, { platformReplyId });
      return { replyId, outcome: 'sent' };
    } catch (err) {
      const e = classifyHttpError(err, 'reply endpoint');
      if (!(e instanceof PlatformRejected) && attempt < this.config.outbox.maxAttempts) throw e;
      const reason = e instanceof PlatformRejected ? e.message : `gave up after ${attempt} attempts: ${e.message}`;
      await this.fail(reply, reason);
      return { replyId, outcome: 'failed', detail: reason };
    }
  }

  private async post(r: ReplyToSend): Promise<string | null> {
    const url = r.platform_config?.replyWebhookUrl;
    if (typeof url !== 'string' || !url) throw new PlatformRejected('reply endpoint is no longer configured for this shop');
    const body = JSON.stringify({
      id: `review-reply-${r.id}`,
      topic: 'review.reply',
      occurredAt: new Date().toISOString(),
      data: { reviewId: r.platform_review_id, orderId: r.platform_order_id, replyId: r.id, text: r.text, repliedAt: r.created_at },
    });
    // Signed like the inbound generic format; no redirects, so the signature goes nowhere else (SPEC §4).
    const res = await this.http.request({
      method: 'POST',
      url,
      body,
      headers: { 'Content-Type': 'application/json', 'X-Signature': signGeneric(r.webhook_secret, body, Math.floor(Date.now() / 1000)), 'Idempotency-Key': r.id },
    });
    try {
      const v = JSON.parse(res.text) as { platformReplyId?: unknown };
      return typeof v?.platformReplyId === 'string' && v.platformReplyId ? v.platformReplyId.slice(0, 200) : null;
    } catch {
      return null;
    }
  }

  /** Failed for good: the reply row says why and the case timeline tells staff to paste it. */
  private async fail(r: ReplyToSend, reason: string): Promise<void> {
    await this.db.transaction(async (m) => {
      if (!(await this.repo.settleReply(m, r.id, ReplyStatus.Failed, { failureReason: reason.slice(0, 500) }))) return;
      await this.engine.fire(reviewMachine, r.review_id, 'reply-failed', systemCaller(r.merchant_id), {
        manager: m, internal: true, note: reason.slice(0, 500), data: { replyId: r.id },
      });
    });
    this.logger.warn(`review reply ${r.id} failed: ${reason}`);
  }
}
