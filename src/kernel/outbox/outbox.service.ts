import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { JobsService } from '../jobs/jobs.service.js';
import { claimFromLanes, firstResultSet, type OutboxRow, Priority } from './outbox-claim.js';

export interface OutboxMessage<P = Record<string, unknown>> {
  id: string;
  merchantId: string | null;
  kind: string;
  payload: P;
  /** 1 on the first try. */
  attempt: number;
}

/** Performs one side effect outside the database. Must be safe to run again for the same message. */
export type OutboxHandler<P = any> = (msg: OutboxMessage<P>) => Promise<Record<string, unknown> | void>;

export interface HandlerOptions {
  /** Runs in its own pool of slots, so it never waits behind ordinary work (refunds vs event deliveries). */
  priority?: boolean;
}

export interface NewOutboxMessage {
  merchantId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  /** At most one message per (kind, dedupeKey): a second enqueue is a no-op. */
  dedupeKey?: string;
  availableAt?: Date;
  /**
   * The target within the merchant (an endpoint id, a shop id): messages of one kind and target
   * share a lane, which has a cap on parallel calls and backs off on its own. Default: the merchant.
   */
  target?: string;
}

export interface DispatchResult {
  done: number;
  retried: number;
  dead: number;
}

export const OUTBOX_DISPATCH_JOB = 'outbox.dispatch';
const LEASE_SECONDS = 300;
/** A failing lane pauses base backoff × 2^(failures-1), at most this long, before the next try. */
const MAX_LANE_PAUSE_SECONDS = 600;

interface Pool {
  priority: Priority;
  slots: number;
  running: number;
}

/** The lane of a message: one kind of side effect towards one target of one merchant. */
export function laneOf(kind: string, target: string): string {
  return `${kind}:${target}`;
}

/**
 * Transactional outbox: side effects are written as rows in the same transaction as the change
 * that causes them, then executed with retries and backoff. SPEC §4 "one merchant's slow or failing
 * endpoint never delays another merchant's work": messages run concurrently in lanes (one per
 * merchant target), claimed round-robin across merchants and lanes with a cap per lane, in two
 * pools of slots — priority kinds (refunds) and the rest — so refunds never queue behind event
 * deliveries. A lane whose call fails pauses on its own with exponential backoff (its circuit is
 * open), holding none of the other lanes' slots. A claimed row is leased, so a crashed
 * dispatcher's work is picked up again after the lease.
 */
