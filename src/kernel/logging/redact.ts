/**
 * What a log line or a stored replay may never carry (SPEC §4: secrets are never logged, never
 * kept in replayable responses). Keys are compared lower-cased without `_` and `-`, so
 * `webhook_secret`, `webhookSecret` and `Webhook-Secret` are one key.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'passwordhash',
  'secret',
  'webhooksecret',
  'clientsecret',
  'trackingsalt',
  'salt',
  'accesstoken',
  'refreshtoken',
  'token',
  'apikey',
  'xapikey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xshopifyaccesstoken',
]);

/**
 * Error properties that carry a failed statement's input: TypeORM's `parameters` (every bound
 * value: secrets, salts, password hashes), the raw driver error, PostgreSQL's `detail` ("Failing
 * row contains (…)" lists every column of the row) and axios' request/response (headers with
 * access tokens, bodies). They are left out of logs altogether.
 */
const ERROR_INPUT_KEYS: ReadonlySet<string> = new Set(['parameters', 'drivererror', 'detail', 'config', 'request', 'response']);

export const REDACTED = '[REDACTED]';

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalise(key));
}

/** Secret-looking substrings in free text (messages, stacks) that no key name gives away. */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/\b(whsec_)[A-Za-z0-9_-]{6,}/g, `$1${REDACTED}`],
  [/\b(scrypt)\$[^\s"',)]+/g, `$1$${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/\b(postgres(?:ql)?:\/\/[^:/\s@]+:)[^@\s]+@/gi, `$1${REDACTED}@`],
  [/\b((?:password|secret|token|access_?token|salt)=)[^&\s"']+/gi, `$1${REDACTED}`],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [re, by] of TEXT_PATTERNS) out = out.replace(re, by);
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` with every secret-named property replaced by `[REDACTED]`, at any depth
 * (bounded; cycles cut). Errors are serialised through `serializeErrorForLog`. Strings are
 * scrubbed of secret-looking substrings when `scrub` is set (logs), and kept verbatim otherwise
 * (stored responses, where only named fields are removed).
 */
export function redactSecrets(value: unknown, opts: { scrub?: boolean } = {}): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return opts.scrub ? scrubText(v) : v;
    if (typeof v !== 'object' || v === null) return v;
    if (v instanceof Error) return serializeErrorForLog(v, depth);
    if (v instanceof Date || Buffer.isBuffer(v)) return v;
    if (seen.has(v)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Truncated]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) ? REDACTED : walk(x, depth + 1);
    return out;
  };
  return walk(value, 0);
}

/**
 * The one way an error is written to a log (pino's `err` serializer and the Nest logger): name,
 * message, stack and own properties, without the statement's input and with secrets redacted.
 */
export function serializeErrorForLog(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return redactSecrets(err, { scrub: true });
  const out: Record<string, unknown> = {
    type: err.name || err.constructor?.name || 'Error',
    message: scrubText(err.message),
    ...(err.stack ? { stack: scrubText(err.stack) } : {}),
  };
  for (const [k, v] of Object.entries(err)) {
    const key = normalise(k);
    if (k in out || k === 'name' || k === 'cause' || ERROR_INPUT_KEYS.has(key)) continue;
    if (SECRET_KEYS.has(key)) out[k] = REDACTED;
    else if (k === 'query' && typeof v === 'string') out[k] = scrubText(v.length > 1000 ? `${v.slice(0, 1000)}…` : v);
    else out[k] = depth < 3 ? redactSecrets(v, { scrub: true }) : '[Truncated]';
  }
  if (err.cause !== undefined && depth < 3) out.cause = serializeErrorForLog(err.cause, depth + 1);
  return out;
}
