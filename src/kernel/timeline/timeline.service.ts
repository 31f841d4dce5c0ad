import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ActorType, Caller } from '../auth/roles.js';

export interface NewTimelineEvent {
  merchantId: string;
  subjectType: string;
  subjectId: string;
  at: Date;
  caller: Caller;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  version?: number | null;
  note?: string | null;
  data?: Record<string, unknown>;
}

export interface TimelineEntry {
  id: string;
  at: Date;
  actor: { type: ActorType; id: string | null };
  action: string;
  from: string | null;
  to: string | null;
  version: number | null;
  note: string | null;
  data: Record<string, unknown>;
}

interface TimelineRow {
  id: string;
  at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  version: number | null;
  note: string | null;
  data: Record<string, unknown>;
}

function toEntry(r: TimelineRow): TimelineEntry {
  return {
    id: String(r.id),
    at: r.at,
    actor: { type: r.actor_type, id: r.actor_id },
    action: r.action,
    from: r.from_status,
    to: r.to_status,
    version: r.version,
    note: r.note,
    data: r.data,
  };
}

/** The immutable history of every case: append and read, never change. */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(manager: EntityManager, e: NewTimelineEvent): Promise<TimelineEntry> {
    const rows: TimelineRow[] = await manager.query(
      `INSERT INTO timeline_events (merchant_id, subject_type, subject_id, at, actor_type, actor_id, action, from_status, to_status, version, note, data)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       RETURNING id, at, actor_type, actor_id, action, from_status, to_status, version, note, data`,
      [
        e.merchantId,
        e.subjectType,
        e.subjectId,
        e.at,
        e.caller.type,
        e.caller.staffId ?? null,
        e.action,
        e.fromStatus ?? null,
        e.toStatus ?? null,
        e.version ?? null,
        e.note ?? null,
        JSON.stringify(e.data ?? {}),
      ],
    );
    return toEntry(rows[0]);
  }

  async listFor(merchantId: string, subjectType: string, subjectId: string): Promise<TimelineEntry[]> {
    const rows: TimelineRow[] = await this.db.query(
      `SELECT id, at, actor_type, actor_id, action, from_status, to_status, version, note, data
         FROM timeline_events WHERE merchant_id = $1 AND subject_type = $2 AND subject_id = $3 ORDER BY id`,
      [merchantId, subjectType, subjectId],
    );
    return rows.map(toEntry);
  }
}
