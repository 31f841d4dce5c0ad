import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { systemCaller } from '../kernel/auth/roles.js';
import { OutboxService } from '../kernel/outbox/outbox.service.js';
import type { CaseRow, TransitionContext } from '../kernel/state-machine/machine.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { PlatformRejected } from '../refunds/platforms/refund-client.js';
import { ShopPlatform } from '../shops/shop.entity.js';
import { RETURN_DECISION } from './platform-return.js';
import type { DecisionToSend, SentDecision } from './platforms/decision-client.js';
import { ShopifyReturnClient } from './platforms/shopify-return.client.js';
import { WebhookReturnClient } from './platforms/webhook-return.client.js';
import { type PlatformDecisionOutcome, returnMachine } from './return.machine.js';
import { PlatformDecision, PlatformDecisionState, ReturnSource, ReturnStatus } from './return-status.js';

interface DecisionRow {
  id: string;
  merchant_id: string;
  status: ReturnStatus;
  platform_return_id: string;
  platform_decision: PlatformDecision | null;
  platform_decision_state: PlatformDecisionState | null;
  reject_reason: string | null;
  approved_amount: string | null;
  currency: string;
  platform_order_id: string;
  platform: ShopPlatform;
  platform_config: Record<string, unknown> | null;
  webhook_secret: string;
}

/**
 * SPEC §7: the decision on a platform's return request goes back through the platform (outbox).
 * `approve` and `reject` of a platform-initiated case from `requested` write one outbox message in
 * their transaction; the handler calls Shopify's GraphQL API or the generic shop's webhook and
 * records the outcome on the case (internal `platform-decision`, on the timeline). Transient
 * failures are retried by the outbox; a refusal, a missing channel or the last attempt marks the
 * case `failed` so staff answer on the platform themselves.
 */
@Injectable()
export class ReturnDecisionsService implements OnModuleInit {
  private readonly logger = new Logger('ReturnDecisions');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly engine: StateMachineEngine,
    private readonly shopify: ShopifyReturnClient,
    private readonly webhook: WebhookReturnClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerHandler<{ returnId: string }>(RETURN_DECISION, async (msg) => ({ ...(await this.send(msg.payload.returnId, msg.attempt)) }));
  }

  /** Effect of approve / reject: queue the answer when the case answers a platform's request. */
  async queue(ctx: TransitionContext, updated: CaseRow): Promise<Record<string, unknown> | void> {
    if (updated.source !== ReturnSource.Platform || ctx.row.status !== ReturnStatus.Requested) return;
    const decision = ctx.action === 'approve' ? PlatformDecision.Approve : PlatformDecision.Reject;
    await this.outbox.enqueue(ctx.manager, {
      merchantId: updated.merchant_id,
      kind: RETURN_DECISION,
      target: updated.shop_id ?? undefined,
      dedupeKey: updated.id,
      payload: { returnId: updated.id },
    });
    return { platform_decision: decision, platform_decision_state: PlatformDecisionState.Queued, platform_decision_error: null };
  }

  /** One attempt (the outbox's try number `attempt`; the last one gives up for good). Safe to run again. */
  async send(returnId: string, attempt = 1): Promise<{ outcome: string; detail?: string }> {
    const rows: DecisionRow[] = await this.db.query(
      `SELECT r.id, r.merchant_id, r.status, r.platform_return_id, r.platform_decision, r.platform_decision_state, r.reject_reason, r.approved_amount, r.currency,
              o.platform_order_id, s.platform, s.platform_config, s.webhook_secret
         FROM return_cases r JOIN orders o ON o.id = r.order_id JOIN shops s ON s.id = r.shop_id
        WHERE r.id = $1`,
      [returnId],
    );
    const r = rows[0];
    if (!r || !r.platform_decision) return { outcome: 'skipped', detail: 'no decision to send' };
    if (r.platform_decision_state !== PlatformDecisionState.Queued) return { outcome: 'skipped', detail: `already ${r.platform_decision_state}` };
    const d: DecisionToSend = {
      caseId: r.id,
      platformReturnId: r.platform_return_id,
      platformOrderId: r.platform_order_id,
      decision: r.platform_decision,
      reason: r.platform_decision === PlatformDecision.Reject ? r.reject_reason : null,
      approvedAmount: r.platform_decision === PlatformDecision.Approve && r.approved_amount !== null ? Number(r.approved_amount) : null,
      currency: r.currency.trim(),
      config: r.platform_config ?? {},
      webhookSecret: r.webhook_secret,
    };
    let sent: SentDecision;
    try {
      sent = await this.call(r.platform, d);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof PlatformRejected) && attempt < this.config.outbox.maxAttempts) throw err;
      const reason = err instanceof PlatformRejected ? message : `gave up after ${attempt} attempts: ${message}`;
      this.logger.warn(`return ${r.id}: the platform was not told the ${r.platform_decision}: ${reason}`);
      await this.record(r, { state: PlatformDecisionState.Failed, error: reason }, reason);
      return { outcome: 'failed', detail: reason };
    }
    await this.record(r, { state: PlatformDecisionState.Sent }, sent.foundExisting ? 'the platform already had this decision' : null);
    return { outcome: 'sent', ...(sent.foundExisting ? { detail: 'found on the platform' } : {}) };
  }

  private call(platform: ShopPlatform, d: DecisionToSend): Promise<SentDecision> {
    if (platform === ShopPlatform.Shopify) return this.shopify.send(d);
    if (platform === ShopPlatform.Generic) return this.webhook.send(d);
    throw new PlatformRejected(`${platform} shops have no return decision channel`);
  }

  private async record(r: DecisionRow, outcome: PlatformDecisionOutcome, note: string | null): Promise<void> {
    await this.engine.fire(returnMachine, r.id, 'platform-decision', systemCaller(r.merchant_id), {
      internal: true,
      input: outcome,
      note,
      data: { decision: r.platform_decision },
    });
  }
}
