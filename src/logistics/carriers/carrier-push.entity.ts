import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who pushed: the Kuaidi100-style subscription callback or our generic signed JSON push. */
export enum CarrierPushProvider {
  Kuaidi100 = 'kuaidi100',
  Generic = 'generic',
}

/** Every authentic carrier push, as received, with what it did (SPEC §6: never dropped silently). */
@Entity('carrier_pushes')
export class CarrierPush {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id' }) shopId: string;
  @Column('text') provider: CarrierPushProvider;
  /** Canonical carrier code the push was matched with. */
  @Column('text', { nullable: true }) carrier: string | null;
  /** The carrier as the push named it (Kuaidi100 `com`). */
  @Column('text', { name: 'carrier_name', nullable: true }) carrierName: string | null;
  /** Kuaidi100 `autoCheck` correction: the code the parcel was registered under before (`comOld`). */
  @Column('text', { name: 'previous_carrier', nullable: true }) previousCarrier: string | null;
  @Column('text', { name: 'tracking_no', nullable: true }) trackingNo: string | null;
  /** The parcel it reached; null while unmatched. */
  @Column('uuid', { name: 'shipment_id', nullable: true }) shipmentId: string | null;
  @Column('timestamptz', { name: 'matched_at', nullable: true }) matchedAt: Date | null;
  @Column('bytea', { name: 'raw_body', select: false }) rawBody: Buffer;
  @Column('jsonb') result: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
}
