import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum TaskKind {
  /** [002] 值班流失单: an order unpaid for 20 minutes must be followed up, or it counts as lost. */
  UnpaidOrderFollowUp = 'unpaid_order_follow_up',
}

export enum TaskStatus {
  Open = 'open',
  Done = 'done',
}

/** A piece of work timers put on the worklist. */
@Entity('tasks')
export class Task {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('uuid', { name: 'shop_id', nullable: true }) shopId: string | null;
  @Column('text') kind: TaskKind;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('uuid', { name: 'subject_id' }) subjectId: string;
  @Column('text') title: string;
  /** At most one task per (kind, dedupeKey): timers may run twice. */
  @Column('text', { name: 'dedupe_key', nullable: true }) dedupeKey: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('text') status: TaskStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column('timestamptz', { name: 'done_at', nullable: true }) doneAt: Date | null;
}
