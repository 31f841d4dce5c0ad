import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A merchant owns shops, staff and every record; the tenancy boundary. */
@Entity('merchants')
export class Merchant {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** Merchant-wide procedure settings (limits, thresholds, coverage lists). */
  @Column('jsonb', { default: {} }) settings: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
