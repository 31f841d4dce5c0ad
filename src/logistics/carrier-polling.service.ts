import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../kernel/errors/domain-errors.js';
import { JobsService } from '../kernel/jobs/jobs.service.js';
import { parseCarrierEvents } from './carrier-events.js';
import { SHIPPED_CARRIERS } from '../carriers/carrier-registry.js';
import { TrackingSource } from './shipment-event.entity.js';
import { TrackingService } from './tracking.service.js';
import { FINISHED_TRACKING_SQL } from './tracking-status.js';

/** Fans out: one POLL_CARRIER_JOB per configured carrier. */
export const POLL_ALL_JOB = 'logistics.poll-carriers';
/** Polls one carrier's travelling parcels; carriers run as separate jobs, so one down carrier stalls only itself. */
export const POLL_CARRIER_JOB = 'logistics.poll-carrier';

export interface PollReport {
  carrier: string;
  polled: number;
  /** Parcels with new events. */
  updated: number;
  failed: number;
  /** The carrier looked down (timeouts, 5xx, refused); the rest of its batch waits for the next run. */
  aborted: boolean;
  error: string | null;
  ms: number;
}

interface Due {
  id: string;
  merchant_id: string;
  shop_id: string;
  carrier: string;
  tracking_no: string;
}

class CarrierDown extends Error {}

/**
 * Polls carriers that do not push: `GET {base}/tracking/{trackingNo}` (docs/carriers.md) with the
 * configured timeout, a few retries with exponential backoff on timeouts / 5xx / connection errors,
 * and a breaker: a carrier that still fails after its retries ends its run, leaving its other parcels
 * for the next schedule instead of waiting out a timeout for each.
 */
@Injectable()
export class CarrierPollingService implements OnModuleInit {
  private readonly logger = new Logger('CarrierPolling');
  private readonly http: AxiosInstance;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly tracking: TrackingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.http = axios.create({ timeout: config.http.timeoutMs, validateStatus: () => true, maxRedirects: 0, headers: { accept: 'application/json' } });
  }

  onModuleInit(): void {
    this.jobs.define(POLL_ALL_JOB, () => this.enqueueAll(), { retryLimit: 0 });
    this.jobs.define<{ carrier: string }>(POLL_CARRIER_JOB, async (data) => {
      await this.pollCarrier(String(data.carrier));
    }, { retryLimit: 0, localConcurrency: 4, expireInSeconds: 1800 });
    if (Object.keys(this.config.logistics.carrierApiUrls).length) this.jobs.every(POLL_ALL_JOB, this.config.logistics.pollCron);
  }

  /** Polled carriers by canonical code: `CARRIER_API_URLS` may name them any way ("YTO", "圆通") [SPEC §6 carrier identity]. */
  private get apiUrls(): Map<string, string> {
    return new Map(Object.entries(this.config.logistics.carrierApiUrls).map(([name, url]) => [SHIPPED_CARRIERS.codeOf(name), url]));
  }

  carriers(): string[] {
    return [...this.apiUrls.keys()];
  }

  async enqueueAll(): Promise<void> {
    for (const carrier of this.carriers()) {
      await this.jobs.send(POLL_CARRIER_JOB, { carrier }, { singletonKey: `poll:${carrier}` });
    }
  }

  async pollCarrier(carrier: string): Promise<PollReport> {
    const started = Date.now();
    const key = SHIPPED_CARRIERS.codeOf(carrier);
    const report: PollReport = { carrier: key, polled: 0, updated: 0, failed: 0, aborted: false, error: null, ms: 0 };
    const base = this.apiUrls.get(key);
    if (!base) {
      report.error = `no API URL configured for carrier ${key}`;
      return report;
    }
    const due: Due[] = await this.db.query(
      `SELECT id, merchant_id, shop_id, carrier, tracking_no FROM shipments
        WHERE lower(carrier) = $1 AND status NOT IN (${FINISHED_TRACKING_SQL})
        ORDER BY last_polled_at NULLS FIRST, id LIMIT $2`,
      [key, this.config.logistics.pollBatchSize],
    );
    for (const s of due) {
      report.polled++;
      try {
        const body = await this.fetchTrack(base, s.tracking_no);
        let inserted = 0;
        if (body !== null) {
          const events = parseCarrierEvents((body as { events?: unknown }).events);
          const r = await this.tracking.apply({ merchantId: s.merchant_id, shopId: s.shop_id, carrier: s.carrier, trackingNo: s.tracking_no, events, source: TrackingSource.Poll });
          inserted = r.inserted;
        }
        if (inserted) report.updated++;
        await this.db.query('UPDATE shipments SET last_polled_at = now(), poll_error = NULL WHERE id = $1', [s.id]);
      } catch (err) {
        report.failed++;
        const message = err instanceof DomainError ? `bad answer: ${err.message}` : err instanceof Error ? err.message : String(err);
        report.error = message;
        await this.db.query('UPDATE shipments SET last_polled_at = now(), poll_error = $2 WHERE id = $1', [s.id, message.slice(0, 500)]);
        if (err instanceof CarrierDown) {
          report.aborted = true;
          this.logger.warn(`carrier ${key} looks down (${message}); ${due.length - report.polled} parcel(s) wait for the next run`);
          break;
        }
      }
    }
    report.ms = Date.now() - started;
    return report;
  }

  /** The carrier's answer for one parcel, null when it does not know the number (404). */
  private async fetchTrack(base: string, trackingNo: string): Promise<unknown> {
    const url = `${base}/tracking/${encodeURIComponent(trackingNo)}`;
    const { pollRetries, pollBackoffMs } = this.config.logistics;
    let last = '';
    for (let attempt = 0; attempt <= pollRetries; attempt++) {
      if (attempt > 0) await sleep(pollBackoffMs * 2 ** (attempt - 1));
      try {
        const res = await this.http.get(url, { responseType: 'json' });
        if (res.status === 404) return null;
        if (res.status >= 200 && res.status < 300) {
          if (typeof res.data !== 'object' || res.data === null) throw new Error(`carrier answered ${res.status} without a JSON object`);
          return res.data;
        }
        last = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 429) throw new Error(`carrier refused the query: HTTP ${res.status}`);
      } catch (err) {
        if (!isAxiosError(err)) throw err;
        last = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? `timeout after ${this.config.http.timeoutMs} ms` : `${err.code ?? 'network error'}: ${err.message}`;
      }
    }
    throw new CarrierDown(`${last} (after ${pollRetries + 1} attempt(s))`);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
