import { OutboundError } from '../../kernel/http/safe-http.js';

/** What a platform client needs to execute one refund. */
export interface RefundToExecute {
  refundId: string;
  platformOrderId: string;
  orderNumber: string;
  /** Minor units, shipping included. */
  amount: number;
  shippingAmount: number;
  currency: string;
  reason: string;
  /** The shop's platform_config (apiBaseUrl, accessToken, gateway, refundWebhookUrl...). */
  config: Record<string, unknown>;
  /** Secret shared with the shop (signs the outbound generic webhook). */
  webhookSecret: string;
  /** False on the first call for this refund: earlier calls may have reached the platform. */
  mayHaveBeenSent: boolean;
}

export interface ExecutedRefund {
  /** The platform's id for the refund, when it gives one. */
  platformRefundId: string | null;
  /** True when an earlier call had already made the refund and this one only found it. */
  foundExisting: boolean;
}

/** The platform refused the refund for good (4xx other than 408/409/429, or missing configuration): do not retry. */
export class PlatformRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformRejected';
  }
}

/**
 * Classifies a failed platform call: permanent refusals become PlatformRejected, the rest stay
 * retryable. The reason names the status or the kind of failure only: the platform's answer body
 * is never copied into the refund's failure reason (SPEC §4).
 */
export function classifyHttpError(err: unknown, what: string): Error {
  if (err instanceof OutboundError) {
    if (err.failure === 'refused') return new PlatformRejected(`${what}: ${err.reason}`);
    if (err.status !== null) {
      const status = err.status;
      const msg = `${what} answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`;
      if (status < 500 && status !== 408 && status !== 409 && status !== 429) return new PlatformRejected(msg);
      return new Error(msg);
    }
    return new Error(`${what} failed: ${err.reason}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Marker written into the refund note on the platform, so a retry can find a refund already made. */
export function refundMarker(refundId: string): string {
  return `[aso-refund:${refundId}]`;
}
