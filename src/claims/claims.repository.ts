import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { type Page, paginateSql } from '../kernel/pagination/pagination.js';
import type { ResolvedLine } from './claim-lines.js';
import type {
  AuditErrorKind, AuditErrorSeverity, ClaimStatus, ClaimType, GiftStatus, InventoryDirection, RecoveryOutcome, Resolution, Responsibility,
} from './claim-status.js';
import type { ListClaimsQueryDto } from './dto/claim-response.dto.js';

/** A claims row (snake_case, as the engine and the queries see it). */
export interface ClaimRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string;
  status: ClaimStatus;
  version: number;
  due_at: Date | null;
  assignee_id: string | null;
  cost: string | number;
  recovered: string | number;
  type: ClaimType;
  currency: string;
  tracking_no: string | null;
  carrier: string | null;
  description: string | null;
  reported_at: Date;
  evidence_received_at: Date | null;
  suspected_reuse_of: string | null;
  authentic: boolean | null;
  responsibility: Responsibility | null;
  responsible_staff_id: string | null;
  shipped_weight_grams: number | null;
  expected_weight_grams: number | null;
  verified_by: string | null;
  verified_at: Date | null;
  reject_reason: string | null;
  resolution: Resolution | null;
  loss_share_bp: number | null;
  refund_amount: string | number | null;
  reship_order_id: string | null;
  reship_cost: string | number | null;
  freight_cost: string | number | null;
  gift_cost: string | number | null;
  gift_note: string | null;
  resolved_at: Date | null;
  carrier_claim_amount: string | number | null;
  carrier_claim_reference: string | null;
  carrier_claimed_at: Date | null;
  recovery_outcome: RecoveryOutcome | null;
  closed_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ClaimLineRow {
  claim_id: string;
  order_line_id: string;
  line_no: number;
  platform_line_id: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string | number;
}

export interface AuditErrorRow {
  id: string;
  staff_id: string;
  responsibility: Responsibility;
  severity: AuditErrorSeverity;
  kind: AuditErrorKind;
  at: Date;
}

export interface InventoryCorrectionRow {
  id: string;
  sku: string;
  quantity: number;
  direction: InventoryDirection;
  at: Date;
}

export interface GiftRow {
  id: string;
  merchant_id: string;
  claim_id: string;
  source_order_id: string;
  customer_phone_e164: string;
  gift_cost: string | number;
  currency: string;
  note: string | null;
  status: GiftStatus;
  given_order_id: string | null;
  given_at: Date | null;
  created_at: Date;
}

export interface OrderForClaim {
  id: string;
  shop_id: string;
  order_number: string;
  currency: string;
  customer_phone_e164: string | null;
}

