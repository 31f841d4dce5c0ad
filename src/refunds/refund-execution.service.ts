import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { OutboxService, type OutboxMessage } from '../kernel/outbox/outbox.service.js';
import { PlatformRejected, type ExecutedRefund, type RefundToExecute } from './platforms/refund-client.js';
import { ShopifyRefundClient } from './platforms/shopify-refund.client.js';
import { WebhookRefundClient } from './platforms/webhook-refund.client.js';
import { REFUND_EXECUTE, RefundLedgerService } from './refund-ledger.service.js';
import { RefundRepository, type RefundRow } from './refund.repository.js';
import { RefundMethod, RefundStatus } from './refund-status.js';

export interface ExecutionOutcome {
  refundId: string;
  outcome: 'succeeded' | 'failed' | 'skipped';
  detail?: string;
  platformRefundId?: string | null;
}

/**
 * Executes refunds from the outbox (`refund.execute`). Safe to run any number of times: the
 * refund is claimed by a compare-and-set on its execution state, a final refund is never sent
 * again, and a repeated platform call first looks for the refund an earlier call made.
 */
@Injectable()
export class RefundExecutionService implements OnModuleInit {
  private readonly logger = new Logger('RefundExecution');

  constructor(
    private readonly repo: RefundRepository,
    private readonly ledger: RefundLedgerService,
    private readonly outbox: OutboxService,
    private readonly shopify: ShopifyRefundClient,
    private readonly webhook: WebhookRefundClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerHandler<{ refundId: string }>(REFUND_EXECUTE, async (msg: OutboxMessage<{ refundId: string }>) => {
      const out = await this.execute(msg.payload.refundId, msg.attempt);
      return { ...out };
    }, { priority: true }); // SPEC §4: a refund never waits behind event deliveries
  }

  /** One execution attempt. `attempt` is the outbox's try number (the last one gives up for good). */
  async execute(refundId: string, attempt = 1): Promise<ExecutionOutcome> {
    const claimed = await this.repo.claimExecution(refundId, this.config.refunds.executionLeaseSeconds);
    if (!claimed) {
      const row = await this.repo.findById(refundId);
      if (!row) return { refundId, outcome: 'skipped', detail: 'refund not found' };
      if (row.status !== RefundStatus.Pending) return { refundId, outcome: 'skipped', detail: `refund is already ${row.status}` };
      if (row.method === RefundMethod.Manual) return { refundId, outcome: 'skipped', detail: 'manual refund: finance records it' };
      // Another executor holds a live claim: let the outbox try again after its backoff.
      throw new Error(`refund ${refundId} is being executed by another worker`);
    }

    let executed: ExecutedRefund;
    try {
      executed = await this.call(claimed);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PlatformRejected || attempt >= this.config.outbox.maxAttempts) {
        const reason = err instanceof PlatformRejected ? message : `gave up after ${attempt} attempts: ${message}`;
        await this.ledger.markFailed(claimed.merchant_id, refundId, reason);
        this.logger.warn(`refund ${refundId} failed: ${reason}`);
        return { refundId, outcome: 'failed', detail: reason };
      }
      await this.repo.releaseExecution(refundId);
      throw err;
    }
    await this.ledger.markSucceeded(claimed.merchant_id, refundId, executed.platformRefundId);
    return { refundId, outcome: 'succeeded', platformRefundId: executed.platformRefundId, ...(executed.foundExisting ? { detail: 'found on the platform' } : {}) };
  }

  private async call(row: RefundRow): Promise<ExecutedRefund> {
    const ctx = await this.repo.executionContext(row.id);
    if (!ctx) throw new PlatformRejected('order or shop of the refund is missing');
    const r: RefundToExecute = {
      refundId: row.id,
      platformOrderId: ctx.platform_order_id,
      orderNumber: ctx.order_number,
      amount: Number(row.amount),
      shippingAmount: Number(row.shipping_amount),
      currency: row.currency.trim(),
      reason: row.reason,
      config: ctx.platform_config ?? {},
      webhookSecret: ctx.webhook_secret,
      mayHaveBeenSent: row.execution_attempts > 1,
    };
    if (row.method === RefundMethod.Shopify) return this.shopify.execute(r);
    if (row.method === RefundMethod.Webhook) return this.webhook.execute(r);
    throw new PlatformRejected(`refund method ${row.method} is not executed automatically`);
  }
}

