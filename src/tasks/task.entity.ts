import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum TaskKind {
  /** [002] 值班流失单: an order unpaid for 20 minutes must be followed up, or it counts as lost. */
  UnpaidOrderFollowUp = 'unpaid_order_follow_up',
}

/** A task's states (task.machine.ts). The one place task status strings are written. */
export enum TaskStatus {
  /** To do (possibly assigned); overdue once its dueAt passes. */
  Open = 'open',
  /** Done, with an optional note; or resolved by the system when the work became moot. Final. */
  Done = 'done',
  /** Not needed, with the reason. Final. */
  Dismissed = 'dismissed',
}

/** A piece of worklist work that timers and modules create (SPEC §10: assigned, done or dismissed with a reason). */
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
  @Column('integer') version: number;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('text', { name: 'done_note', nullable: true }) doneNote: string | null;
  @Column('text', { name: 'dismiss_reason', nullable: true }) dismissReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'done_at', nullable: true }) doneAt: Date | null;
  @Column('timestamptz', { name: 'dismissed_at', nullable: true }) dismissedAt: Date | null;
}

/** A tasks row as the engine and the service read it. */
export interface TaskRow {
  id: string;
  merchant_id: string;
  shop_id: string | null;
  kind: TaskKind;
  subject_type: string;
  subject_id: string;
  title: string;
  dedupe_key: string | null;
  due_at: Date | null;
  status: TaskStatus;
  version: number;
  assignee_id: string | null;
  done_note: string | null;
  dismiss_reason: string | null;
  created_at: Date;
  updated_at: Date;
  done_at: Date | null;
  dismissed_at: Date | null;
}
