import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { OrderForRefund } from '../refunds/refund.repository.js';
import type { ListReturnsQueryDto } from './dto/return-response.dto.js';
import type { InspectionResult, ReturnReason, ReturnStatus, ReturnType } from './return-status.js';

export interface ReturnRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string;
  status: ReturnStatus;
  version: number;
  assignee_id: string | null;
  due_at: Date | null;
  reported_at: Date;
  cost: string | number;
  recovered: string | number;
  type: ReturnType;
  reason: ReturnReason;
  description: string | null;
  currency: string;
  requested_amount: string | number;
  approved_amount: string | number | null;
  approved_by: string | null;
  reject_reason: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  received_at: Date | null;
  inspection_result: InspectionResult | null;
  inspection_note: string | null;
  exchange_shipment_id: string | null;
  cancel_reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReturnLineRow {
  return_id: string;
  order_line_id: string;
  sku: string | null;
  title: string;
  quantity: number;
}

export interface OrderLineForReturn {
  id: string;
  quantity: number;
}

@Injectable()
export class ReturnsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async orderForReturn(manager: EntityManager, merchantId: string, orderId: string): Promise<{ order: OrderForRefund; lines: OrderLineForReturn[] } | null> {
    const orders: OrderForRefund[] = await manager.query(
      `SELECT id, shop_id, order_number, platform_order_id, currency, total_amount, status, paid_at FROM orders WHERE id = $1 AND merchant_id = $2`,
      [orderId, merchantId],
    );
    if (!orders.length) return null;
    const lines: OrderLineForReturn[] = await manager.query('SELECT id, quantity FROM order_lines WHERE order_id = $1', [orderId]);
    return { order: orders[0], lines };
  }

  async staffExists(manager: EntityManager, merchantId: string, staffId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [staffId, merchantId]);
    return rows.length > 0;
  }

  async insertLines(manager: EntityManager, merchantId: string, returnId: string, lines: Array<{ orderLineId: string; quantity: number }>): Promise<void> {
    if (!lines.length) return;
    await manager.query(
      `INSERT INTO return_lines (merchant_id, return_id, order_line_id, quantity)
       SELECT $1, $2, l.order_line_id, l.quantity FROM jsonb_to_recordset($3::jsonb) AS l(order_line_id uuid, quantity integer)`,
      [merchantId, returnId, JSON.stringify(lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity })))],
    );
  }

  async findForMerchant(manager: EntityManager, merchantId: string, id: string): Promise<ReturnRow | null> {
    const rows: ReturnRow[] = await manager.query('SELECT * FROM return_cases WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return rows[0] ?? null;
  }

  async statusOf(manager: EntityManager, id: string): Promise<ReturnStatus | null> {
    const rows: Array<{ status: ReturnStatus }> = await manager.query('SELECT status FROM return_cases WHERE id = $1', [id]);
    return rows[0]?.status ?? null;
  }

  async linesOf(ids: string[]): Promise<Map<string, ReturnLineRow[]>> {
    const out = new Map<string, ReturnLineRow[]>();
    if (!ids.length) return out;
    const rows: ReturnLineRow[] = await this.db.query(
      `SELECT rl.return_id, rl.order_line_id, ol.sku, ol.title, rl.quantity
         FROM return_lines rl JOIN order_lines ol ON ol.id = rl.order_line_id
        WHERE rl.return_id = ANY($1::uuid[]) ORDER BY ol.line_no`,
      [ids],
    );
    for (const r of rows) out.set(r.return_id, [...(out.get(r.return_id) ?? []), r]);
    return out;
  }

  async page(merchantId: string, q: ListReturnsQueryDto): Promise<Page<ReturnRow>> {
    const f = caseFilter(merchantId, q);
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.type) f.add('type = ?', q.type);
    if (q.reason) f.add('reason = ?', q.reason);
    return paginateSql<ReturnRow>(this.db, 'return_cases', f, q);
  }
}
