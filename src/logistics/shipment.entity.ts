import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Where a shipment row came from. */
export enum ShipmentSource {
  /** The warehouse shipped an order (`ship`). */
  Order = 'order',
  /** The platform reported the order fulfilled with this tracking number. */
  Platform = 'platform',
  /** Registered by hand. */
  Manual = 'manual',
}

/** A parcel handed to a carrier. Tracking (events, normalised status) is the logistics module's. */
@Entity('shipments')
export class Shipment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  /** Canonical carrier code (SPEC §6 carrier registry: Kuaidi100's `com`, or the slug of an unknown name). */
  @Column('text') carrier: string;
  /** The carrier's name as the platform, staff or carrier gave it. */
  @Column('text', { name: 'carrier_name', nullable: true }) carrierName: string | null;
  @Column('text', { name: 'tracking_no' }) trackingNo: string;
  @Column('text', { name: 'origin_province', nullable: true }) originProvince: string | null;
  @Column('text', { name: 'dest_province', nullable: true }) destProvince: string | null;
  /** Normalised tracking status (SPEC §6); starts at pending_pickup. */
  @Column('text', { default: 'pending_pickup' }) status: string;
  @Column('text', { name: 'raw_status', nullable: true }) rawStatus: string | null;
  @Column('text', { default: ShipmentSource.Manual }) source: ShipmentSource;
  @Column('timestamptz', { name: 'last_event_at', nullable: true }) lastEventAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
