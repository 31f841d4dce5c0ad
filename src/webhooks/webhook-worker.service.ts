import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DATABASE_URL } from '../database/database.tokens.js';
import { JobsService } from '../kernel/jobs/jobs.service.js';
import { PgListener } from '../kernel/jobs/pg-listener.js';
import { settledWithin } from '../kernel/jobs/settled-within.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookProcessorService } from './webhook-processor.service.js';

/** Channel the insert trigger of webhook_deliveries notifies (migration 1764030000000). */
export const INBOX_CHANNEL = 'webhook_inbox';

/**
 * Works the webhook inbox as a queue (SPEC §13): each worker claims a batch of waiting deliveries
 * (FOR UPDATE SKIP LOCKED, so instances never take the same rows) under a short lease renewed
 * while it works, and applies them: the plain new orders of the batch together, the rest one by one
 * (WebhookProcessorService.processBatch). A worker that dies loses its lease within
 * seconds and its deliveries are claimed again; applying one twice is impossible because the
 * processor locks the row and skips a delivery already applied. Woken by NOTIFY, polled as a net.
 */
@Injectable()
export class WebhookWorkerService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookWorker');
  private listener?: PgListener;
  private loops: Array<Promise<void>> = [];
  private stopping = false;
  /** Counts wake-ups, so a loop that found nothing can tell whether one came in meanwhile. */
  private wakeups = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly processor: WebhookProcessorService,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    this.stopping = false;
    this.listener = new PgListener(this.databaseUrl, INBOX_CHANNEL, () => this.wake(), this.logger);
    await this.listener.start();
    // Processing enqueues outbox jobs: the workers start once the job system runs.
    void this.jobs.whenStarted().then(() => {
      if (this.stopping) return;
      for (let i = 0; i < this.config.inbox.workers; i++) this.loops.push(this.run());
    });
  }

  /** First step of a shutdown: claim nothing more (running deliveries finish). */
  onModuleDestroy(): void {
    this.stopping = true;
    this.wake();
  }

  /** Waits (bounded) for running deliveries before the pool closes; what is unfinished stays claimable. */
  async beforeApplicationShutdown(): Promise<void> {
    const loops = Promise.all(this.loops);
    this.loops = [];
    if (!(await settledWithin(loops, this.config.shutdownGraceMs))) {
      this.logger.warn(`webhook deliveries still running after ${this.config.shutdownGraceMs} ms; their leases run out and another worker takes them`);
    }
    await this.listener?.stop();
    this.listener = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const seen = this.wakeups;
      let ids: string[];
      try {
        ids = await this.claim();
      } catch (e) {
        this.logger.warn(`claiming webhook deliveries failed: ${e instanceof Error ? e.message : String(e)}`);
        await this.idle();
        continue;
      }
      if (ids.length) await this.work(ids);
      else if (this.wakeups === seen) await this.idle();
    }
  }

  private async work(ids: string[]): Promise<void> {
    const open = new Set(ids);
    const heartbeat = setInterval(() => {
      this.renew([...open]).catch((e: unknown) => this.logger.warn(`renewing a lease failed: ${e instanceof Error ? e.message : String(e)}`));
    }, (this.config.inbox.leaseSeconds * 1000) / 3);
    try {
      // Plain new orders of the batch in one transaction; the rest one by one, in claim order.
      const single = new Set(await this.processor.processBatch(ids));
      for (const id of ids) if (!single.has(id)) open.delete(id);
      for (const id of ids) {
        if (!single.has(id)) continue;
        if (this.stopping) break;
        try {
          await this.processor.process(id);
        } catch {
          // Recorded on the delivery by the processor, which also scheduled the next attempt.
        }
        open.delete(id);
      }
    } finally {
      clearInterval(heartbeat);
      // Left over by a shutdown: give them back now rather than when the lease ends.
      if (open.size) await this.release([...open]).catch(() => undefined);
    }
  }

  private async claim(): Promise<string[]> {
    const rows = rowsOf<{ id: string; available_at: Date }>(
      await this.db.query(
        // MATERIALIZED: the claimed set is chosen once (a subquery under UPDATE may be re-run by
      // concurrent-update rechecks and claim more than the batch).
      `WITH claimed AS MATERIALIZED (
         SELECT id FROM webhook_deliveries
          WHERE status = '${DeliveryStatus.Received}' AND available_at <= now()
            AND (locked_until IS NULL OR locked_until <= now())
          ORDER BY available_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => $2)
         FROM claimed WHERE d.id = claimed.id
       RETURNING d.id, d.available_at`,
        [this.config.inbox.batchSize, this.config.inbox.leaseSeconds],
      ),
    );
    return rows.sort((a, b) => a.available_at.getTime() - b.available_at.getTime()).map((r) => r.id);
  }

  /** Skips rows locked by their processing transaction: those cannot be claimed by anyone meanwhile. */
  private async renew(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.query(
      `UPDATE webhook_deliveries SET locked_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status = '${DeliveryStatus.Received}' FOR UPDATE SKIP LOCKED)`,
      [ids, this.config.inbox.leaseSeconds],
    );
  }

  private async release(ids: string[]): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET locked_until = NULL
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status = '${DeliveryStatus.Received}' FOR UPDATE SKIP LOCKED)`,
      [ids],
    );
  }

  private wake(): void {
    this.wakeups++;
    for (const w of [...this.waiters]) w();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.config.jobs.pollingIntervalSeconds * 1000);
      this.waiters.add(done);
    });
  }
}

/** TypeORM answers an UPDATE … RETURNING as [rows, count]. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
