import { isSecretKey } from '../logging/redact.js';

/**
 * A response as it may be kept for replay: its JSON form with every secret-named field (SPEC §4:
 * secrets are never kept in replayable responses) set to null, and the paths that were, e.g.
 * `["secret"]`.
 *
 * Why null and a header rather than refusing the replay: the retry still learns the outcome (the
 * endpoint exists, its id) and can rotate the secret if the first answer was lost; the
 * `idempotent-redacted` header names the fields that were shown only once.
 */
export function redactForReplay(body: unknown): { body: unknown; redacted: string[] } {
  const json: unknown = body === undefined ? null : JSON.parse(JSON.stringify(body));
  const redacted: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (isSecretKey(k) && x !== null) {
        out[k] = null;
        redacted.push(p);
      } else out[k] = walk(x, p);
    }
    return out;
  };
  return { body: walk(json, ''), redacted };
}
