import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CountryCode } from 'libphonenumber-js';
import type { EntityManager, Repository } from 'typeorm';
import { applyFilter, caseFilter } from '../kernel/cases/case-filter.js';
import type { CaseListQuery } from '../kernel/cases/case-query.dto.js';
import { Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import { Order, OrderConfirmationCall } from './order.entity.js';
import type { OrderStatus } from './order-status.js';
import { FALLBACK_PHONE_REGION, phoneRegion, phoneSearchKeys, toE164 } from './phone.js';
import type { PlatformOrder, PlatformOrderLine, PlatformRefund } from './platform-order.js';

/** The order columns a platform snapshot writes (never status, version, due_at); phones in E.164 of `phoneRegion` beside the raw text. */
export function snapshotColumns(o: PlatformOrder, phoneRegion: CountryCode): Record<string, unknown> {
  return {
    order_number: o.orderNumber,
    payment_method: o.paymentMethod,
    platform_status: o.platformStatus,
    currency: o.currency,
    items_amount: o.amounts.items,
    discount_amount: o.amounts.discount,
    shipping_amount: o.amounts.shipping,
    tax_amount: o.amounts.tax,
    other_amount: o.amounts.other,
    total_amount: o.amounts.total,
    customer_name: o.customer.name,
    customer_phone: o.customer.phone,
    customer_phone_e164: toE164(o.customer.phone, phoneRegion),
    customer_email: o.customer.email,
    ship_country: o.shippingAddress.country,
    ship_province: o.shippingAddress.province,
    ship_city: o.shippingAddress.city,
    ship_district: o.shippingAddress.district,
    ship_address: o.shippingAddress.address,
    ship_postcode: o.shippingAddress.postcode,
    note: o.note,
    placed_at: o.placedAt,
    platform_updated_at: o.updatedAt,
  };
}

export interface OrderRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  status: OrderStatus;
  version: number;
  platform_updated_at: Date;
  content_hash: string | null;
  [column: string]: unknown;
}

export interface OrderListFilter extends CaseListQuery {
  q?: string;
}