@Injectable()
export class OutboxService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly handlers = new Map<string, { fn: OutboxHandler; priority: boolean }>();
  private readonly pools: Pool[];
  private readonly loops = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.pools = [
      { priority: Priority.High, slots: config.outbox.priorityConcurrency, running: 0 },
      { priority: Priority.Normal, slots: config.outbox.concurrency, running: 0 },
    ];
  }

  onModuleInit(): void {
    // The job is only a wake-up: it starts a pump and returns, so a slow call never holds the
    // worker that would start the next message.
    this.jobs.define(OUTBOX_DISPATCH_JOB, async () => {
      this.kick();
    }, { retryLimit: 0 });
    this.jobs.every(OUTBOX_DISPATCH_JOB, '* * * * *');
  }

  registerHandler<P>(kind: string, handler: OutboxHandler<P>, opts: HandlerOptions = {}): void {
    if (this.handlers.has(kind)) throw new Error(`outbox handler for ${kind} registered twice`);
    this.handlers.set(kind, { fn: handler as OutboxHandler, priority: opts.priority ?? false });
  }

  /** Writes the message (and its lane, once) in the caller's transaction and wakes the dispatcher once it commits. */
  async enqueue(manager: EntityManager, msg: NewOutboxMessage): Promise<string | null> {
    const lane = laneOf(msg.kind, msg.target ?? msg.merchantId ?? 'system');
    const priority = this.handlers.get(msg.kind)?.priority ? Priority.High : Priority.Normal;
    const rows: Array<{ id: string }> = await manager.query(
      `WITH lane AS (INSERT INTO outbox_lanes (lane, merchant_id, priority) VALUES ($6, $1, $7) ON CONFLICT (lane) DO NOTHING)
       INSERT INTO outbox (merchant_id, kind, dedupe_key, payload, available_at, lane)
       VALUES ($1, $2, $3, $4, COALESCE($5, now()), $6)
       ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
      [msg.merchantId, msg.kind, msg.dedupeKey ?? null, JSON.stringify(msg.payload), msg.availableAt ?? null, lane, priority],
    );
    if (!rows.length) return null;
    await this.jobs.sendInTransaction(manager, OUTBOX_DISPATCH_JOB, {}, { startAfter: msg.availableAt });
    return String(rows[0].id);
  }

  /** Closes a lane's circuit (a merchant re-enabled its endpoint): its messages are tried at once. */
  async resetLane(lane: string): Promise<void> {
    await this.db.query(`UPDATE outbox_lanes SET consecutive_failures = 0, open_until = NULL, last_error = NULL WHERE lane = $1`, [lane]);
  }

  /** Starts a pump in the background; it runs until nothing more can be claimed. */
  kick(): void {
    if (this.stopping) return;
    const loop: Promise<unknown> = this.dispatch(Number.POSITIVE_INFINITY)
      .catch((err: unknown) => this.logger.error(`outbox dispatch failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /**
   * Claims due messages fairly and runs them concurrently within the pools' free slots; whenever
   * one finishes, its slot is offered to the next claim. Resolves when nothing more is claimable
   * (or `limit` messages were claimed) and every message it started has settled.
   */
  async dispatch(limit = 50): Promise<DispatchResult> {
    const result: DispatchResult = { done: 0, retried: 0, dead: 0 };
    const running = new Set<Promise<void>>();
    let claimed = 0;
    while (!this.stopping) {
      let started = 0;
      for (const pool of this.pools) {
        const want = Math.min(pool.slots - pool.running, limit - claimed);
        if (want <= 0) continue;
        pool.running += want; // reserved before the claim, so concurrent pumps never exceed the pool
        let rows: OutboxRow[] = [];
        try {
          rows = await claimFromLanes(this.db, pool.priority, {
            want,
            laneCap: this.config.outbox.laneConcurrency,
            // Half the pool at most for one merchant: another merchant always finds a slot.
            merchantCap: Math.max(1, Math.floor(pool.slots / 2)),
            leaseSeconds: LEASE_SECONDS,
          });
        } finally {
          pool.running -= want - rows.length;
        }
        claimed += rows.length;
        started += rows.length;
        for (const row of rows) {
          const task: Promise<void> = this.run(row)
            .then((outcome) => {
              result[outcome]++;
            })
            .finally(() => {
              pool.running--;
              running.delete(task);
            });
          running.add(task);
        }
      }
      if (started) continue;
      if (!running.size || claimed >= limit) break;
      await Promise.race(running);
    }
    await Promise.all(running);
    return result;
  }

  /** Stops claiming and lets running side effects finish (bounded), before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const bound = new Promise((r) => setTimeout(r, this.config.http.timeoutMs + 2_000).unref());
    await Promise.race([Promise.allSettled([...this.loops]), bound]);
  }

  private async run(row: OutboxRow): Promise<keyof DispatchResult> {
    const handler = this.handlers.get(row.kind);
    try {
      if (!handler) throw new Error(`no outbox handler for ${row.kind}`);
      const out = await handler.fn({ id: String(row.id), merchantId: row.merchant_id, kind: row.kind, payload: row.payload, attempt: row.attempts });
      await this.db.query(`UPDATE outbox SET status = 'done', processed_at = now(), last_error = NULL, result = $2, leased_until = NULL WHERE id = $1`, [
        row.id,
        out ? JSON.stringify(out) : null,
      ]);
      await this.db.query(`UPDATE outbox_lanes SET consecutive_failures = 0, open_until = NULL, last_error = NULL WHERE lane = $1 AND consecutive_failures > 0`, [row.lane]);
      return 'done';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      try {
        return await this.recordFailure(row, !handler, message);
      } catch (dbErr) {
        // The lease brings the message back if even this write failed (database gone at shutdown).
        this.logger.error(`outbox ${row.kind} #${row.id}: could not record the failure: ${dbErr instanceof Error ? dbErr.message : String(dbErr)}`);
        return 'retried';
      }
    }
  }

  private async recordFailure(row: OutboxRow, unknownKind: boolean, message: string): Promise<'retried' | 'dead'> {
    const dead = unknownKind || row.attempts >= this.config.outbox.maxAttempts;
    const delayMs = Math.min(this.config.outbox.baseBackoffMs * 2 ** (row.attempts - 1), 6 * 3600_000);
    await this.db.query(
      `UPDATE outbox SET status = $2, last_error = $3, leased_until = NULL, available_at = now() + make_interval(secs => $4::double precision) WHERE id = $1`,
      [row.id, dead ? 'dead' : 'pending', message.slice(0, 2000), delayMs / 1000],
    );
    let wakeAt = new Date(Date.now() + delayMs);
    if (!unknownKind) {
      // The lane's circuit opens: none of its messages is tried before the pause ends.
      const [lane] = firstResultSet<{ open_until: Date }>(await this.db.query(
        `UPDATE outbox_lanes SET consecutive_failures = consecutive_failures + 1, last_error = $2,
                open_until = now() + make_interval(secs => least($3::double precision * 2 ^ consecutive_failures, $4))
          WHERE lane = $1 RETURNING open_until`,
        [row.lane, message.slice(0, 500), this.config.outbox.baseBackoffMs / 1000, MAX_LANE_PAUSE_SECONDS],
      ));
      if (lane && lane.open_until > wakeAt) wakeAt = lane.open_until;
    }
    if (dead) {
      this.logger.error(`outbox ${row.kind} #${row.id} gave up after ${row.attempts} attempts: ${message}`);
      return 'dead';
    }
    this.logger.warn(`outbox ${row.kind} #${row.id} attempt ${row.attempts} failed: ${message}`);
    // A durable wake-up when the pause ends (any instance may take it).
    await this.jobs.send(OUTBOX_DISPATCH_JOB, {}, { startAfter: wakeAt }).catch(() => undefined);
    return 'retried';
  }
}
