import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { JobsService } from './jobs.service.js';

export const MAINTENANCE_JOB = 'maintenance.cleanup';

/** Hourly: forgets expired sessions, idempotency keys and login failure counters, and outbox rows done for 30 days. */
@Injectable()
export class MaintenanceService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define(MAINTENANCE_JOB, () => this.cleanup().then(() => undefined), { retryLimit: 1 });
    this.jobs.every(MAINTENANCE_JOB, '17 * * * *');
  }

  async cleanup(): Promise<{ sessions: number; idempotencyKeys: number; loginThrottle: number; outbox: number }> {
    const count = (r: unknown) => (Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0);
    const sessions = count(await this.db.query('DELETE FROM sessions WHERE expires_at < now()'));
    const idempotencyKeys = count(await this.db.query('DELETE FROM idempotency_keys WHERE expires_at < now()'));
    const loginThrottle = count(
      await this.db.query(
        `DELETE FROM login_throttle WHERE window_started_at <= now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until <= now())`,
        [this.config.login.failureWindowSeconds],
      ),
    );
    const outbox = count(await this.db.query(`DELETE FROM outbox WHERE status = 'done' AND processed_at < now() - interval '30 days'`));
    return { sessions, idempotencyKeys, loginThrottle, outbox };
  }
}