/** Claims, their lines and what their resolution leaves behind, in intent-named queries. */
@Injectable()
export class ClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async orderForClaim(m: EntityManager, merchantId: string, orderId: string): Promise<OrderForClaim | null> {
    const rows: OrderForClaim[] = await m.query(
      'SELECT id, shop_id, order_number, currency, customer_phone_e164 FROM orders WHERE id = $1 AND merchant_id = $2',
      [orderId, merchantId],
    );
    return rows[0] ?? null;
  }

  /** The parcel the goods came in: the order's latest shipment. */
  async latestShipmentOf(m: EntityManager, orderId: string): Promise<{ carrier: string; tracking_no: string } | null> {
    const rows: Array<{ carrier: string; tracking_no: string }> = await m.query(
      'SELECT carrier, tracking_no FROM shipments WHERE order_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
      [orderId],
    );
    return rows[0] ?? null;
  }

  async insertLines(m: EntityManager, merchantId: string, claimId: string, lines: ResolvedLine[]): Promise<void> {
    await m.query(
      `INSERT INTO claim_lines (merchant_id, claim_id, order_line_id, quantity)
       SELECT $1, $2, l.order_line_id, l.quantity FROM jsonb_to_recordset($3::jsonb) AS l(order_line_id uuid, quantity integer)`,
      [merchantId, claimId, JSON.stringify(lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity })))],
    );
  }

  async findForMerchant(m: EntityManager, merchantId: string, id: string): Promise<ClaimRow | null> {
    const rows: ClaimRow[] = await m.query('SELECT * FROM claims WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return rows[0] ?? null;
  }

  async statusOf(m: EntityManager, id: string): Promise<ClaimStatus | null> {
    const rows: Array<{ status: ClaimStatus }> = await m.query('SELECT status FROM claims WHERE id = $1', [id]);
    return rows[0]?.status ?? null;
  }

  async linesOf(ids: string[]): Promise<Map<string, ClaimLineRow[]>> {
    const out = new Map<string, ClaimLineRow[]>();
    if (!ids.length) return out;
    const rows: ClaimLineRow[] = await this.db.query(
      `SELECT cl.claim_id, cl.order_line_id, ol.line_no, ol.platform_line_id, ol.sku, ol.title, cl.quantity, ol.unit_price
         FROM claim_lines cl JOIN order_lines ol ON ol.id = cl.order_line_id
        WHERE cl.claim_id = ANY($1::uuid[]) ORDER BY ol.line_no`,
      [ids],
    );
    for (const r of rows) out.set(r.claim_id, [...(out.get(r.claim_id) ?? []), r]);
    return out;
  }

  async insertAuditError(m: EntityManager, e: { merchantId: string; staffId: string; claimId: string; responsibility: Responsibility; severity: AuditErrorSeverity; kind: AuditErrorKind; at: Date }): Promise<void> {
    await m.query(
      `INSERT INTO audit_errors (merchant_id, staff_id, claim_id, responsibility, severity, kind, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.merchantId, e.staffId, e.claimId, e.responsibility, e.severity, e.kind, e.at],
    );
  }

  async insertInventoryCorrections(
    m: EntityManager,
    c: { merchantId: string; shopId: string; claimId: string; at: Date },
    rows: Array<{ sku: string; quantity: number; direction: InventoryDirection }>,
  ): Promise<InventoryCorrectionRow[]> {
    return m.query(
      `INSERT INTO inventory_corrections (merchant_id, shop_id, claim_id, sku, quantity, direction, at)
       SELECT $1, $2, $3, r.sku, r.quantity, r.direction, $4 FROM jsonb_to_recordset($5::jsonb) AS r(sku text, quantity integer, direction text)
       RETURNING id, sku, quantity, direction, at`,
      [c.merchantId, c.shopId, c.claimId, c.at, JSON.stringify(rows)],
    );
  }

  async auditErrorsOf(claimId: string): Promise<AuditErrorRow[]> {
    return this.db.query('SELECT id, staff_id, responsibility, severity, kind, at FROM audit_errors WHERE claim_id = $1 ORDER BY at, id', [claimId]);
  }

  async inventoryCorrectionsOf(claimId: string): Promise<InventoryCorrectionRow[]> {
    return this.db.query('SELECT id, sku, quantity, direction, at FROM inventory_corrections WHERE claim_id = $1 ORDER BY at, sku, id', [claimId]);
  }

  async insertGift(m: EntityManager, g: { merchantId: string; claimId: string; sourceOrderId: string; phone: string; giftCost: number; currency: string; note: string | null }): Promise<void> {
    await m.query(
      `INSERT INTO customer_gifts (merchant_id, claim_id, source_order_id, customer_phone_e164, gift_cost, currency, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [g.merchantId, g.claimId, g.sourceOrderId, g.phone, g.giftCost, g.currency, g.note],
    );
  }

  async giftOf(claimId: string): Promise<GiftRow | null> {
    const rows: GiftRow[] = await this.db.query('SELECT * FROM customer_gifts WHERE claim_id = $1', [claimId]);
    return rows[0] ?? null;
  }

  /**
   * Marks the customer's pending gifts as given with `order` and returns them, locked, once: a
   * gift promised on an order goes with the customer's next order, not that one (nor a reship).
   */
  async giveGiftsWith(m: EntityManager, order: { id: string; merchant_id: string; customer_phone_e164: string }, at: Date): Promise<GiftRow[]> {
    return m.query(
      `UPDATE customer_gifts SET status = 'given', given_order_id = $3, given_at = $4
        WHERE merchant_id = $1 AND customer_phone_e164 = $2 AND status = 'pending' AND source_order_id <> $3
       RETURNING *`,
      [order.merchant_id, order.customer_phone_e164, order.id, at],
    ).then((r: unknown) => (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) ? (r[0] as GiftRow[]) : (r as GiftRow[])));
  }

  async page(merchantId: string, q: ListClaimsQueryDto): Promise<Page<ClaimRow>> {
    const f = caseFilter(merchantId, q, { dateColumn: 'reported_at' });
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.type?.length) f.add('type = ANY(CAST(? AS text[]))', q.type);
    if (q.suspectedReuse === true) f.raw('suspected_reuse_of IS NOT NULL');
    if (q.suspectedReuse === false) f.raw('suspected_reuse_of IS NULL');
    return paginateSql<ClaimRow>(this.db, 'claims', f, q);
  }
}
