import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { SafeHttp } from '../../kernel/http/safe-http.js';
import { classifyHttpError, PlatformRejected } from '../../refunds/platforms/refund-client.js';
import { parseJsonLossless } from '../../kernel/json/lossless-json.js';
import { PlatformDecision } from '../return-status.js';
import type { DecisionToSend, SentDecision } from './decision-client.js';

const APPROVE = `mutation ReturnApproveRequest($input: ReturnApproveRequestInput!) {
  returnApproveRequest(input: $input) { return { id status } userErrors { code field message } }
}`;
const DECLINE = `mutation ReturnDeclineRequest($input: ReturnDeclineRequestInput!) {
  returnDeclineRequest(input: $input) { return { id status } userErrors { code field message } }
}`;
const STATUS = `query ReturnStatus($id: ID!) { return(id: $id) { id status } }`;

/** ReturnDeclineRequestInput.declineNote is documented from this Admin API version on; older versions refuse the field. */
const DECLINE_NOTE_SINCE = '2025-10';

/** The Return.status values that mean the decision is already made as we would make it. */
const SETTLED: Record<PlatformDecision, readonly string[]> = {
  [PlatformDecision.Approve]: ['OPEN', 'CLOSED'],
  [PlatformDecision.Reject]: ['DECLINED'],
};

interface GraphqlAnswer {
  data?: Record<string, { userErrors?: Array<{ code?: unknown; field?: unknown }> } | { status?: unknown } | null>;
  errors?: Array<{ extensions?: { code?: unknown } }>;
}

/**
 * Shopify's answer to a return request goes through the GraphQL Admin API:
 * `returnApproveRequest` / `returnDeclineRequest` (declineReason OTHER, the reason as declineNote
 * on API versions that have it), `POST {base}/admin/api/{version}/graphql.json` with the shop's
 * refund channel (base URL and access token). When Shopify refuses (userErrors), the return's
 * status is read: a return already approved / declined counts as told, so a retry after a lost
 * answer, or a decision staff also made in the Shopify admin, is not an error.
 */
@Injectable()
export class ShopifyReturnClient {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: SafeHttp,
  ) {}

  async send(d: DecisionToSend): Promise<SentDecision> {
    const base = str(d.config.apiBaseUrl) ?? this.config.refunds.shopifyApiBaseUrl;
    const token = str(d.config.accessToken);
    if (!base) throw new PlatformRejected('Shopify API base URL is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    if (!token) throw new PlatformRejected('Shopify access token is not configured for this shop (PUT /api/v1/refund-channels/{shopId})');
    const version = str(d.config.apiVersion) ?? this.config.refunds.shopifyApiVersion;
    const url = `${base.replace(/\/+$/, '')}/admin/api/${version}/graphql.json`;
    const id = `gid://shopify/Return/${d.platformReturnId}`;
    const approve = d.decision === PlatformDecision.Approve;
    const input = approve
      ? { id }
      : { id, declineReason: 'OTHER', ...(d.reason && version >= DECLINE_NOTE_SINCE ? { declineNote: d.reason.slice(0, 500) } : {}) };
    const field = approve ? 'returnApproveRequest' : 'returnDeclineRequest';
    try {
      const answer = await this.graphql(url, token, approve ? APPROVE : DECLINE, { input });
      const userErrors = (answer.data?.[field] as { userErrors?: Array<{ code?: unknown; field?: unknown }> } | null)?.userErrors ?? [];
      if (!userErrors.length) return { foundExisting: false };
      const now = await this.graphql(url, token, STATUS, { id });
      const status = str((now.data?.return as { status?: unknown } | null)?.status);
      if (status && SETTLED[d.decision].includes(status)) return { foundExisting: true };
      // Codes and fields only: the platform's own words are never copied into our records (SPEC §4).
      const codes = userErrors.map((e) => [str(e.code), Array.isArray(e.field) ? e.field.join('.') : null].filter(Boolean).join(' on ')).join(', ');
      throw new PlatformRejected(`Shopify refused ${field} (${codes || 'userErrors'}); the return is ${status ?? 'not found'} on Shopify`);
    } catch (err) {
      if (err instanceof PlatformRejected) throw err;
      throw classifyHttpError(err, 'Shopify GraphQL API');
    }
  }

  private async graphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer> {
    const res = await this.http.request({
      method: 'POST',
      url,
      headers: { 'X-Shopify-Access-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    let answer: GraphqlAnswer;
    try {
      answer = parseJsonLossless(res.text) as GraphqlAnswer;
    } catch {
      throw new Error('Shopify GraphQL API answered something that is not JSON');
    }
    const errors = Array.isArray(answer?.errors) ? answer.errors : [];
    if (errors.length) {
      // Rate limits come back as a 200 with a THROTTLED error: try again later; anything else is final.
      if (errors.some((e) => e?.extensions?.code === 'THROTTLED')) throw new Error('Shopify GraphQL API throttled the call');
      const codes = [...new Set(errors.map((e) => str(e?.extensions?.code)).filter(Boolean))].join(', ');
      throw new PlatformRejected(`Shopify GraphQL API refused the call${codes ? ` (${codes})` : ''}`);
    }
    return answer;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}
