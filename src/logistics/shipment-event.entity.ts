import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TrackingStatus } from './tracking-status.js';

/** Where a tracking event came from. */
export enum TrackingSource {
  /** Kuaidi100-style subscription push. */
  Kuaidi100 = 'kuaidi100',
  /** Our generic signed JSON push. */
  Generic = 'generic',
  /** Polling a carrier API. */
  Poll = 'poll',
  /** Typed in by staff. */
  Manual = 'manual',
}

/** One tracking event of a shipment; unique per (shipment, time, text), so duplicate pushes are harmless. */
@Entity('shipment_events')
export class ShipmentEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shipment_id' }) shipmentId: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('text', { nullable: true }) location: string | null;
  @Column('text') description: string;
  /** Normalised status the carrier gave with this event, when it gave one. */
  @Column('text', { nullable: true }) status: TrackingStatus | null;
  /** The carrier's own code (e.g. Kuaidi100 state "3"). */
  @Column('text', { name: 'raw_code', nullable: true }) rawCode: string | null;
  @Column('text') source: TrackingSource;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
