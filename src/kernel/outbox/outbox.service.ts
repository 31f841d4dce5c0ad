import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { JobsService } from '../jobs/jobs.service.js';

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

export interface NewOutboxMessage {
  merchantId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  /** At most one message per (kind, dedupeKey): a second enqueue is a no-op. */
  dedupeKey?: string;
  availableAt?: Date;
}

export interface DispatchResult {
  done: number;
  retried: number;
  dead: number;
}

export const OUTBOX_DISPATCH_JOB = 'outbox.dispatch';
const LEASE_SECONDS = 300;

interface OutboxRow {
  id: string;
  merchant_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Transactional outbox: side effects are written as rows in the same transaction as the change
 * that causes them, then executed by a durable dispatcher job with retries and backoff.
 * A claimed row is leased, so a crashed dispatcher's work is picked up again after the lease.
 */
@Injectable()
export class OutboxService implements OnModuleInit {
  private readonly logger = new Logger('Outbox');
  private readonly handlers = new Map<string, OutboxHandler>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define(OUTBOX_DISPATCH_JOB, async () => {
      await this.dispatch();
    }, { retryLimit: 0 });
    this.jobs.every(OUTBOX_DISPATCH_JOB, '* * * * *');
  }

  registerHandler<P>(kind: string, handler: OutboxHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`outbox handler for ${kind} registered twice`);
    this.handlers.set(kind, handler as OutboxHandler);
  }

  /** Writes the message in the caller's transaction and wakes the dispatcher once it commits. */
  async enqueue(manager: EntityManager, msg: NewOutboxMessage): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbox (merchant_id, kind, dedupe_key, payload, available_at)
       VALUES ($1, $2, $3, $4, COALESCE($5, now()))
       ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
      [msg.merchantId, msg.kind, msg.dedupeKey ?? null, JSON.stringify(msg.payload), msg.availableAt ?? null],
    );
    if (!rows.length) return null;
    await this.jobs.sendInTransaction(manager, OUTBOX_DISPATCH_JOB, {}, { startAfter: msg.availableAt });
    return String(rows[0].id);
  }

  /** Claims due messages (skipping those another dispatcher holds) and runs their handlers. */
  async dispatch(limit = 50): Promise<DispatchResult> {
    const result: DispatchResult = { done: 0, retried: 0, dead: 0 };
    const claimed: OutboxRow[] = await this.db.query(
      `UPDATE outbox o SET attempts = o.attempts + 1, available_at = now() + make_interval(secs => $2)
        WHERE o.id IN (SELECT id FROM outbox WHERE status = 'pending' AND available_at <= now()
                        ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.merchant_id, o.kind, o.payload, o.attempts`,
      [limit, LEASE_SECONDS],
    ).then(normaliseUpdateRows);
    for (const row of claimed) {
      const handler = this.handlers.get(row.kind);
      try {
        if (!handler) throw new Error(`no outbox handler for ${row.kind}`);
        const out = await handler({ id: String(row.id), merchantId: row.merchant_id, kind: row.kind, payload: row.payload, attempt: row.attempts });
        await this.db.query(`UPDATE outbox SET status = 'done', processed_at = now(), last_error = NULL, result = $2 WHERE id = $1`, [row.id, out ? JSON.stringify(out) : null]);
        result.done++;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const dead = !handler || row.attempts >= this.config.outbox.maxAttempts;
        const delayMs = Math.min(this.config.outbox.baseBackoffMs * 2 ** (row.attempts - 1), 6 * 3600_000);
        await this.db.query(
          `UPDATE outbox SET status = $2, last_error = $3, available_at = now() + make_interval(secs => $4::double precision) WHERE id = $1`,
          [row.id, dead ? 'dead' : 'pending', message.slice(0, 2000), delayMs / 1000],
        );
        if (dead) {
          result.dead++;
          this.logger.error(`outbox ${row.kind} #${row.id} gave up after ${row.attempts} attempts: ${message}`);
        } else {
          result.retried++;
          this.logger.warn(`outbox ${row.kind} #${row.id} attempt ${row.attempts} failed: ${message}`);
        }
      }
    }
    return result;
  }
}

function normaliseUpdateRows(result: unknown): OutboxRow[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as OutboxRow[];
  return result as OutboxRow[];
}
