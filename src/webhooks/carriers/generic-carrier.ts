import { InvalidInput, Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { jsonNestsDeeperThan, MAX_WEBHOOK_JSON_DEPTH, tooDeepMessage } from '../../kernel/http/json-depth.js';
import { parseCarrierEvents, withoutNul } from '../../logistics/carrier-events.js';
import type { IncomingEvent } from '../../logistics/tracking.service.js';
import { isFresh, parseGenericSignature, verifyGenericSignature } from '../../kernel/crypto/signature.js';

export const SIGNATURE_HEADER = 'x-signature';
export const GENERIC_TRACKING_TOPICS = ['tracking.updated', 'tracking.abort'] as const;

/**
 * Our generic carrier push, signed like the generic order webhook (src/webhooks/signature.ts) with
 * the shop's tracking salt: `X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
 * refused when t is more than 5 minutes off.
 */
export function verifyGenericCarrierSignature(raw: Buffer, header: string | undefined, salt: string, now: Date): void {
  if (!header) throw new Unauthenticated('Missing X-Signature header');
  const sig = parseGenericSignature(header);
  if (!sig) throw new Unauthenticated('Malformed X-Signature header; expected t=<unix seconds>,v1=<hex>');
  if (!isFresh(sig.timestamp, now)) throw new Unauthenticated('X-Signature timestamp is more than 5 minutes off');
  if (!verifyGenericSignature(raw, salt, sig)) throw new Unauthenticated('Bad signature');
}

export interface GenericCarrierPush {
  id: string;
  topic: (typeof GENERIC_TRACKING_TOPICS)[number];
  carrier: string;
  trackingNo: string;
  events: IncomingEvent[];
  message: string | null;
}

/** Body `{id, topic: "tracking.updated"|"tracking.abort", occurredAt, data: {carrier, trackingNo, events: [...], message?}}`. */
export function parseGenericCarrierBody(raw: Buffer): GenericCarrierPush {
  const text = raw.toString('utf8');
  if (jsonNestsDeeperThan(text, MAX_WEBHOOK_JSON_DEPTH)) throw new InvalidInput(tooDeepMessage(MAX_WEBHOOK_JSON_DEPTH));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInput('Body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInput('Body must be a JSON object {id, topic, occurredAt, data}');
  const b = body as Record<string, unknown>;
  const d = (typeof b.data === 'object' && b.data !== null && !Array.isArray(b.data) ? b.data : null) as Record<string, unknown> | null;
  const problems: Array<{ field: string; errors: string[] }> = [];
  if (typeof b.id !== 'string' || !b.id || b.id.length > 200) problems.push({ field: 'id', errors: ['id must be a non-empty string of at most 200 characters'] });
  if (!GENERIC_TRACKING_TOPICS.includes(b.topic as never)) problems.push({ field: 'topic', errors: [`topic must be one of ${GENERIC_TRACKING_TOPICS.join(', ')}`] });
  if (!d) problems.push({ field: 'data', errors: ['data must be an object'] });
  if (d && (typeof d.carrier !== 'string' || !d.carrier.trim() || d.carrier.length > 100)) problems.push({ field: 'data.carrier', errors: ['carrier must name the carrier (any of its names, at most 100 characters)'] });
  if (d && (typeof d.trackingNo !== 'string' || !d.trackingNo.trim() || d.trackingNo.length > 50)) problems.push({ field: 'data.trackingNo', errors: ['trackingNo must be a string'] });
  if (d && d.message !== undefined && d.message !== null && typeof d.message !== 'string') problems.push({ field: 'data.message', errors: ['message must be a string'] });
  if (problems.length) throw new InvalidInput('Invalid generic tracking push', problems);
  const events = d!.events === undefined ? [] : parseCarrierEvents(d!.events, 'data.events');
  return {
    id: withoutNul(b.id as string),
    topic: b.topic as GenericCarrierPush['topic'],
    carrier: withoutNul(d!.carrier as string).trim(),
    trackingNo: withoutNul(d!.trackingNo as string).trim(),
    events,
    message: typeof d!.message === 'string' ? withoutNul(d!.message).slice(0, 2000) : null,
  };
}