/** Order queries, named by intent. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  /** Serialises all work on one platform order (deliveries of it may be processed concurrently). */
  async lockPlatformOrder(manager: EntityManager, shopId: string, platformOrderId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`order:${shopId}:${platformOrderId}`]);
  }

  /** Locks several platform orders at once, in a fixed order (two batches cannot deadlock). */
  async lockPlatformOrders(manager: EntityManager, shopId: string[], platformOrderIds: string[]): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended('order:' || s || ':' || p, 0) AS h FROM unnest($1::text[], $2::text[]) AS k(s, p) ORDER BY 1) AS x`,
      [shopId, platformOrderIds],
    );
  }

  /** Which of these (shop, platform order id) pairs have an order already, as `shopId:platformOrderId`. */
  async existingPlatformOrders(manager: EntityManager, shopIds: string[], platformOrderIds: string[]): Promise<Set<string>> {
    const rows: Array<{ shop_id: string; platform_order_id: string }> = await manager.query(
      `SELECT o.shop_id, o.platform_order_id FROM orders o JOIN unnest($1::uuid[], $2::text[]) AS k(s, p) ON o.shop_id = k.s AND o.platform_order_id = k.p`,
      [shopIds, platformOrderIds],
    );
    return new Set(rows.map((r) => `${r.shop_id}:${r.platform_order_id}`));
  }

  /** The lines of new orders (nothing to update or trim yet), one multi-row insert per chunk. */
  async insertNewLines(manager: EntityManager, orders: Array<{ merchantId: string; orderId: string; lines: PlatformOrderLine[] }>): Promise<void> {
    const all = orders.flatMap((o) => o.lines.map((l, i) => ({ o, l, lineNo: i + 1 })));
    const chunk = Math.floor(30_000 / 9);
    for (let k = 0; k < all.length; k += chunk) {
      const params: unknown[] = [];
      const values = all.slice(k, k + chunk).map(({ o, l, lineNo }, i) => {
        params.push(o.merchantId, o.orderId, lineNo, l.platformLineId, l.sku, l.title, l.quantity, l.unitPrice, l.amount);
        const b = i * 9;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
      });
      await manager.query(
        `INSERT INTO order_lines (merchant_id, order_id, line_no, platform_line_id, sku, title, quantity, unit_price, amount) VALUES ${values.join(', ')}`,
        params,
      );
    }
  }

  /** Refunds that arrived before their orders, for several new orders in one statement. */
  async linkPlatformRefundsMany(manager: EntityManager, orders: Array<{ shopId: string; platformOrderId: string; orderId: string }>): Promise<void> {
    if (!orders.length) return;
    await manager.query(
      `UPDATE platform_refunds r SET order_id = k.o FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS k(s, p, o)
        WHERE r.shop_id = k.s AND r.platform_order_id = k.p AND r.order_id IS NULL`,
      [orders.map((o) => o.shopId), orders.map((o) => o.platformOrderId), orders.map((o) => o.orderId)],
    );
  }

  async findRowByPlatformId(manager: EntityManager, shopId: string, platformOrderId: string): Promise<OrderRow | undefined> {
    const rows: OrderRow[] = await manager.query('SELECT * FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, platformOrderId]);
    return rows[0];
  }

  async statusOf(manager: EntityManager, orderId: string): Promise<OrderStatus> {
    const rows: Array<{ status: OrderStatus }> = await manager.query('SELECT status FROM orders WHERE id = $1', [orderId]);
    return rows[0].status;
  }

  /**
   * Applies a platform snapshot that is newer than the stored one, or as new with other content
   * (SPEC §5). With `bumpVersion` the version is bumped so that a staff action prepared on the older
   * data gets a 409 (without it the caller records the change through the engine, which bumps it).
   * Undefined when the stored row is newer or holds the same content.
   */
  async updateSnapshot(manager: EntityManager, orderId: string, columns: Record<string, unknown>, updatedAt: Date, bumpVersion: boolean): Promise<OrderRow | undefined> {
    const names = Object.keys(columns).filter((c) => c !== 'content_hash');
    const rows: unknown = await manager.query(
      `UPDATE orders SET ${names.map((c, i) => `${c} = $${i + 4}`).join(', ')}, content_hash = $3${bumpVersion ? ', version = version + 1' : ''}, updated_at = now()
        WHERE id = $1 AND (platform_updated_at < $2 OR (platform_updated_at = $2 AND content_hash IS DISTINCT FROM $3)) RETURNING *`,
      [orderId, updatedAt, columns.content_hash ?? null, ...names.map((c) => columns[c])],
    );
    // TypeORM's query() gives [rows, count] for UPDATE ... RETURNING
    const list = Array.isArray(rows) && rows.length === 2 && Array.isArray(rows[0]) ? (rows[0] as OrderRow[]) : (rows as OrderRow[]);
    return list[0];
  }

  /** A newer platform version that says nothing new: only the stored version moves (no version bump, no 409 for staff). */
  async advancePlatformVersion(manager: EntityManager, orderId: string, updatedAt: Date): Promise<void> {
    await manager.query('UPDATE orders SET platform_updated_at = $2 WHERE id = $1 AND platform_updated_at < $2', [orderId, updatedAt]);
  }

  /**
   * Writes the platform's lines by position, updating rows in place (returns and claims reference
   * them). Surplus lines are removed unless a case references them; then they stay.
   */
  async replaceLines(manager: EntityManager, merchantId: string, orderId: string, lines: PlatformOrderLine[]): Promise<void> {
    if (lines.length) {
      const params: unknown[] = [];
      const values = lines.map((l, i) => {
        params.push(merchantId, orderId, i + 1, l.platformLineId, l.sku, l.title, l.quantity, l.unitPrice, l.amount);
        const b = i * 9;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
      });
      await manager.query(
        `INSERT INTO order_lines (merchant_id, order_id, line_no, platform_line_id, sku, title, quantity, unit_price, amount) VALUES ${values.join(', ')}
         ON CONFLICT (order_id, line_no) DO UPDATE SET platform_line_id = EXCLUDED.platform_line_id, sku = EXCLUDED.sku, title = EXCLUDED.title,
           quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price, amount = EXCLUDED.amount`,
        params,
      );
    }
    await manager.query('SAVEPOINT order_lines_trim');
    try {
      await manager.query('DELETE FROM order_lines WHERE order_id = $1 AND line_no > $2', [orderId, lines.length]);
      await manager.query('RELEASE SAVEPOINT order_lines_trim');
    } catch (e) {
      if ((e as { code?: string }).code !== '23503') throw e; // referenced by a case: keep it
      await manager.query('ROLLBACK TO SAVEPOINT order_lines_trim');
    }
  }

  /** Records a platform refund once; true when it is new. Links it to the order when the order is known. */
  async insertPlatformRefundOnce(manager: EntityManager, merchantId: string, shopId: string, r: PlatformRefund): Promise<{ created: boolean; orderId: string | null }> {
    const rows: Array<{ order_id: string | null }> = await manager.query(
      `INSERT INTO platform_refunds (merchant_id, shop_id, order_id, platform_order_id, platform_refund_id, amount, currency, reason, refunded_at)
       VALUES ($1, $2, (SELECT id FROM orders WHERE shop_id = $2 AND platform_order_id = $3), $3, $4, $5, $6, $7, $8)
       ON CONFLICT (shop_id, platform_refund_id) DO NOTHING RETURNING order_id`,
      [merchantId, shopId, r.platformOrderId, r.platformRefundId, r.amount, r.currency, r.reason, r.refundedAt],
    );
    if (rows.length) return { created: true, orderId: rows[0].order_id };
    const found: Array<{ id: string }> = await manager.query('SELECT id FROM orders WHERE shop_id = $1 AND platform_order_id = $2', [shopId, r.platformOrderId]);
    return { created: false, orderId: found[0]?.id ?? null };
  }

  /** Refunds that arrived before their order. */
  async linkPlatformRefunds(manager: EntityManager, shopId: string, platformOrderId: string, orderId: string): Promise<void> {
    await manager.query('UPDATE platform_refunds SET order_id = $3 WHERE shop_id = $1 AND platform_order_id = $2 AND order_id IS NULL', [shopId, platformOrderId, orderId]);
  }

  async findForMerchant(merchantId: string, id: string): Promise<Order | null> {
    return isUuid(id) ? this.orders.findOne({ where: { id, merchantId } }) : null;
  }

  async findManyForMerchant(merchantId: string, ids: string[]): Promise<Order[]> {
    if (!ids.length) return [];
    return this.orders.createQueryBuilder('o').where('o.merchant_id = :m AND o.id IN (:...ids)', { m: merchantId, ids }).getMany();
  }

  async insertConfirmationCall(manager: EntityManager, c: { merchantId: string; orderId: string; staffId: string | null; outcome: string; note: string | null }): Promise<OrderConfirmationCall> {
    const rows: Array<{ id: string }> = await manager.query(
      'INSERT INTO order_confirmation_calls (merchant_id, order_id, staff_id, outcome, note) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [c.merchantId, c.orderId, c.staffId, c.outcome, c.note],
    );
    return manager.getRepository(OrderConfirmationCall).findOneByOrFail({ id: rows[0].id });
  }

  /**
   * The regions a phone typed without a country code may belong to: the countries of the merchant's
   * shops (from their timezones), and the default. A search finds the number however it is written.
   */
  private async phoneRegionsOf(merchantId: string, shopId?: string): Promise<Set<CountryCode>> {
    const rows: Array<{ timezone: string }> = await this.orders.manager.query(
      `SELECT DISTINCT timezone FROM shops WHERE merchant_id = $1 ${shopId ? 'AND id = $2' : ''}`,
      shopId ? [merchantId, shopId] : [merchantId],
    );
    return new Set([...rows.map((r) => phoneRegion(null, r.timezone)), FALLBACK_PHONE_REGION]);
  }

  /** Newest first; filters by shop, status, placement date, overdue, and one search box over order no., phone (any spelling) and tracking no. */
  async page(merchantId: string, f: OrderListFilter): Promise<Page<Order>> {
    const qb = applyFilter(this.orders.createQueryBuilder('o'), caseFilter(merchantId, f, { alias: 'o', dateColumn: 'placed_at' }));
    if (f.q) {
      const q = f.q.trim();
      const phones = phoneSearchKeys(q, await this.phoneRegionsOf(merchantId, f.shopId));
      qb.andWhere(
        `(o.order_number = :q OR o.order_number = :hashq OR o.platform_order_id = :q OR o.customer_phone = :q
          ${phones.length ? 'OR o.customer_phone_e164 IN (:...phones)' : ''}
          OR EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.tracking_no = :q))`,
        { q, hashq: q.startsWith('#') ? q.slice(1) : `#${q}`, phones },
      );
    }
    return paginate(qb, 'o', f);
  }
}
