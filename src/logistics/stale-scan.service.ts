import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { JobsService } from '../kernel/jobs/jobs.service.js';
import { systemCaller } from '../kernel/auth/roles.js';
import { type NewCase, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { LogisticsException } from './logistics-exception.entity.js';
import { LogisticsExceptionKind, LogisticsExceptionSource, LogisticsExceptionStatus } from './logistics-exception.machine.js';
import { LogisticsExceptionsService } from './logistics-exceptions.service.js';
import { DEFAULT_LOGISTICS_SETTINGS, logisticsSettings } from './logistics-settings.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { FINISHED_TRACKING_SQL } from './tracking-status.js';

export const STALE_SCAN_JOB = 'logistics.stale-scan';

export interface ScanOptions {
  asOf?: Date;
  /** Only this merchant's shipments (the on-demand scan); all merchants when absent (the schedule). */
  merchantId?: string;
}

export interface ScanResult {
  asOf: Date;
  /** asOf lay in the future: `opened` is what would open then, and nothing was written. */
  preview: boolean;
  opened: LogisticsException[];
}

const THRESHOLD = (key: string, param: string) =>
  `CASE WHEN (m.settings #>> '{logistics,${key}}') ~ '^[1-9][0-9]{0,5}$' THEN (m.settings #>> '{logistics,${key}}')::int ELSE ${param} END`;

/**
 * The stale-parcel rule of SPEC §6 / [002 物流异常] (同省隔天未更新, 跨省3天未更新) as ONE set-based
 * query, backed by shipments_stale_idx (merchant, same_province, COALESCE(last_event_at,
 * created_at)) WHERE the parcel is still travelling: per merchant and province case it is an index
 * range scan over the parcels whose last movement is older than the merchant's threshold.
 *
 * The cases themselves are opened through StateMachineEngine.createMany in one transaction: one
 * multi-row insert, yet every case gets its timeline event, its deadline from the machine and its
 * transition listeners (outbound `case.created` events) exactly like any other case
 * (bench/stale-scan.bench.mjs measures a steady-state scan and a first scan over a backlog).
 *
 * At most one open case per shipment, also when two scans (or a scan and a carrier push) run at
 * once: the candidates' shipment rows are locked (in id order, so two scans cannot deadlock), then
 * re-checked under the lock; every other opener locks the shipment row first too, and the partial
 * unique index logistics_exceptions_open_uq backs this up. A silence already reported (any case
 * reported after the last movement, e.g. one dismissed as a false alarm) is not reported again
 * until the parcel moves.
 */
@Injectable()
export class StaleScanService implements OnModuleInit {
  private readonly logger = new Logger('StaleScan');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly engine: StateMachineEngine,
    private readonly cases: LogisticsExceptionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    this.settings.register(logisticsSettings);
    this.jobs.define(STALE_SCAN_JOB, async () => {
      const r = await this.scan({});
      if (r.opened.length) this.logger.log(`stale scan opened ${r.opened.length} logistics exception(s)`);
    }, { retryLimit: 1 });
    this.jobs.every(STALE_SCAN_JOB, this.config.logistics.scanCron);
  }

  async scan(opts: ScanOptions): Promise<ScanResult> {
    const asOf = opts.asOf ?? new Date();
    if (asOf.getTime() <= Date.now()) {
      const rows = await this.db.transaction((m) => this.openStale(m, asOf, opts.merchantId));
      return { asOf, preview: false, opened: rows.map(toEntity) };
    }
    // SPEC §6: an asOf in the future is a preview. The very same work runs (so the answer is
    // exactly what would open, deadlines included) and is rolled back: nothing is written, no
    // event or job leaves, and the ids shown are never stored.
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        const rows = await this.openStale(runner.manager, asOf, opts.merchantId);
        return { asOf, preview: true, opened: rows.map(toEntity) };
      } finally {
        await runner.rollbackTransaction();
      }
    } finally {
      await runner.release();
    }
  }

  private async openStale(m: EntityManager, asOf: Date, merchantId: string | undefined): Promise<Record<string, unknown>[]> {
    const params = [asOf, DEFAULT_LOGISTICS_SETTINGS.staleSameProvinceHours, DEFAULT_LOGISTICS_SETTINGS.staleCrossProvinceHours, merchantId ?? null];
    const found: Candidate[] = await m.query(candidatesSql(), params);
    if (!found.length) return [];
    // Lock the candidates' shipment rows in id order (two scans cannot deadlock), then look again:
    // a push, a colleague or another scan may have opened a case or moved the parcel meanwhile.
    await m.query('SELECT id FROM shipments WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [found.map((c) => c.id)]);
    const lockedIds = new Set(found.map((c) => c.id));
    const fresh = (await m.query(candidatesSql(), params) as Candidate[]).filter((c) => lockedIds.has(c.id));
    const items: NewCase[] = [];
    for (const c of fresh) {
      const description = `no tracking update for more than ${c.hours} h (${c.same_province ? 'same province' : 'across provinces'}) [002 物流异常]`;
      items.push({
        caller: systemCaller(c.merchant_id),
        values: {
          shop_id: c.shop_id,
          order_id: c.order_id,
          shipment_id: c.id,
          kind: LogisticsExceptionKind.Stale,
          source: LogisticsExceptionSource.Scan,
          reported_at: asOf,
          silent_since: c.silent_since,
          description,
          currency: await this.currencyOf(m, c.shop_id),
        },
        dueFrom: asOf,
        note: description,
        data: { kind: LogisticsExceptionKind.Stale, silentSince: c.silent_since, thresholdHours: c.hours },
      });
    }
    // One multi-row insert through the engine: same deadlines, timeline events and listeners as one by one.
    const opened = (await this.engine.createMany(this.cases.machine, items, { status: LogisticsExceptionStatus.Open, manager: m, now: asOf })).map((r) => r.row);
    return opened;
  }

  private readonly currencies = new Map<string, string>();

  private async currencyOf(m: EntityManager, shopId: string): Promise<string> {
    let c = this.currencies.get(shopId);
    if (!c) {
      const rows: Array<{ currency: string }> = await m.query('SELECT currency FROM shops WHERE id = $1', [shopId]);
      c = rows[0]?.currency ?? 'CNY';
      this.currencies.set(shopId, c);
    }
    return c;
  }
}

