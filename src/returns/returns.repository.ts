import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { OrderForRefund } from '../refunds/refund.repository.js';
import type { ListReturnsQueryDto } from './dto/return-response.dto.js';
import type { ReceiptLine } from './return-receipt.js';
import type { AddressableLine } from './return-lines.js';
import type { InspectionResult, PlatformDecision, PlatformDecisionState, ReturnReason, ReturnSource, ReturnStatus, ReturnType } from './return-status.js';

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
  close_reason: string | null;
  source: ReturnSource;
  platform_return_id: string | null;
  platform_decision: PlatformDecision | null;
  platform_decision_state: PlatformDecisionState | null;
  platform_decision_error: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReturnLineRow {
  id: string;
  return_id: string;
  order_line_id: string;
  line_no: number;
  platform_line_id: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  reason: ReturnReason;
  platform_return_line_id: string | null;
  customer_note: string | null;
  restocked: number;
  damaged: number;
  missing: number | null;
}

export interface OrderLineForReturn extends AddressableLine {
  unit_price: number;
}

/** A return line to write: the order line (resolved), how many, why. */
export interface NewReturnLine {
  orderLineId: string;
  quantity: number;
  reason: ReturnReason;
  /** The platform's own id of the return line (Shopify ReturnLineItem), for platform-initiated returns. */
  platformLineId?: string | null;
  customerNote?: string | null;
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
    const lines: OrderLineForReturn[] = await manager.query(
      'SELECT id, line_no, platform_line_id, title, quantity, unit_price FROM order_lines WHERE order_id = $1 ORDER BY line_no',
      [orderId],
    );
    return { order: orders[0], lines: lines.map((l) => ({ ...l, quantity: Number(l.quantity), unit_price: Number(l.unit_price) })) };
  }

  async staffExists(manager: EntityManager, merchantId: string, staffId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [staffId, merchantId]);
    return rows.length > 0;
  }

  async insertLines(manager: EntityManager, merchantId: string, returnId: string, lines: NewReturnLine[]): Promise<void> {
    if (!lines.length) return;
    await manager.query(
      `INSERT INTO return_lines (merchant_id, return_id, order_line_id, quantity, reason, platform_line_id, customer_note)
       SELECT $1, $2, l.order_line_id, l.quantity, l.reason, l.platform_line_id, l.customer_note
         FROM jsonb_to_recordset($3::jsonb) AS l(order_line_id uuid, quantity integer, reason text, platform_line_id text, customer_note text)`,
      [
        merchantId,
        returnId,
        JSON.stringify(
          lines.map((l) => ({
            order_line_id: l.orderLineId, quantity: l.quantity, reason: l.reason, platform_line_id: l.platformLineId ?? null, customer_note: l.customerNote ?? null,
          })),
        ),
      ],
    );
  }

  /** Writes what a receive made of the lines, in the transition's transaction. */
  async recordReceipt(manager: EntityManager, returnId: string, lines: readonly ReceiptLine[]): Promise<void> {
    await manager.query(
      `UPDATE return_lines rl SET restocked = r.restocked, damaged = r.damaged, missing = r.missing
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, restocked integer, damaged integer, missing integer)
        WHERE rl.id = r.id AND rl.return_id = $1`,
      [returnId, JSON.stringify(lines.map((l) => ({ id: l.returnLineId, restocked: l.restocked, damaged: l.damaged, missing: l.missing })))],
    );
  }

  /** Serialises the deliveries of one platform return (a retry racing the original). */
  async lockPlatformReturn(manager: EntityManager, shopId: string, platformReturnId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`return:${shopId}:${platformReturnId}`]);
  }

  async orderIdByPlatformId(manager: EntityManager, shopId: string, platformOrderId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]);
    return rows[0]?.id ?? null;
  }

  /** The case a platform return request opened, if any. */
  async findByPlatformReturn(manager: EntityManager, shopId: string, platformReturnId: string): Promise<{ id: string; status: ReturnStatus } | null> {
    const rows: Array<{ id: string; status: ReturnStatus }> = await manager.query(
      'SELECT id, status FROM return_cases WHERE shop_id = $1 AND platform_return_id = $2',
      [shopId, platformReturnId],
    );
    return rows[0] ?? null;
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
      `SELECT rl.id, rl.return_id, rl.order_line_id, ol.line_no, ol.platform_line_id, ol.sku, ol.title, rl.quantity, rl.reason,
              rl.platform_line_id AS platform_return_line_id, rl.customer_note, rl.restocked, rl.damaged, rl.missing
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
