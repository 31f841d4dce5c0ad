import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { type Caller, systemCaller } from '../kernel/auth/roles.js';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { formatMoney } from '../kernel/money/money.js';
import { OutboxService } from '../kernel/outbox/outbox.service.js';
import { mapPage, Page } from '../kernel/pagination/pagination.js';
import { allowedActions, type CaseRow } from '../kernel/state-machine/machine.js';
import { resolveOrderRef } from '../orders/order-ref.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import type { CreateGoodwillRefundDto } from './dto/create-refund.dto.js';
import type { RecordFailureDto, RecordManualDto, RetryRefundDto } from './dto/refund-actions.dto.js';
import type { ListRefundsQueryDto, RefundDetailDto, RefundResponseDto } from './dto/refund-response.dto.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { refundMachine } from './refund.machine.js';
import { toRefundResponse } from './refund.mapper.js';
import { lockRefundPairing, pairRefunds, repairRefundPairing } from '../orders/refund-pairing.js';
import { paidAmountOf, RefundRepository, type RefundRow } from './refund.repository.js';
import { RefundSourceRegistry } from './refund-sources.js';
import { EventsService } from '../events/events.service.js';
import { EventType } from '../events/event-types.js';
import { toRefundEventData } from './refund.mapper.js';
import { RefundExecutionState, RefundMethod, RefundSourceType, RefundStatus } from './refund-status.js';

export const REFUND_EXECUTE = 'refund.execute';

/** A refund to write: what it pays for, how much, and who asked. */
export interface NewRefund {
  orderId: string;
  /** Minor units, shipping included. */
  amount: number;
  shippingAmount?: number;
  sourceType: RefundSourceType;
  sourceId?: string | null;
  reason: string;
  responsibility?: string | null;
  /** Pay outside the platform; finance records it. */
  manual?: boolean;
  /** The agent the refund counts against in the refund rate (default: the caller). */
  agentId?: string | null;
  retryOf?: string | null;
  note?: string | null;
}

/**
 * Refuses a refund that would take pending + succeeded refunds of an order above what was paid.
 * Pure, so the invariant is unit- and property-tested apart from the database.
 */
export function throwIfOverRefund(p: { paid: number; committed: number; amount: number; currency: string; orderNumber: string }): void {
  if (p.paid <= 0) throw new RuleViolation(`order ${p.orderNumber} is not paid; there is nothing to refund`);
  if (p.committed + p.amount > p.paid) {
    const left = Math.max(p.paid - p.committed, 0);
    throw new RuleViolation(
      `refunding ${formatMoney(p.amount, p.currency)} ${p.currency} would bring the refunds of order ${p.orderNumber} to ` +
        `${formatMoney(p.committed + p.amount, p.currency)}, above the ${formatMoney(p.paid, p.currency)} paid ` +
        `(${formatMoney(left, p.currency)} left to refund)`,
      { paid: p.paid, alreadyRefunded: p.committed, requested: p.amount, refundable: left },
    );
  }
}

/** A platform method when the shop's refund channel is configured, otherwise finance pays by hand. */
export function refundMethodFor(platform: string, cfg: Record<string, unknown> | null, manual: boolean): RefundMethod {
  if (manual) return RefundMethod.Manual;
  const c = cfg ?? {};
  if (platform === 'shopify' && typeof c.accessToken === 'string' && c.accessToken) return RefundMethod.Shopify;
  if (platform === 'generic' && typeof c.refundWebhookUrl === 'string' && c.refundWebhookUrl) return RefundMethod.Webhook;
  return RefundMethod.Manual;
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as QueryFailedError & { driverError?: { code?: string; constraint?: string } };
  return e instanceof QueryFailedError && e.driverError?.code === '23505' && e.driverError?.constraint === constraint;
}

