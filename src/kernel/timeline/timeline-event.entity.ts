import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorType } from '../auth/roles.js';

/** One immutable entry of a case's history (a database trigger refuses UPDATE and DELETE). */
@Entity('timeline_events')
export class TimelineEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('uuid', { name: 'subject_id' }) subjectId: string;
  @Column('timestamptz') at: Date;
  @Column('text', { name: 'actor_type' }) actorType: ActorType;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: string | null;
  @Column('text', { name: 'to_status', nullable: true }) toStatus: string | null;
  @Column('integer', { nullable: true }) version: number | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('jsonb') data: Record<string, unknown>;
}
