import type { PlatformDecision } from '../return-status.js';

/** What a platform client needs to tell the platform the decision on its return request. */
export interface DecisionToSend {
  /** Our case id (idempotency key, marker). */
  caseId: string;
  platformReturnId: string;
  platformOrderId: string;
  decision: PlatformDecision;
  /** The reject reason (shown to the customer), or null. */
  reason: string | null;
  /** Minor units approved (approve), or null. */
  approvedAmount: number | null;
  currency: string;
  /** The shop's platform_config (apiBaseUrl, accessToken, apiVersion, refundWebhookUrl...). */
  config: Record<string, unknown>;
  /** Signs the outbound generic webhook. */
  webhookSecret: string;
}

export interface SentDecision {
  /** The platform already had this decision (an earlier call went through, or staff decided there). */
  foundExisting: boolean;
}
