import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An opaque bearer token, stored only as its SHA-256. */
@Entity('sessions')
export class Session {
  @PrimaryColumn('text', { name: 'token_hash' }) tokenHash: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
