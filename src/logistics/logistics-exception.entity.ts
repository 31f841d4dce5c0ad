import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MINOR_UNITS } from '../orders/order.entity.js';
import type {
  LogisticsExceptionKind, LogisticsExceptionOutcome, LogisticsExceptionSource, LogisticsExceptionStatus,
} from './logistics-exception.machine.js';

/** A logistics exception case; `status` is written only by the state-machine engine. */
@Entity('logistics_exceptions')
export class LogisticsException {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'shipment_id' }) shipmentId: string;
  @Column('text') kind: LogisticsExceptionKind;
  @Column('text') status: LogisticsExceptionStatus;
  @Column('integer') version: number;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('text') source: LogisticsExceptionSource;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt: Date;
  /** For stale cases: the last movement (or registration) the scan saw. */
  @Column('timestamptz', { name: 'silent_since', nullable: true }) silentSince: Date | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { nullable: true }) outcome: LogisticsExceptionOutcome | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { transformer: MINOR_UNITS }) cost: number;
  @Column('bigint', { transformer: MINOR_UNITS }) recovered: number;
  @Column('uuid', { name: 'reship_order_id', nullable: true }) reshipOrderId: string | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
