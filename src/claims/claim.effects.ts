import { Injectable } from '@nestjs/common';
import { EventsService } from '../events/events.service.js';
import { EventType } from '../events/event-types.js';
import type { Effect, TransitionContext } from '../kernel/state-machine/machine.js';
import { RefundLedgerService } from '../refunds/refund-ledger.service.js';
import { RefundSourceType } from '../refunds/refund-status.js';
import { affectedLinesOf } from './claim-resolution.js';
import { ReshipOrdersService } from '../orders/reship-orders.service.js';
import { AuditErrorKind, type ClaimType, FAULT_TYPES, InventoryDirection, Resolution, type Responsibility, SEVERITY_OF } from './claim-status.js';
import { ClaimsRepository, type ClaimRow } from './claims.repository.js';
import type { ResolveClaimDto } from './dto/claim-actions.dto.js';

/** The side effects `resolve` names, each doing its part when the resolution (or the type) calls for it. */
@Injectable()
export class ClaimEffects {
  constructor(
    private readonly ledger: RefundLedgerService,
    private readonly repo: ClaimsRepository,
    private readonly events: EventsService,
    private readonly reships: ReshipOrdersService,
  ) {}

  all(): Record<string, Effect> {
    return {
      writeRefund: (ctx, row) => this.writeRefund(ctx, row as unknown as ClaimRow),
      createReshipOrder: (ctx, row) => this.createReshipOrder(ctx, row as unknown as ClaimRow),
      promiseGift: (ctx, row) => this.promiseGift(ctx, row as unknown as ClaimRow),
      recordFault: (ctx, row) => this.recordFault(ctx, row as unknown as ClaimRow),
    };
  }

  /** [002 如产生退款需登记退款金额] the refund goes through the ledger (422 above what is left of the order); its success adds to the cost. */
  private async writeRefund(ctx: TransitionContext, row: ClaimRow): Promise<void> {
    const i = ctx.input as ResolveClaimDto;
    if (i.resolution !== Resolution.Refund) return;
    await this.ledger.create(ctx.manager, ctx.caller, {
      orderId: row.order_id,
      amount: Number(row.refund_amount),
      sourceType: RefundSourceType.Claim,
      sourceId: row.id,
      reason: row.loss_share_bp ? `${row.type}: ${row.loss_share_bp / 100} % of the affected goods` : `${row.type} claim`,
      manual: i.manual,
      agentId: row.assignee_id ?? ctx.caller.staffId ?? null,
    });
  }

  /** [002 承诺客户补发 → 建立补发货订单] the linked reship order; its goods cost and freight are already on the claim. */
  private async createReshipOrder(ctx: TransitionContext, row: ClaimRow): Promise<void | Record<string, unknown>> {
    const i = ctx.input as ResolveClaimDto;
    if (i.resolution !== Resolution.Reship) return;
    // Only the affected lines and quantities go out again.
    const lines: Array<{ order_line_id: string; quantity: number }> = await ctx.manager.query('SELECT order_line_id, quantity FROM claim_lines WHERE claim_id = $1', [row.id]);
    const created = await this.reships.createReship(ctx.manager, {
      merchantId: row.merchant_id,
      orderId: row.order_id,
      reason: `claim ${row.id}: ${row.type}`,
      sourceId: row.id,
      caller: ctx.caller,
      now: ctx.now,
      carrier: i.carrier ?? null,
      lines: lines.map((l) => ({ orderLineId: l.order_line_id, quantity: Number(l.quantity) })),
      cost: (i.reshipCost ?? 0) + (i.freightCost ?? 0),
      data: { claimId: row.id },
    });
    return { reship_order_id: created.id };
  }

  /** [002 下次以赠品补偿] a gift the customer's next order carries, recognised by the phone number. */
  private async promiseGift(ctx: TransitionContext, row: ClaimRow): Promise<void> {
    const i = ctx.input as ResolveClaimDto;
    if (i.resolution !== Resolution.GiftNextOrder) return;
    const order = await this.repo.orderForClaim(ctx.manager, row.merchant_id, row.order_id);
    await this.repo.insertGift(ctx.manager, {
      merchantId: row.merchant_id,
      claimId: row.id,
      sourceOrderId: row.order_id,
      phone: order!.customer_phone_e164!,
      giftCost: i.giftCost ?? 0,
      currency: row.currency.trim(),
      note: i.giftNote ?? null,
    });
  }

  /**
   * [002 三 错发漏发: 通告责任人 → 错漏登记 → 修正库存] wrong and missing goods leave an audit-error entry for
   * the KPI sheet and the stock corrections (also sent to the merchant's stock system as an event).
   */
  private async recordFault(ctx: TransitionContext, row: ClaimRow): Promise<void> {
    if (!FAULT_TYPES.includes(row.type as ClaimType)) return;
    const i = ctx.input as ResolveClaimDto;
    const kind = i.auditErrorKind ?? AuditErrorKind.WrongGoods;
    await this.repo.insertAuditError(ctx.manager, {
      merchantId: row.merchant_id,
      staffId: row.responsible_staff_id!,
      claimId: row.id,
      responsibility: row.responsibility as Responsibility,
      severity: SEVERITY_OF[kind],
      kind,
      at: ctx.now,
    });
    // By default the affected goods never left the shelf: the books took them out, so they go back in.
    const corrections =
      i.inventoryCorrections ??
      (await affectedLinesOf(ctx.manager, row.id)).map((l) => ({ sku: l.sku as string, quantity: l.quantity, direction: InventoryDirection.In }));
    const written = await this.repo.insertInventoryCorrections(ctx.manager, { merchantId: row.merchant_id, shopId: row.shop_id, claimId: row.id, at: ctx.now }, corrections);
    await this.events.publish(
      ctx.manager,
      row.merchant_id,
      EventType.InventoryCorrected,
      {
        claimId: row.id,
        orderId: row.order_id,
        shopId: row.shop_id,
        corrections: written.map((c) => ({ id: c.id, sku: c.sku, quantity: c.quantity, direction: c.direction })),
      },
      ctx.now,
    );
  }
}
