import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { systemCaller } from '../kernel/auth/roles.js';
import { DomainError } from '../kernel/errors/domain-errors.js';
import { addHours } from '../kernel/time/business-clock.js';
import { DEFAULT_RESPOND_HOURS, type PlatformReturnRequest } from './platform-return.js';
import { resolveReturnLines } from './return-lines.js';
import { ReturnReason, ReturnType } from './return-status.js';
import { ReturnsRepository } from './returns.repository.js';
import { ReturnsService } from './returns.service.js';

/** The inbox delivery a platform request came in. */
export interface DeliveryRef {
  inboxId: string;
  topic: string;
  deliveryId: string;
}

export interface PlatformReturnResult {
  /** `return_opened`; `return_duplicate` (this platform return already has its case); `return_refused` (cannot be applied as sent: see reason). */
  outcome: 'return_opened' | 'return_duplicate' | 'return_refused';
  returnId: string | null;
  orderId: string | null;
  reason?: string;
  [key: string]: unknown;
}

/**
 * SPEC §7 platform-initiated returns: a platform's return request opens one return case per
 * (shop, platform return id), due at the platform's deadline. Runs in the webhook processor's
 * transaction; what cannot be applied as sent (an order or line not known here) is refused with a
 * reason and changes nothing, so the delivery can be replayed once the order has arrived.
 */
@Injectable()
export class PlatformReturnsService {
  constructor(
    private readonly repo: ReturnsRepository,
    private readonly returns: ReturnsService,
  ) {}

  async apply(manager: EntityManager, shop: { id: string; merchantId: string }, req: PlatformReturnRequest, ref: DeliveryRef): Promise<PlatformReturnResult> {
    await this.repo.lockPlatformReturn(manager, shop.id, req.platformReturnId);
    const existing = await this.repo.findByPlatformReturn(manager, shop.id, req.platformReturnId);
    if (existing) return { outcome: 'return_duplicate', returnId: existing.id, orderId: null };

    const orderId = await this.repo.orderIdByPlatformId(manager, shop.id, req.platformOrderId);
    const found = orderId ? await this.repo.orderForReturn(manager, shop.merchantId, orderId) : null;
    if (!found) {
      return refused(`order ${req.platformOrderId} of this shop is not known here; replay this delivery once the order has arrived`, null);
    }
    const { order, lines: orderLines } = found;
    const currency = order.currency.trim();
    if (req.currency && req.currency !== currency) return refused(`the request is in ${req.currency}, order ${order.order_number} in ${currency}`, order.id);

    // Without a reason of its own the request counts under its largest line's (统计原因); lines without one take the request's.
    const reason = req.reason ?? [...req.lines].sort((a, b) => b.quantity - a.quantity).find((l) => l.reason)?.reason ?? ReturnReason.Other;
    let lines;
    try {
      lines = resolveReturnLines(
        orderLines,
        req.lines.map((l) => ({ ref: l.lineRef, quantity: l.quantity, reason: l.reason, platformLineId: l.platformLineId, note: l.note })),
        reason,
        `order ${order.order_number}`,
      );
    } catch (e) {
      if (e instanceof DomainError) return refused(e.message, order.id);
      throw e;
    }
    // Shopify sends no amount: the request asks the value of its lines.
    const value = lines.reduce((sum, l) => sum + l.line.unit_price * l.quantity, 0);
    const requestedAmount = req.type === ReturnType.Exchange ? 0 : (req.requestedAmount ?? value);

    const reportedAt = req.requestedAt ?? new Date();
    const returnId = await this.returns.open(manager, systemCaller(shop.merchantId, 'platform'), order, {
      type: req.type,
      reason,
      description: req.description,
      requestedAmount,
      lines,
      reportedAt,
      assigneeId: null,
      platformReturnId: req.platformReturnId,
      // The platform's deadline (Taobao and WeChat auto-approve after it); Shopify sets none.
      dueAt: req.respondBy ?? addHours(reportedAt, DEFAULT_RESPOND_HOURS),
      note: `${ref.topic}: platform return ${req.platformReturnId}`,
      data: { inboxId: ref.inboxId, deliveryId: ref.deliveryId, platformReturnId: req.platformReturnId, respondBy: req.respondBy?.toISOString() ?? null },
    });
    return { outcome: 'return_opened', returnId, orderId: order.id };
  }
}

function refused(reason: string, orderId: string | null): PlatformReturnResult {
  return { outcome: 'return_refused', returnId: null, orderId, reason };
}
