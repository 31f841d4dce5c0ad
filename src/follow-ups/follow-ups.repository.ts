import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SqlFilter, type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { ListFollowUpsQueryDto } from './dto/follow-up.dto.js';
import type { FollowUpResult, FollowUpStatus } from './follow-up-status.js';

export interface FollowUpRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
  status: FollowUpStatus;
  version: number;
  due_at: Date | null;
  assignee_id: string | null;
  source_module: string;
  source_case_id: string;
  source_collection: string;
  round: number;
  source_version: number;
  resolved_at: Date;
  result: FollowUpResult | null;
  comment: string | null;
  recorded_at: Date | null;
  recorded_by: string | null;
  dismiss_reason: string | null;
  complaint_id: string | null;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class FollowUpsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The newest follow-up of a case (highest round), in the caller's transaction. */
  async latestFor(m: EntityManager, module: string, caseId: string): Promise<FollowUpRow | null> {
    const rows: FollowUpRow[] = await m.query('SELECT * FROM follow_ups WHERE source_module = $1 AND source_case_id = $2 ORDER BY round DESC LIMIT 1', [module, caseId]);
    return rows[0] ?? null;
  }

  async shopTimezone(m: EntityManager, shopId: string): Promise<string | null> {
    const rows: Array<{ timezone: string }> = await m.query('SELECT timezone FROM shops WHERE id = $1', [shopId]);
    return rows[0]?.timezone ?? null;
  }

  /** The customer of an order, to register their complaint. */
  async customerOfOrder(m: EntityManager, orderId: string): Promise<{ name: string | null; phone: string | null } | null> {
    const rows: Array<{ customer_name: string | null; customer_phone: string | null }> = await m.query('SELECT customer_name, customer_phone FROM orders WHERE id = $1', [orderId]);
    return rows[0] ? { name: rows[0].customer_name, phone: rows[0].customer_phone } : null;
  }

  async findForMerchant(m: EntityManager, merchantId: string, id: string): Promise<FollowUpRow | null> {
    const rows: FollowUpRow[] = await m.query('SELECT * FROM follow_ups WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return rows[0] ?? null;
  }

  async page(merchantId: string, q: ListFollowUpsQueryDto): Promise<Page<FollowUpRow>> {
    const f = new SqlFilter('merchant_id = ?', merchantId);
    if (q.status) f.add('status = ?', q.status);
    if (q.shopId) f.add('shop_id = ?', q.shopId);
    if (q.assigneeId) f.add('assignee_id = ?', q.assigneeId);
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.sourceModule) f.add('source_module = ?', q.sourceModule);
    if (q.sourceCaseId) f.add('source_case_id = ?', q.sourceCaseId);
    if (q.result) f.add('result = ?', q.result);
    if (q.from) f.add('created_at >= CAST(? AS timestamptz)', q.from);
    if (q.to) f.add('created_at < CAST(? AS timestamptz)', q.to);
    if (q.overdue === true) f.raw('due_at < now()');
    if (q.overdue === false) f.raw('(due_at IS NULL OR due_at >= now())');
    return paginateSql<FollowUpRow>(this.db, 'follow_ups', f, q);
  }
}
