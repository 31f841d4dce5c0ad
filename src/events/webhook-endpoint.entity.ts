import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Where a merchant wants its events delivered; the secret signs each delivery. */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('text') url: string;
  @Column('text') secret: string;
  /** Event types to receive; empty = all. */
  @Column('text', { array: true }) events: string[];
  @Column('boolean') active: boolean;
  @Column('text', { nullable: true }) description: string | null;
  /** Failed delivery attempts since the last success; at EVENT_ENDPOINT_DISABLE_AFTER the endpoint is disabled. */
  @Column('integer', { name: 'consecutive_failures', default: 0 }) consecutiveFailures: number;
  @Column('timestamptz', { name: 'last_failure_at', nullable: true }) lastFailureAt: Date | null;
  /** Our short reason (a status or a network failure), never the endpoint's answer. */
  @Column('text', { name: 'last_failure_reason', nullable: true }) lastFailureReason: string | null;
  /** Set when deliveries disabled the endpoint (active turned false); cleared when the merchant re-enables it. */
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt: Date | null;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
