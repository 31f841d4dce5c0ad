import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { SafeHttp } from '../../kernel/http/safe-http.js';
import { formatMoney } from '../../kernel/money/money.js';
import { parseJsonLossless, idText } from '../../kernel/json/lossless-json.js';
import { classifyHttpError, type ExecutedRefund, PlatformRejected, refundMarker, type RefundToExecute } from './refund-client.js';

interface ShopifyTransaction {
  id?: unknown;
  kind?: string;
  status?: string;
  gateway?: string;
}

/**
 * Shopify Admin REST refunds: `POST {base}/admin/api/{version}/orders/{id}/refunds.json` with
 * `X-Shopify-Access-Token`. The refund transaction's parent is the order's successful sale or
 * capture (read from transactions.json). Before a repeated call the order's refunds are listed and
 * one carrying this refund's marker in its note is taken as done, so money goes back once.
 */
@Injectable()
export class ShopifyRefundClient {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: SafeHttp,
  ) {}

  /** Shopify ids exceed 2^53: answers are parsed losslessly, ids kept as text. */
  private async call(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<unknown> {
    const res = await this.http.request({ method, url, headers, body });
    return res.text.trim() ? safeParse(res.text) : null;
  }

  async execute(r: RefundToExecute): Promise<ExecutedRefund> {
    const base = str(r.config.apiBaseUrl) ?? this.config.refunds.shopifyApiBaseUrl;
    const token = str(r.config.accessToken);
    if (!base) throw new PlatformRejected('Shopify API base URL is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    if (!token) throw new PlatformRejected('Shopify access token is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    const version = str(r.config.apiVersion) ?? this.config.refunds.shopifyApiVersion;
    const orderUrl = `${base.replace(/\/+$/, '')}/admin/api/${version}/orders/${encodeURIComponent(r.platformOrderId)}`;
    const headers = { 'X-Shopify-Access-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' };
    const marker = refundMarker(r.refundId);

    try {
      if (r.mayHaveBeenSent) {
        const existing = await this.call('GET', `${orderUrl}/refunds.json`, headers);
        const refunds = (existing as { refunds?: Array<{ id?: unknown; note?: unknown }> })?.refunds ?? [];
        const found = refunds.find((x) => typeof x.note === 'string' && x.note.includes(marker));
        if (found) return { platformRefundId: idText(found.id), foundExisting: true };
      }
      const tx = await this.call('GET', `${orderUrl}/transactions.json`, headers);
      const transactions = (tx as { transactions?: ShopifyTransaction[] })?.transactions ?? [];
      const parent = transactions.find((t) => (t.kind === 'sale' || t.kind === 'capture') && t.status === 'success');
      const gateway = parent?.gateway ?? str(r.config.gateway) ?? 'manual';
      const body = {
        refund: {
          currency: r.currency,
          notify: false,
          note: `${r.reason} ${marker}`.slice(0, 1000),
          ...(r.shippingAmount > 0 ? { shipping: { amount: formatMoney(r.shippingAmount, r.currency) } } : {}),
          transactions: [
            {
              kind: 'refund',
              gateway,
              amount: formatMoney(r.amount, r.currency),
              ...(parent?.id !== undefined ? { parent_id: idText(parent.id) } : {}),
            },
          ],
        },
      };
      const res = await this.call('POST', `${orderUrl}/refunds.json`, { ...headers, 'Idempotency-Key': `aso-refund-${r.refundId}` }, JSON.stringify(body));
      const id = idText((res as { refund?: { id?: unknown } })?.refund?.id);
      return { platformRefundId: id, foundExisting: false };
    } catch (err) {
      throw classifyHttpError(err, 'Shopify refund API');
    }
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function safeParse(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return text;
  }
}
