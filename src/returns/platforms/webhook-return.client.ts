import { Injectable } from '@nestjs/common';
import { SafeHttp } from '../../kernel/http/safe-http.js';
import { formatMoney } from '../../kernel/money/money.js';
import { classifyHttpError, PlatformRejected } from '../../refunds/platforms/refund-client.js';
import { signGeneric } from '../../refunds/platforms/webhook-refund.client.js';
import type { DecisionToSend, SentDecision } from './decision-client.js';

/**
 * Generic shops hear the decision on their `return.requested` at their refund webhook URL: a JSON
 * POST `{id, type: "return.decision", occurredAt, returnId, orderId, caseId, decision, reason,
 * approvedAmount, approvedAmountMinor, currency}` signed like every outbound call
 * (`X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), `Idempotency-Key`
 * `return-decision-<caseId>`. Any 2xx means the platform has it.
 */
@Injectable()
export class WebhookReturnClient {
  constructor(private readonly http: SafeHttp) {}

  async send(d: DecisionToSend): Promise<SentDecision> {
    const url = typeof d.config.refundWebhookUrl === 'string' ? d.config.refundWebhookUrl : null;
    if (!url) throw new PlatformRejected('refund webhook URL is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    const body = JSON.stringify({
      id: `return-decision-${d.caseId}`,
      type: 'return.decision',
      occurredAt: new Date().toISOString(),
      returnId: d.platformReturnId,
      orderId: d.platformOrderId,
      caseId: d.caseId,
      decision: d.decision,
      reason: d.reason,
      approvedAmount: d.approvedAmount === null ? null : formatMoney(d.approvedAmount, d.currency),
      approvedAmountMinor: d.approvedAmount,
      currency: d.currency,
    });
    try {
      // No redirects: the signature never reaches wherever a 3xx points (SPEC §4).
      await this.http.request({
        method: 'POST',
        url,
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Signature': signGeneric(d.webhookSecret, body, Math.floor(Date.now() / 1000)),
          'Idempotency-Key': `return-decision-${d.caseId}`,
        },
      });
      return { foundExisting: false };
    } catch (err) {
      throw classifyHttpError(err, 'return decision webhook');
    }
  }
}
