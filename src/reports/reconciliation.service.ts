import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { to as copyTo } from 'pg-copy-streams';
import type pg from 'pg';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../kernel/auth/roles.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import { echoPeriod, type PeriodEcho } from '../kernel/time/report-period.js';
import type { ReconciliationQueryDto, ReconciliationReportDto } from './dto/reports.dto.js';
import { CrlfRecords } from './crlf-records.js';
import { attachmentDisposition, reportFileName } from './csv-filename.js';
import { reconciliationCopySql } from './reconciliation-csv.sql.js';
import { CSV_COLUMNS, ReconciliationTotals, toReconciliationRow } from './reconciliation.rows.js';
import { reconciliationRowsSql, type ReconciliationSqlRow } from './reconciliation.sql.js';
import { ReportScopeService } from './report-scope.js';

export interface CsvDownload {
  /** Content-Disposition value: the file is named in the shop's dates. */
  disposition: string;
  period: PeriodEcho;
  stream: Readable;
}

/**
 * Finance's refund reconciliation (SPEC §12): the ledger against the refunds the platforms
 * reported, paired as they arrive (src/orders/refund-pairing.ts), so a period is two index range
 * scans. JSON for screens (bounded), CSV streamed by PostgreSQL for any range.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scopes: ReportScopeService,
  ) {}

  async json(caller: Caller, q: ReconciliationQueryDto): Promise<ReconciliationReportDto> {
    const s = await this.scopes.resolve(caller, q);
    const max = this.config.reports.maxJsonRows;
    const sql = reconciliationRowsSql({ merchantId: '$1', from: '$2', to: '$3', shopId: s.shopId ? '$4' : null });
    const params = [s.merchantId, s.from, s.to, ...(s.shopId ? [s.shopId] : [])];
    const raw: ReconciliationSqlRow[] = await this.db.query(`${sql} LIMIT ${max + 1}`, params);
    if (raw.length > max) throw new RuleViolation(`the report has more than ${max} rows; ask for format=csv, which streams any range`);
    const totals = new ReconciliationTotals();
    const rows = raw.map((r) => {
      const row = toReconciliationRow(r);
      totals.add(row);
      return row;
    });
    const period = echoPeriod(s);
    return { period, from: period.from, to: period.to, shopId: s.shopId, rows, totals: totals.result() };
  }

  /**
   * The same rows as CSV (RFC 4180 quoting, CRLF, UTF-8 with BOM) for any range. PostgreSQL writes
   * the records and the totals itself (`COPY ... TO STDOUT (FORMAT csv)`, reconciliation-csv.sql.ts)
   * and they are forwarded as the client takes them: constant memory, no per-row work in Node. The
   * header line is written with csv-stringify.
   */
  async csv(caller: Caller, q: ReconciliationQueryDto): Promise<CsvDownload> {
    const s = await this.scopes.resolve(caller, q);
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    const lit = (v: string) => client.escapeLiteral(v);
    const sql = reconciliationCopySql({ merchantId: lit(s.merchantId), from: lit(s.from.toISOString()), to: lit(s.to.toISOString()), shopId: s.shopId ? lit(s.shopId) : null });
    let released = false;
    const release = (err?: Error) => {
      if (released) return;
      released = true;
      // A broken stream (client gone, query error) leaves the connection mid-protocol: discard it.
      client.release(err ? true : undefined);
    };
    try {
      // Only for this transaction: room for the totals' aggregation, should the planner sort.
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
    return { disposition: attachmentDisposition(reportFileName('refund-reconciliation', s)), period: echoPeriod(s), stream: body };
  }
}
