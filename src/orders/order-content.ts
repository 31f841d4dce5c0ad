import { createHash } from 'node:crypto';
import type { PlatformOrder } from './platform-order.js';

function canonical(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/**
 * Hash of what a delivery says about an order once normalised — everything but its version
 * (`updatedAt`) and its refunds (recorded on their own, whatever the version). SPEC §5: an equal
 * `updated_at` with different content is applied, identical content has no effect; the stored hash
 * tells the two apart.
 */
export function orderContentHash(o: PlatformOrder): string {
  const { updatedAt: _version, refunds: _refunds, ...content } = o;
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(content))).digest('hex')}`;
}