/** The refund ledger: writes refunds once, keeps the paid-amount invariant, settles them. */
@Injectable()
export class RefundLedgerService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: RefundRepository,
    private readonly engine: StateMachineEngine,
    private readonly outbox: OutboxService,
    private readonly timeline: TimelineService,
    private readonly sources: RefundSourceRegistry,
    private readonly events: EventsService,
  ) {}

  /**
   * Writes a pending refund inside the caller's transaction. The order row is locked first, so
   * concurrent requests for one order are checked one after another against the paid amount.
   */
  async create(manager: EntityManager, caller: Caller, input: NewRefund): Promise<RefundRow> {
    if (!isUuid(input.orderId)) throw new NotFound('order', input.orderId);
    const shipping = input.shippingAmount ?? 0;
    if (shipping > input.amount) {
      throw new InvalidInput('Validation failed', [{ field: 'shippingAmount', errors: ['shippingAmount must not exceed amount'] }]);
    }
    const order = await this.repo.lockOrderForRefund(manager, caller.merchantId, input.orderId);
    if (!order) throw new NotFound('order', input.orderId);
    const currency = order.currency.trim();
    throwIfOverRefund({
      paid: paidAmountOf(order),
      committed: await this.repo.sumCommittedForOrder(manager, order.id),
      amount: input.amount,
      currency,
      orderNumber: order.order_number,
    });
    const [shop]: Array<{ platform: string; platform_config: Record<string, unknown> | null }> = await manager.query(
      'SELECT platform, platform_config FROM shops WHERE id = $1',
      [order.shop_id],
    );
    const method = refundMethodFor(shop.platform, shop.platform_config, input.manual ?? false);
    const { row } = await this.engine.create(
      refundMachine,
      caller,
      {
        shop_id: order.shop_id,
        order_id: order.id,
        amount: input.amount,
        shipping_amount: shipping,
        currency,
        source_type: input.sourceType,
        source_id: input.sourceId ?? null,
        reason: input.reason,
        responsibility: input.responsibility ?? null,
        method,
        execution_state: method === RefundMethod.Manual ? RefundExecutionState.Manual : RefundExecutionState.Queued,
        requested_by: caller.staffId ?? null,
        agent_id: input.agentId !== undefined ? input.agentId : (caller.staffId ?? null),
        retry_of: input.retryOf ?? null,
      },
      { status: RefundStatus.Pending, manager, note: input.note ?? null, data: { amount: input.amount, currency, method, source: input.sourceType } },
    );
    if (method !== RefundMethod.Manual) {
      // Executed after commit by the outbox dispatcher; one message per refund, whatever happens.
      await this.outbox.enqueue(manager, { merchantId: caller.merchantId, kind: REFUND_EXECUTE, target: order.shop_id, dedupeKey: String(row.id), payload: { refundId: row.id } });
    }
    // SPEC §12: paired with the platform's side as it is written, not when a report runs.
    await pairRefunds(manager, { shopId: order.shop_id, platformOrderId: order.platform_order_id });
    return row as unknown as RefundRow;
  }

  async createGoodwill(caller: Caller, dto: CreateGoodwillRefundDto): Promise<RefundResponseDto> {
    const row = await this.db.transaction(async (m) =>
      this.create(m, caller, {
        orderId: await resolveOrderRef(m, caller.merchantId, dto.orderId),
        amount: dto.amount,
        shippingAmount: dto.shippingAmount,
        sourceType: RefundSourceType.Goodwill,
        reason: dto.reason,
        manual: dto.manual,
        agentId: null,
      }),
    );
    return toRefundResponse(row);
  }

  /** A failed refund is retried by a new row for the same money; the failed row stays as it was. */
  async retry(caller: Caller, id: string, dto: RetryRefundDto): Promise<RefundResponseDto> {
    try {
      const row = await this.db.transaction(async (m) => {
        const failed = await this.mustFind(m, caller.merchantId, id);
        if (failed.status !== RefundStatus.Failed) {
          throw new Conflict(`Cannot retry a refund in status ${failed.status}; only a failed refund may be retried`, { status: failed.status });
        }
        const retriedBy = await this.repo.findRetryOf(m, failed.id);
        if (retriedBy) throw new Conflict(`refund ${id} was already retried by refund ${retriedBy}`, { retriedBy });
        return this.create(m, caller, {
          orderId: failed.order_id,
          amount: Number(failed.amount),
          shippingAmount: Number(failed.shipping_amount),
          sourceType: failed.source_type,
          sourceId: failed.source_id,
          reason: failed.reason,
          responsibility: failed.responsibility,
          manual: failed.method === RefundMethod.Manual,
          agentId: failed.agent_id,
          retryOf: failed.id,
          note: dto.note ?? null,
        });
      });
      return toRefundResponse(row);
    } catch (err) {
      if (isUniqueViolation(err, 'refunds_retry_uq')) throw new Conflict(`refund ${id} was already retried`);
      throw err;
    }
  }

  /** The platform confirmed the refund: final, and the source case follows in the same transaction. */
  async markSucceeded(merchantId: string, id: string, platformRefundId: string | null): Promise<RefundRow> {
    return this.settle(merchantId, id, platformRefundId, async (m) => {
      const r = await this.engine.fire(refundMachine, id, 'succeed', systemCaller(merchantId), { manager: m, input: { platformRefundId } });
      return this.finished(m, r.row as unknown as RefundRow);
    });
  }

  async markFailed(merchantId: string, id: string, reason: string): Promise<RefundRow> {
    return this.settle(merchantId, id, null, async (m) => {
      const r = await this.engine.fire(refundMachine, id, 'fail', systemCaller(merchantId), { manager: m, input: { reason }, note: reason.slice(0, 500) });
      return this.finished(m, r.row as unknown as RefundRow);
    });
  }

  async recordManual(caller: Caller, id: string, dto: RecordManualDto): Promise<RefundResponseDto> {
    const row = await this.settle(caller.merchantId, id, null, async (m) => {
      const r = await this.engine.fire(refundMachine, id, 'record-manual', caller, { manager: m, input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
      return this.finished(m, r.row as unknown as RefundRow);
    });
    return toRefundResponse(row);
  }

  async recordFailure(caller: Caller, id: string, dto: RecordFailureDto): Promise<RefundResponseDto> {
    const row = await this.settle(caller.merchantId, id, null, async (m) => {
      const r = await this.engine.fire(refundMachine, id, 'record-failure', caller, { manager: m, input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
      return this.finished(m, r.row as unknown as RefundRow);
    });
    return toRefundResponse(row);
  }

  /**
   * Every way a refund becomes final passes here, once per refund (the machine leaves `pending`
   * once): the source case follows and `refund.succeeded` / `refund.failed` is queued for the
   * merchant's endpoints, all in the transaction of the status write (SPEC §4).
   */
  private async finished(m: EntityManager, row: RefundRow): Promise<RefundRow> {
    const succeeded = row.status === RefundStatus.Succeeded;
    await (succeeded ? this.sources.succeeded(m, row) : this.sources.failed(m, row));
    const at = (succeeded ? row.succeeded_at : row.failed_at) ?? new Date();
    await this.events.publish(m, row.merchant_id, succeeded ? EventType.RefundSucceeded : EventType.RefundFailed, toRefundEventData(row), new Date(at));
    return row;
  }

  /**
   * A refund leaving `pending` (and perhaps learning its platform id) changes how it pairs with the
   * platform's refunds. The pairing lock is taken before the refund row is touched: a concurrent
   * platform refund of the same order waits for this transaction, never the other way round.
   */
  private settle(merchantId: string, id: string, platformRefundId: string | null, fire: (m: EntityManager) => Promise<RefundRow>): Promise<RefundRow> {
    return this.db.transaction(async (m) => {
      const scope = isUuid(id) ? await this.repo.pairingScopeOf(m, merchantId, id) : null;
      if (!scope) return fire(m); // the engine answers 404
      await lockRefundPairing(m, { ...scope, platformRefundIds: [scope.platformRefundId, platformRefundId] });
      const row = await fire(m);
      await repairRefundPairing(m, scope);
      return row;
    });
  }

  async get(caller: Caller, id: string): Promise<RefundDetailDto> {
    const row = await this.mustFind(this.db.manager, caller.merchantId, id);
    const actions = allowedActions(refundMachine, row as unknown as CaseRow, caller);
    if (row.status === RefundStatus.Failed) actions.push('retry');
    return {
      ...toRefundResponse(row),
      timeline: (await this.timeline.listFor(caller.merchantId, refundMachine.name, id)).map(toTimelineEntryDto),
      allowedActions: actions,
    };
  }

  async list(caller: Caller, q: ListRefundsQueryDto): Promise<Page<RefundResponseDto>> {
    return mapPage(await this.repo.page(caller.merchantId, q), toRefundResponse);
  }

  private async mustFind(manager: EntityManager, merchantId: string, id: string): Promise<RefundRow> {
    const row = isUuid(id) ? await this.repo.findForMerchant(manager, merchantId, id) : null;
    if (!row) throw new NotFound('refund', id);
    return row;
  }
}
