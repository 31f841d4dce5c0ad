import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type Page, paginateSql, SqlFilter } from '../kernel/pagination/pagination.js';
import type { ListRefundsQueryDto } from './dto/refund-response.dto.js';
import { RefundExecutionState, RefundMethod, RefundSourceType, RefundStatus } from './refund-status.js';

/** A refunds row as PostgreSQL returns it (bigint columns arrive as strings). */
export interface RefundRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string;
  status: RefundStatus;
  version: number;
  due_at: Date | null;
  amount: string | number;
  shipping_amount: string | number;
  currency: string;
  source_type: RefundSourceType;
  source_id: string | null;
  reason: string;
  responsibility: string | null;
  method: RefundMethod;
  execution_state: RefundExecutionState;
  execution_lease_until: Date | null;
  execution_attempts: number;
  platform_refund_id: string | null;
  external_reference: string | null;
  failure_reason: string | null;
  retry_of: string | null;
  requested_by: string | null;
  agent_id: string | null;
  succeeded_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** The platform refund it is paired with (refund-pairing.ts). */
  matched_platform_refund_id: string | null;
  /** matched, amount_mismatch, missing_on_platform; null once failed (not reconciled). */
  match_result: string | null;
}

/** The order as the ledger needs it, read under a row lock. */
export interface OrderForRefund {
  id: string;
  shop_id: string;
  order_number: string;
  platform_order_id: string;
  currency: string;
  total_amount: string | number;
  status: string;
  paid_at: Date | null;
}

/** What the order's customer actually paid: nothing before payment, the total after. */
export function paidAmountOf(order: Pick<OrderForRefund, 'total_amount' | 'status' | 'paid_at'>): number {
  const paid = order.paid_at !== null || (order.status !== 'pending_payment' && order.status !== 'cancelled');
  return paid ? Number(order.total_amount) : 0;
}

function rows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

@Injectable()
export class RefundRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Locks the order row: refund creation for one order is serialised here, so the sum checked
   * below cannot be outdated by a concurrent request before this transaction commits.
   */
  async lockOrderForRefund(manager: EntityManager, merchantId: string, orderId: string): Promise<OrderForRefund | null> {
    const found: OrderForRefund[] = await manager.query(
      `SELECT id, shop_id, order_number, platform_order_id, currency, total_amount, status, paid_at
         FROM orders WHERE id = $1 AND merchant_id = $2 FOR UPDATE`,
      [orderId, merchantId],
    );
    return found[0] ?? null;
  }

  /** Pending plus succeeded refunds of an order: what is already promised or paid back. */
  async sumCommittedForOrder(manager: EntityManager, orderId: string): Promise<number> {
    const [r]: Array<{ total: string }> = await manager.query(
      `SELECT COALESCE(sum(amount), 0)::text AS total FROM refunds WHERE order_id = $1 AND status IN ($2, $3)`,
      [orderId, RefundStatus.Pending, RefundStatus.Succeeded],
    );
    return Number(r.total);
  }

  /** The shop and platform order a refund pairs within (refund-pairing.ts), with its platform id so far. */
  async pairingScopeOf(manager: EntityManager, merchantId: string, id: string): Promise<{ shopId: string; platformOrderId: string; platformRefundId: string | null } | null> {
    const found: Array<{ shop_id: string; platform_order_id: string; platform_refund_id: string | null }> = await manager.query(
      'SELECT r.shop_id, o.platform_order_id, r.platform_refund_id FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.id = $1 AND r.merchant_id = $2',
      [id, merchantId],
    );
    return found[0] ? { shopId: found[0].shop_id, platformOrderId: found[0].platform_order_id, platformRefundId: found[0].platform_refund_id } : null;
  }

  async findForMerchant(manager: EntityManager, merchantId: string, id: string): Promise<RefundRow | null> {
    const found: RefundRow[] = await manager.query('SELECT * FROM refunds WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    return found[0] ?? null;
  }

  /** The refund that retried a failed one, if any. */
  async findRetryOf(manager: EntityManager, failedId: string): Promise<string | null> {
    const found: Array<{ id: string }> = await manager.query('SELECT id FROM refunds WHERE retry_of = $1', [failedId]);
    return found[0]?.id ?? null;
  }

  async findById(id: string): Promise<RefundRow | null> {
    const found: RefundRow[] = await this.db.query('SELECT * FROM refunds WHERE id = $1', [id]);
    return found[0] ?? null;
  }

  async listBySource(merchantId: string, sourceType: RefundSourceType, sourceId: string, manager: EntityManager = this.db.manager): Promise<RefundRow[]> {
    return manager.query(
      'SELECT * FROM refunds WHERE merchant_id = $1 AND source_type = $2 AND source_id = $3 ORDER BY created_at, id',
      [merchantId, sourceType, sourceId],
    );
  }

  async page(merchantId: string, q: ListRefundsQueryDto): Promise<Page<RefundRow>> {
    const f = new SqlFilter('merchant_id = ?', merchantId);
    if (q.shopId) f.add('shop_id = ?', q.shopId);
    if (q.orderId) f.add('order_id = ?', q.orderId);
    if (q.status) f.add('status = ?', q.status);
    if (q.sourceType) f.add('source_type = ?', q.sourceType);
    if (q.sourceId) f.add('source_id = ?', q.sourceId);
    return paginateSql<RefundRow>(this.db, 'refunds', f, q);
  }

  /**
   * Compare-and-set claim of a refund's execution: only one executor at a time, and never once
   * the refund is final. A claim whose lease ran out (a crashed executor) may be taken over.
   */
  async claimExecution(id: string, leaseSeconds: number): Promise<RefundRow | null> {
    const claimed = rows<RefundRow>(
      await this.db.query(
        `UPDATE refunds SET execution_state = $2, execution_attempts = execution_attempts + 1,
                execution_lease_until = now() + make_interval(secs => $3), updated_at = now()
          WHERE id = $1 AND status = $4 AND method <> $5
            AND (execution_state = $6 OR (execution_state = $2 AND execution_lease_until < now()))
          RETURNING *`,
        [id, RefundExecutionState.Executing, leaseSeconds, RefundStatus.Pending, RefundMethod.Manual, RefundExecutionState.Queued],
      ),
    );
    return claimed[0] ?? null;
  }

  /** Gives the claim back after a transient failure, so the next attempt can take it. */
  async releaseExecution(id: string): Promise<void> {
    await this.db.query(
      `UPDATE refunds SET execution_state = $2, execution_lease_until = NULL, updated_at = now() WHERE id = $1 AND execution_state = $3 AND status = $4`,
      [id, RefundExecutionState.Queued, RefundExecutionState.Executing, RefundStatus.Pending],
    );
  }

  /** Order and shop facts the platform call needs. */
  async executionContext(id: string): Promise<ExecutionContextRow | null> {
    const found: ExecutionContextRow[] = await this.db.query(
      `SELECT o.platform_order_id, o.order_number, s.platform, s.platform_config, s.webhook_secret
         FROM refunds r JOIN orders o ON o.id = r.order_id JOIN shops s ON s.id = r.shop_id WHERE r.id = $1`,
      [id],
    );
    return found[0] ?? null;
  }
}

export interface ExecutionContextRow {
  platform_order_id: string;
  order_number: string;
  platform: string;
  platform_config: Record<string, unknown>;
  webhook_secret: string;
}
