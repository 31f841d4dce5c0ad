import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { ListReviewsQueryDto } from './dto/review-response.dto.js';
import {
  type ContactChannel, type ContactOutcome, type RemedyType, type ReplyDelivery, ReplyStatus, type ReviewOutcome,
  type ReviewSource, type ReviewStatus, type RootCause,
} from './review-status.js';

/** A reviews row as PostgreSQL returns it (bigint columns arrive as strings). */
export interface ReviewRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
  status: ReviewStatus;
  version: number;
  assignee_id: string | null;
  due_at: Date | null;
  cost: string | number;
  recovered: string | number;
  source: ReviewSource;
  platform_review_id: string | null;
  platform_order_id: string | null;
  currency: string;
  rating: number;
  rating_before: number;
  rating_after: number | null;
  content: string;
  reviewed_at: Date;
  platform_updated_at: Date | null;
  first_contact_due_at: Date | null;
  first_contacted_at: Date | null;
  contact_attempts: number;
  last_contact_at: Date | null;
  last_contact_outcome: ContactOutcome | null;
  last_contact_channel: ContactChannel | null;
  next_attempt_at: Date | null;
  root_cause: RootCause | null;
  service_caused: boolean | null;
  diagnosis: string | null;
  responsible_staff_id: string | null;
  remedy_type: RemedyType | null;
  remedy_amount: string | number | null;
  remedy_description: string | null;
  remedy_cap: string | number | null;
  remedy_over_cap: boolean | null;
  remedy_offered_by: string | null;
  remedy_offered_at: Date | null;
  remedy_accepted_at: Date | null;
  refund_id: string | null;
  extortion_flagged_at: Date | null;
  extortion_flagged_by: string | null;
  extortion_description: string | null;
  extortion_demanded_amount: string | number | null;
  public_reply: string | null;
  public_reply_at: Date | null;
  public_reply_by: string | null;
  outcome: ReviewOutcome | null;
  close_reason: string | null;
  revised_at: Date | null;
  closed_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReplyRow {
  id: string;
  merchant_id: string;
  review_id: string;
  text: string;
  delivery: ReplyDelivery;
  status: ReplyStatus;
  manual_reason: string | null;
  failure_reason: string | null;
  platform_reply_id: string | null;
  sent_at: Date | null;
  created_by: string | null;
  created_at: Date;
}

/** What sending a reply needs: the reply, its review's platform ids, the shop's channel and secret. */
export interface ReplyToSend extends ReplyRow {
  shop_id: string;
  platform_review_id: string | null;
  platform_order_id: string | null;
  platform_config: Record<string, unknown> | null;
  webhook_secret: string;
}

export interface NewReply {
  merchantId: string;
  reviewId: string;
  text: string;
  delivery: ReplyDelivery;
  status: ReplyStatus;
  manualReason: string | null;
  createdBy: string | null;
}

export interface ShopForReview {
  id: string;
  merchant_id: string;
  platform: string;
  currency: string;
  platform_config: Record<string, unknown> | null;
}

