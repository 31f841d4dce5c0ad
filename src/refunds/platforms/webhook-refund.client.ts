import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SafeHttp } from '../../kernel/http/safe-http.js';
import { formatMoney } from '../../kernel/money/money.js';
import { classifyHttpError, type ExecutedRefund, PlatformRejected, type RefundToExecute } from './refund-client.js';

/** `X-Signature` header of the generic format: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signGeneric(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * Generic shops: the refund is asked of the shop's own endpoint with a signed JSON POST
 * (docs/refunds.md). `Idempotency-Key` is the refund id: the receiver must refund once per key.
 * A 2xx answer means the platform made the refund; it may return `{platformRefundId}`.
 */
@Injectable()
export class WebhookRefundClient {
  constructor(private readonly http: SafeHttp) {}

  async execute(r: RefundToExecute): Promise<ExecutedRefund> {
    const url = typeof r.config.refundWebhookUrl === 'string' ? r.config.refundWebhookUrl : null;
    if (!url) throw new PlatformRejected('refund webhook URL is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    const body = JSON.stringify({
      id: `refund-${r.refundId}`,
      topic: 'refund.requested',
      occurredAt: new Date().toISOString(),
      data: {
        refundId: r.refundId,
        orderId: r.platformOrderId,
        orderNumber: r.orderNumber,
        amount: formatMoney(r.amount, r.currency),
        amountMinor: r.amount,
        shippingAmount: formatMoney(r.shippingAmount, r.currency),
        currency: r.currency,
        reason: r.reason,
      },
    });
    try {
      // No redirects: the signature is never re-sent to wherever a 3xx points (SPEC §4).
      const res = await this.http.request({
        method: 'POST',
        url,
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Signature': signGeneric(r.webhookSecret, body, Math.floor(Date.now() / 1000)),
          'Idempotency-Key': r.refundId,
        },
      });
      const data = parseObject(res.text) as { platformRefundId?: unknown; refundId?: unknown };
      const id = typeof data.platformRefundId === 'string' && data.platformRefundId ? data.platformRefundId.slice(0, 200) : null;
      return { platformRefundId: id, foundExisting: false };
    } catch (err) {
      throw classifyHttpError(err, 'refund webhook');
    }
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
