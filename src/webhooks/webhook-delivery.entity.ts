import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What processing made of a delivery. */
export enum DeliveryStatus {
  /** Stored, waiting for an inbox worker (or its next attempt after a failure). */
  Received = 'received',
  /** Applied (order created or updated, refund recorded). */
  Processed = 'processed',
  /** Authentic but without effect: an older or equal order version than the one stored. */
  Ignored = 'ignored',
  /** A topic no module handles (yet); kept for replay. */
  Unhandled = 'unhandled',
  /** The payload could not be applied (see lastError); replay after fixing. */
  Failed = 'failed',
}

/** The webhook inbox: every authentic delivery, exactly as received. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('text') platform: string;
  @Column('text') topic: string;
  /** The platform's delivery / event id; unique per shop. */
  @Column('text', { name: 'delivery_id' }) deliveryId: string;
  @Column('timestamptz', { name: 'event_at', nullable: true }) eventAt: Date | null;
  @Column('jsonb') headers: Record<string, string>;
  /** Exactly the bytes received (loaded only for the detail view and processing). */
  @Column('bytea', { name: 'raw_body', select: false }) rawBody: Buffer;
  @Column('text') status: DeliveryStatus;
  @Column('jsonb', { nullable: true }) result: Record<string, unknown> | null;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('integer') attempts: number;
  /** How many more times the same delivery id arrived (no second effect). */
  @Column('integer') duplicates: number;
  @Column('integer') replays: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt: Date | null;
  /** A waiting delivery is not claimed before this time (the backoff after a failed attempt). */
  @Column('timestamptz', { name: 'available_at' }) availableAt: Date;
  /** The claim of the worker processing it; when it lies in the past, the delivery may be claimed again. */
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
}