interface Candidate {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
  same_province: boolean;
  hours: number;
  silent_since: Date;
}

/**
 * Travelling parcels silent for longer than their merchant's threshold and not reported for this
 * silence yet. Parameters: $1 asOf, $2/$3 default thresholds (hours), $4 merchant or null.
 * The lateral subquery (kept apart by OFFSET 0) is run once per merchant and province case as an
 * index range scan on shipments_stale_idx; the status literals must stay in the text, they are what
 * lets the planner use that partial index.
 */
export function candidatesSql(): string {
  return `
    SELECT s.id, s.merchant_id, s.shop_id, s.order_id, s.same_province, th.hours, s.silent_since
      FROM (SELECT m.id AS merchant_id,
                   ${THRESHOLD('staleSameProvinceHours', '$2::int')} AS same_h,
                   ${THRESHOLD('staleCrossProvinceHours', '$3::int')} AS cross_h
              FROM merchants m
             WHERE ($4::uuid IS NULL OR m.id = $4::uuid)) p
     CROSS JOIN LATERAL (VALUES (true, p.same_h), (false, p.cross_h)) AS th(same, hours)
     CROSS JOIN LATERAL (
             SELECT x.id, x.merchant_id, x.shop_id, x.order_id, x.same_province, COALESCE(x.last_event_at, x.created_at) AS silent_since
               FROM shipments x
              WHERE x.merchant_id = p.merchant_id
                AND x.same_province = th.same
                AND x.status NOT IN (${FINISHED_TRACKING_SQL})
                AND COALESCE(x.last_event_at, x.created_at) < $1::timestamptz - make_interval(hours => th.hours)
             OFFSET 0) s
     WHERE NOT EXISTS (
             SELECT 1 FROM logistics_exceptions e
              WHERE e.shipment_id = s.id
                AND (e.status <> '${LogisticsExceptionStatus.Closed}' OR e.reported_at >= s.silent_since))
     ORDER BY s.id`;
}

function toEntity(r: Record<string, unknown>): LogisticsException {
  return Object.assign(new LogisticsException(), {
    id: r.id,
    merchantId: r.merchant_id,
    shopId: r.shop_id,
    orderId: r.order_id,
    shipmentId: r.shipment_id,
    kind: r.kind,
    status: r.status,
    version: r.version,
    dueAt: r.due_at,
    assigneeId: r.assignee_id,
    source: r.source,
    reportedAt: r.reported_at,
    silentSince: r.silent_since,
    description: r.description,
    outcome: r.outcome,
    currency: r.currency,
    cost: Number(r.cost),
    recovered: Number(r.recovered),
    reshipOrderId: r.reship_order_id,
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}
