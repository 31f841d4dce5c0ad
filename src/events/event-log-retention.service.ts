import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobsService } from '../kernel/jobs/jobs.service.js';

export const EVENT_LOG_PRUNE_JOB = 'events.prune-log';
/** As long as the outbox keeps delivered messages (kernel maintenance): the log explains them while they exist. */
export const EVENT_LOG_RETENTION_DAYS = 30;
const BATCH = 5_000;

/**
 * Hourly: forgets events older than the retention and their delivery log (cascade), in batches so
 * one run never holds a long lock. A delivery still queued for a forgotten event writes it back
 * when it is attempted (EventDeliveryService.log), so nothing in flight breaks.
 */
@Injectable()
export class EventLogRetention implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.define(EVENT_LOG_PRUNE_JOB, () => this.prune().then(() => undefined), { retryLimit: 1 });
    this.jobs.every(EVENT_LOG_PRUNE_JOB, '41 * * * *');
  }

  /** Returns how many events were forgotten. */
  async prune(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const res: unknown = await this.db.query(
        `DELETE FROM outbound_events WHERE id IN (
           SELECT id FROM outbound_events WHERE created_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
        [now, EVENT_LOG_RETENTION_DAYS, BATCH],
      );
      const n = Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
      total += n;
      if (n < BATCH) return total;
    }
  }
}
