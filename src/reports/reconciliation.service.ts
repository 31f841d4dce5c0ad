import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { to as copyTo } from 'pg-copy-streams';
import type pg from 'pg';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../kernel/auth/roles.js';
import { InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import type { ReconciliationQueryDto, ReconciliationReportDto, ReportPeriodQueryDto } from './dto/reports.dto.js';
import { RECONCILIATION_SQL, type ReconciliationSqlRow } from './reconciliation.sql.js';
import { CrlfRecords } from './crlf-records.js';
import { reconciliationCopySql } from './reconciliation-csv.sql.js';
import { CSV_COLUMNS, ReconciliationTotals, toReconciliationRow } from './reconciliation.rows.js';

export interface CsvDownload {
  filename: string;
  stream: Readable;
}

/** Parses and checks a report period; the shop, when given, must be the caller's. */
export async function checkPeriod(db: DataSource, caller: Caller, q: ReportPeriodQueryDto): Promise<{ from: Date; to: Date; shopId: string | null }> {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (!(from < to)) throw new InvalidInput('Validation failed', [{ field: 'to', errors: ['to must be after from'] }]);
  if (q.shopId) {
    const found: unknown[] = await db.query('SELECT 1 FROM shops WHERE id = $1 AND merchant_id = $2', [q.shopId, caller.merchantId]);
    if (!found.length) throw new NotFound('shop', q.shopId);
  }
  return { from, to, shopId: q.shopId ?? null };
}

/**
 * Finance's refund reconciliation (SPEC §12): the ledger against the refunds the platforms
 * reported. JSON for screens (bounded), CSV streamed from a PostgreSQL cursor for any range.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async json(caller: Caller, q: ReconciliationQueryDto): Promise<ReconciliationReportDto> {
    const p = await checkPeriod(this.db, caller, q);
    const max = this.config.reports.maxJsonRows;
    const raw: ReconciliationSqlRow[] = await this.db.query(`${RECONCILIATION_SQL} LIMIT ${max + 1}`, [caller.merchantId, p.from, p.to, p.shopId]);
    if (raw.length > max) throw new RuleViolation(`the report has more than ${max} rows; ask for format=csv, which streams any range`);
    const totals = new ReconciliationTotals();
    const rows = raw.map((r) => {
      const row = toReconciliationRow(r);
      totals.add(row);
      return row;
    });
    return { from: p.from.toISOString(), to: p.to.toISOString(), shopId: p.shopId, rows, totals: totals.result() };
  }

  /**
   * The same rows as CSV (RFC 4180 quoting, CRLF, UTF-8 with BOM) for any range. PostgreSQL writes
   * the records itself (`COPY ... TO STDOUT (FORMAT csv)`, see reconciliation-csv.sql.ts) and they
   * are forwarded as the client takes them: constant memory, no per-row work in Node. The header
   * line is written with csv-stringify.
   */
  async csv(caller: Caller, q: ReconciliationQueryDto): Promise<CsvDownload> {
    const p = await checkPeriod(this.db, caller, q);
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    const lit = (v: string | null) => (v === null ? 'NULL' : client.escapeLiteral(v));
    const sql = reconciliationCopySql({ merchantId: lit(caller.merchantId), from: lit(p.from.toISOString()), to: lit(p.to.toISOString()), shopId: lit(p.shopId) });
    let released = false;
    const release = (err?: Error) => {
      if (released) return;
      released = true;
      // A broken stream (client gone, query error) leaves the connection mid-protocol: discard it.
      client.release(err ? true : undefined);
    };
    try {
      // Sorting and pairing a large range in memory beats spilling it to disk; only for this transaction.
      await client.query(`BEGIN READ ONLY; SET LOCAL work_mem = '${this.config.reports.csvWorkMemMb}MB'`);
    } catch (err) {
      release(err as Error);
      throw err;
    }
    const rows = client.query(copyTo(sql));
    const head = new PassThrough();
    head.end(Buffer.from(`\uFEFF${stringifySync([[...CSV_COLUMNS]], { record_delimiter: 'windows' })}`, 'utf8'));
    const body = new PassThrough();
    const out = pipeline(rows, new CrlfRecords(), (err) => {
      if (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.warn(`reconciliation CSV stopped: ${err.message}`);
        release(err);
        return;
      }
      client.query('COMMIT').then(() => release(), (e: Error) => release(e));
    });
    head.pipe(body, { end: false });
    head.on('end', () => out.pipe(body));
    body.on('close', () => {
      if (!out.readableEnded) out.destroy();
    });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return { filename: `refund-reconciliation_${day(p.from)}_${day(p.to)}.csv`, stream: body };
  }
}
