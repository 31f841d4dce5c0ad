import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DATABASE_URL } from '../../database/database.tokens.js';
import { settledWithin } from './settled-within.js';

export type JobHandler<T = Record<string, unknown>> = (data: T) => Promise<void>;

export interface JobDefinition {
  handler: JobHandler<any>;
  retryLimit: number;
  retryDelay: number;
  expireInSeconds: number;
  localConcurrency: number;
}

export interface EnqueueOptions {
  startAfter?: Date | number;
  /** At most one queued job per key (e.g. one timer per case). */
  singletonKey?: string;
}

/** pg-boss's smallest heartbeat: refreshed every 5 s while a job runs. */
const HEARTBEAT_SECONDS = 10;
const SUPERVISE_SECONDS = 10;

/**
 * Durable jobs and timers on pg-boss, in the service's own database: they survive restarts and
 * run once across instances. Delivery is at least once, so every handler must be idempotent
 * (re-read state, do nothing when the work is already done).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly defs = new Map<string, JobDefinition>();
  private readonly schedules: Array<{ name: string; cron: string; data: Record<string, unknown>; tz: string }> = [];
  private boss?: PgBoss;
  private started?: Promise<PgBoss>;
  private readonly startedSignal: Promise<void>;
  private signalStarted!: () => void;
  private draining?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {
    this.startedSignal = new Promise((resolve) => (this.signalStarted = resolve));
  }

  /** Declares a queue and its handler; call from a module's constructor or onModuleInit. */
  define<T>(name: string, handler: JobHandler<T>, opts: Partial<Omit<JobDefinition, 'handler'>> = {}): void {
    if (this.defs.has(name)) throw new Error(`job ${name} defined twice`);
    this.defs.set(name, { handler: handler as JobHandler<any>, retryLimit: 5, retryDelay: 5, expireInSeconds: 300, localConcurrency: 1, ...opts });
  }

  /** A recurring job (cron in the given zone), created once across instances. */
  every(name: string, cron: string, data: Record<string, unknown> = {}, tz = 'UTC'): void {
    this.schedules.push({ name, cron, data, tz });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = this.start();
    await this.started;
    this.signalStarted();
  }

  /** Resolves once pg-boss runs (never, if the application does not start). */
  whenStarted(): Promise<void> {
    return this.startedSignal;
  }

  private async start(): Promise<PgBoss> {
    const boss = new PgBoss({
      connectionString: this.databaseUrl,
      schema: 'pgboss',
      application_name: 'after-sales-ops:jobs',
      max: 5,
      schedule: this.config.jobs.enabled,
      supervise: this.config.jobs.enabled,
      // New jobs wake idle workers at once (LISTEN/NOTIFY); polling stays as the backstop.
      useListenNotify: this.config.jobs.enabled,
      // Checks heartbeats (below) this often: a dead instance's running jobs are retried within
      // about HEARTBEAT_SECONDS + this, not after their expiry (issue 9, fault 7).
      superviseIntervalSeconds: SUPERVISE_SECONDS,
    });
    boss.on('error', (err: unknown) => this.logger.error(`pg-boss: ${err instanceof Error ? err.message : String(err)}`));
    await boss.start();
    for (const [name, def] of this.defs) {
      await boss.createQueue(name, { retryLimit: def.retryLimit, retryDelay: def.retryDelay, retryBackoff: true, expireInSeconds: def.expireInSeconds, notify: true });
      // Running jobs send a heartbeat; queues created before it was set get it too.
      await boss.updateQueue(name, { heartbeatSeconds: HEARTBEAT_SECONDS });
    }
    if (this.config.jobs.enabled) {
      for (const [name, def] of this.defs) {
        // Batches of up to 10, fetched back to back while a backlog lasts; each job settles on
        // its own (one failing job is retried alone, the rest complete).
        await boss.work(
          name,
          { pollingIntervalSeconds: this.config.jobs.pollingIntervalSeconds, notifyPollingIntervalSeconds: this.config.jobs.pollingIntervalSeconds, batchSize: 10, burstWhenBatchFull: true, localConcurrency: def.localConcurrency, perJobResults: true },
          async (jobs) => {
            const results: Array<{ id: string; status: 'completed' | 'failed'; output?: unknown }> = [];
            for (const job of jobs) {
              try {
                await def.handler(job.data as Record<string, unknown>);
                results.push({ id: job.id, status: 'completed' });
              } catch (err) {
                this.logger.warn(`job ${name} ${job.id} failed: ${err instanceof Error ? err.message : String(err)}`);
                results.push({ id: job.id, status: 'failed', output: { message: err instanceof Error ? err.message : String(err) } });
              }
            }
            return results;
          },
        );
      }
      for (const s of this.schedules) await boss.schedule(s.name, s.cron, s.data, { tz: s.tz });
    }
    this.boss = boss;
    return boss;
  }

  private async ready(): Promise<PgBoss> {
    if (this.boss) return this.boss;
    if (!this.started) throw new Error('jobs are not started yet');
    return this.started;
  }

  /** Enqueues a job now or later. */
  async send(name: string, data: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string | null> {
    this.assertDefined(name);
    const boss = await this.ready();
    return boss.send(name, data, { startAfter: opts.startAfter, singletonKey: opts.singletonKey });
  }

  /** Enqueues a job inside the caller's transaction: it exists only if the transaction commits. */
  async sendInTransaction(manager: EntityManager, name: string, data: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string | null> {
    this.assertDefined(name);
    const boss = await this.ready();
    const db = { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await manager.query(text, values)) as any[] }) };
    return boss.send(name, data, { startAfter: opts.startAfter, singletonKey: opts.singletonKey, db });
  }

  /** Runs a job's handler in this process right now (on-demand runs, and tests driving timers). */
  async runNow(name: string, data: Record<string, unknown>): Promise<void> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`job ${name} is not defined`);
    await def.handler(data);
  }

  /** Jobs of a queue as pg-boss stores them (for tests and diagnostics). */
  async pending(name: string): Promise<Array<{ id: string; data: Record<string, unknown>; startAfter: Date; state: string }>> {
    const boss = await this.ready();
    const rows = await boss.getDb().executeSql(
      `SELECT id, data, start_after AS "startAfter", state FROM pgboss.job WHERE name = $1 AND state IN ('created','retry','active') ORDER BY start_after`,
      [name],
    );
    return rows.rows as Array<{ id: string; data: Record<string, unknown>; startAfter: Date; state: string }>;
  }

  /**
   * Shutdown, step 1 (SPEC §13): take no more jobs. Running handlers go on; the pool stays open
   * for them and for in-flight requests until onApplicationShutdown.
   */
  onModuleDestroy(): void {
    const boss = this.boss;
    if (!boss || !this.config.jobs.enabled) return;
    this.draining = Promise.allSettled([...this.defs.keys()].map((name) => boss.offWork(name, { wait: true })));
  }

  /** Step 2: wait, bounded, for the running handlers. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.draining && !(await settledWithin(this.draining, this.config.shutdownGraceMs))) {
      this.logger.warn(`jobs still running after ${this.config.shutdownGraceMs} ms; they are retried after their expiry`);
    }
  }

  /** Step 3, after the HTTP server has drained: close pg-boss and its pool. */
  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    if (boss) await boss.stop({ graceful: true, timeout: 1000, close: true }).catch(() => undefined);
  }

  private assertDefined(name: string): void {
    if (!this.defs.has(name)) throw new Error(`job ${name} is not defined`);
  }
}
