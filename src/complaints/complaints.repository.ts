import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { FollowUpResult } from '../follow-ups/follow-up-status.js';
import type {
  ComplaintAcceptance, ComplaintCategory, ComplaintChannel, ComplaintDepartment, ComplaintSeverity, ComplaintStatus,
} from './complaint-status.js';
import type { ListComplaintsQueryDto } from './dto/complaint-response.dto.js';

export interface ComplaintRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
  status: ComplaintStatus;
  version: number;
  due_at: Date | null;
  assignee_id: string | null;
  reported_at: Date;
  complainant_name: string;
  complainant_phone: string | null;
  complainant_phone_e164: string | null;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  severity: ComplaintSeverity;
  content: string;
  source_module: string | null;
  source_case_id: string | null;
  follow_up_id: string | null;
  founded: boolean | null;
  assessment: string | null;
  assessed_by: string | null;
  first_response_at: Date | null;
  department: ComplaintDepartment | null;
  responsible_staff_id: string | null;
  plan: string | null;
  plan_cost_estimate: string | number | null;
  proposed_by: string | null;
  plan_rejection_reason: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  implemented_at: Date | null;
  acceptance: ComplaintAcceptance | null;
  confirmed_at: Date | null;
  follow_up_result: FollowUpResult | null;
  follow_up_comment: string | null;
  followed_up_at: Date | null;
  reopen_count: number;
  currency: string;
  cost: string | number;
  recovered: string | number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** What registration needs to know of the shop: its calendar's timezone and its currency. */
export interface ShopForComplaint {
  id: string;
  timezone: string;
  currency: string;
}

@Injectable()
export class ComplaintsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async shopOf(m: EntityManager, merchantId: string, shopId: string): Promise<ShopForComplaint | null> {
    const rows: ShopForComplaint[] = await m.query('SELECT id, timezone, currency FROM shops WHERE id = $1 AND merchant_id = $2', [shopId, merchantId]);
    return rows[0] ?? null;
  }

  async orderOf(m: EntityManager, merchantId: string, orderId: string): Promise<{ id: string; shop_id: string; order_number: string } | null> {
    const rows: Array<{ id: string; shop_id: string; order_number: string }> = await m.query(
      'SELECT id, shop_id, order_number FROM orders WHERE id = $1 AND merchant_id = $2',
      [orderId, merchantId],
    );
    return rows[0] ?? null;
  }

  async staffExists(m: EntityManager, merchantId: string, staffId: string): Promise<boolean> {
    const rows: unknown[] = await m.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [staffId, merchantId]);
    return rows.length > 0;
  }

  async findForMerchant(m: EntityManager, merchantId: string, id: string): Promise<ComplaintRow | null> {
    const rows: ComplaintRow[] = await m.query('SELECT * FROM complaints WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return rows[0] ?? null;
  }

  async statusOf(m: EntityManager, id: string): Promise<ComplaintStatus | null> {
    const rows: Array<{ status: ComplaintStatus }> = await m.query('SELECT status FROM complaints WHERE id = $1', [id]);
    return rows[0]?.status ?? null;
  }

  async page(merchantId: string, q: ListComplaintsQueryDto): Promise<Page<ComplaintRow>> {
    const f = caseFilter(merchantId, q, { dateColumn: 'reported_at' });
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.severity) f.add('severity = ?', q.severity);
    if (q.category) f.add('category = ?', q.category);
    if (q.channel) f.add('channel = ?', q.channel);
    if (q.sourceCaseId) f.add('source_case_id = ?', q.sourceCaseId);
    return paginateSql<ComplaintRow>(this.db, 'complaints', f, q);
  }
}
