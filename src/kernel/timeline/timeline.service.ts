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
    return (await this.appendMany(manager, [e]))[0];
  }

  /** Appends events in as few statements as possible; returns them in the order given. */
  async appendMany(manager: EntityManager, events: NewTimelineEvent[]): Promise<TimelineEntry[]> {
    const out: TimelineEntry[] = [];
    // One array per column (unnest): a fixed number of parameters however many events, which
    // PostgreSQL binds and plans far faster than thousands of VALUES placeholders.
    const chunk = 5_000;
    for (let k = 0; k < events.length; k += chunk) {
      const part = events.slice(k, k + chunk);
      const rows: TimelineRow[] = await manager.query(
        `INSERT INTO timeline_events (merchant_id, subject_type, subject_id, at, actor_type, actor_id, action, from_status, to_status, version, note, data)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::jsonb[])
         RETURNING id, at, actor_type, actor_id, action, from_status, to_status, version, note, data`,
        [
          part.map((e) => e.merchantId), part.map((e) => e.subjectType), part.map((e) => e.subjectId), part.map((e) => e.at), part.map((e) => e.caller.type),
          part.map((e) => e.caller.staffId ?? null), part.map((e) => e.action), part.map((e) => e.fromStatus ?? null), part.map((e) => e.toStatus ?? null),
          part.map((e) => e.version ?? null), part.map((e) => e.note ?? null), part.map((e) => JSON.stringify(e.data ?? {})),
        ],
      );
      // bigserial ids follow the arrays' order within one statement; sorting by id restores it.
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      out.push(...rows.map(toEntry));
    }
    return out;
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