@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findForMerchant(manager: EntityManager, merchantId: string, id: string): Promise<ReviewRow | null> {
    const rows: ReviewRow[] = await manager.query('SELECT * FROM reviews WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return rows[0] ?? null;
  }

  /** Serialises deliveries about one platform review (a created and an updated racing, retries). */
  async lockPlatformReview(manager: EntityManager, shopId: string, platformReviewId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`review:${shopId}:${platformReviewId}`]);
  }

  async findByPlatformId(manager: EntityManager, shopId: string, platformReviewId: string): Promise<ReviewRow | null> {
    const rows: ReviewRow[] = await manager.query('SELECT * FROM reviews WHERE shop_id = $1 AND platform_review_id = $2', [shopId, platformReviewId]);
    return rows[0] ?? null;
  }

  async shopOf(manager: EntityManager, merchantId: string, shopId: string): Promise<ShopForReview | null> {
    const rows: ShopForReview[] = await manager.query('SELECT id, merchant_id, platform, currency, platform_config FROM shops WHERE id = $1 AND merchant_id = $2', [
      shopId,
      merchantId,
    ]);
    return rows[0] ?? null;
  }

  /** The shop's order with this platform order id (a review names the platform's id). */
  async orderByPlatformId(manager: EntityManager, shopId: string, platformOrderId: string): Promise<{ id: string; currency: string } | null> {
    const rows: Array<{ id: string; currency: string }> = await manager.query('SELECT id, currency FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [
      shopId,
      platformOrderId,
    ]);
    return rows[0] ?? null;
  }

  async orderById(manager: EntityManager, merchantId: string, id: string): Promise<{ id: string; shop_id: string; platform_order_id: string; currency: string } | null> {
    const rows: Array<{ id: string; shop_id: string; platform_order_id: string; currency: string }> = await manager.query(
      'SELECT id, shop_id, platform_order_id, currency FROM orders WHERE id = $1 AND merchant_id = $2',
      [id, merchantId],
    );
    return rows[0] ?? null;
  }

  async staffExists(manager: EntityManager, merchantId: string, staffId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [staffId, merchantId]);
    return rows.length > 0;
  }

  async insertReply(manager: EntityManager, r: NewReply): Promise<ReplyRow> {
    const rows: ReplyRow[] = await manager.query(
      `INSERT INTO review_replies (merchant_id, review_id, text, delivery, status, manual_reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [r.merchantId, r.reviewId, r.text, r.delivery, r.status, r.manualReason, r.createdBy],
    );
    return rows[0];
  }

  async repliesOf(merchantId: string, reviewId: string): Promise<ReplyRow[]> {
    return this.db.query('SELECT * FROM review_replies WHERE merchant_id = $1 AND review_id = $2 ORDER BY created_at, id', [merchantId, reviewId]);
  }

  async replyToSend(replyId: string): Promise<ReplyToSend | null> {
    const rows: ReplyToSend[] = await this.db.query(
      `SELECT rr.*, r.shop_id, r.platform_review_id, r.platform_order_id, s.platform_config, s.webhook_secret
         FROM review_replies rr JOIN reviews r ON r.id = rr.review_id JOIN shops s ON s.id = r.shop_id
        WHERE rr.id = $1`,
      [replyId],
    );
    return rows[0] ?? null;
  }

  /** Settles a queued reply once; false when it was settled already (a redelivered message). */
  async settleReply(manager: EntityManager, replyId: string, status: ReplyStatus, fields: { failureReason?: string; platformReplyId?: string | null }): Promise<boolean> {
    const res: unknown = await manager.query(
      `UPDATE review_replies SET status = $2, failure_reason = $3, platform_reply_id = $4, sent_at = CASE WHEN $2 = $5 THEN now() END, updated_at = now()
        WHERE id = $1 AND status = $6 RETURNING id`,
      [replyId, status, fields.failureReason ?? null, fields.platformReplyId ?? null, ReplyStatus.Sent, ReplyStatus.Queued],
    );
    const rows = Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) ? (res[0] as unknown[]) : (res as unknown[]);
    return rows.length > 0;
  }

  async page(merchantId: string, q: ListReviewsQueryDto): Promise<Page<ReviewRow>> {
    const f = caseFilter(merchantId, q, { dateColumn: 'reviewed_at' });
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.rating?.length) f.add('rating_before = ANY(CAST(? AS int[]))', q.rating);
    if (q.outcome) f.add('outcome = ?', q.outcome);
    if (q.source) f.add('source = ?', q.source);
    if (q.publicReply === true) f.raw('public_reply_at IS NOT NULL');
    if (q.publicReply === false) f.raw('public_reply_at IS NULL');
    return paginateSql<ReviewRow>(this.db, 'reviews', f, q);
  }
}
