import type { DataSource } from 'typeorm';

/** Which pool of slots a lane's messages run in (outbox_lanes.priority). */
export enum Priority {
  /** Refunds: their own slots, never behind ordinary work. */
  High = 0,
  /** Event deliveries and everything else. */
  Normal = 1,
}

export interface OutboxRow {
  id: string;
  merchant_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  lane: string;
}

export interface ClaimLimits {
  /** Messages wanted (free slots of the pool). */
  want: number;
  /** Messages of one lane running at once. */
  laneCap: number;
  /** Messages of one merchant running at once in this pool: a merchant with many stuck targets cannot hold every slot. */
  merchantCap: number;
  leaseSeconds: number;
}

/**
 * Claims due messages of one priority, at most one per lane per call, taking lanes round-robin:
 * first each merchant's least recently served lane (so a merchant with many targets gets no more
 * turns than one with a single target), then the next ones. Lanes whose circuit is open, that
 * already run `laneCap` messages, or whose merchant already runs `merchantCap`, are passed over.
 * Claims of one pool are serialised across dispatchers and instances by a transaction-scoped
 * advisory lock (a claim takes milliseconds), so both caps hold exactly.
 */
export async function claimFromLanes(db: DataSource, priority: Priority, limits: ClaimLimits): Promise<OutboxRow[]> {
  const { want, laneCap, merchantCap, leaseSeconds } = limits;
  return db.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('outbox.claim'), $1)`, [priority]);
    const lanes: Array<{ lane: string }> = await m.query(
      `WITH busy AS (
         SELECT o.merchant_id, count(*) AS running
           FROM outbox o JOIN outbox_lanes bl ON bl.lane = o.lane
          WHERE o.leased_until > now() AND bl.priority = $1
          GROUP BY o.merchant_id
       ), ready AS (
         SELECT l.lane, l.merchant_id, l.last_served_at, COALESCE(b.running, 0) AS merchant_running
           FROM outbox_lanes l LEFT JOIN busy b ON b.merchant_id IS NOT DISTINCT FROM l.merchant_id
          WHERE l.priority = $1
            AND (l.open_until IS NULL OR l.open_until <= now())
            AND EXISTS (SELECT 1 FROM outbox o WHERE o.lane = l.lane AND o.status = 'pending' AND o.available_at <= now())
            AND (SELECT count(*) FROM outbox o WHERE o.lane = l.lane AND o.leased_until > now()) < $3
       ), turns AS (
         SELECT lane, last_served_at, merchant_running,
                row_number() OVER (PARTITION BY merchant_id ORDER BY last_served_at NULLS FIRST, lane) AS turn
           FROM ready
       )
       SELECT lane FROM turns
        WHERE merchant_running + turn <= $4
        ORDER BY turn, last_served_at NULLS FIRST, lane LIMIT $2`,
      [priority, want, laneCap, merchantCap],
    );
    if (!lanes.length) return [];
    const names = lanes.map((l) => l.lane);
    const rows = firstResultSet<OutboxRow>(
      await m.query(
        `UPDATE outbox o SET attempts = o.attempts + 1, leased_until = now() + make_interval(secs => $2), available_at = now() + make_interval(secs => $2)
           FROM (SELECT pick.id
                   FROM unnest($1::text[]) AS ln(lane)
                   CROSS JOIN LATERAL (
                     SELECT x.id FROM outbox x
                      WHERE x.lane = ln.lane AND x.status = 'pending' AND x.available_at <= now()
                      ORDER BY x.available_at, x.id LIMIT 1 FOR UPDATE SKIP LOCKED) pick) p
          WHERE o.id = p.id
          RETURNING o.id, o.merchant_id, o.kind, o.payload, o.attempts, o.lane`,
        [names, leaseSeconds],
      ),
    );
    if (rows.length) await m.query(`UPDATE outbox_lanes SET last_served_at = clock_timestamp() WHERE lane = ANY($1::text[])`, [rows.map((r) => r.lane)]);
    return rows;
  });
}

/** TypeORM answers UPDATE … RETURNING as [rows, count]. */
export function firstResultSet<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
