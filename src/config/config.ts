import { IANAZone } from 'luxon';
import { type AllowedHost, parseAllowedHosts } from './allowed-hosts.js';

/** Everything the service reads from its environment, parsed and validated once at start. */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  /**
   * Where clients reach the service (e.g. behind a proxy), named in the OpenAPI document's `servers`;
   * unset, the document names `/`: the origin it is served from.
   */
  publicBaseUrl: string | null;
  /** External PostgreSQL; when absent an embedded server is started under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Port for the embedded PostgreSQL; 0 = pick a free one. */
  embeddedPgPort: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bootstrapAdminEmail: string;
  bootstrapAdminPassword: string | null;
  bootstrapMerchantName: string;
  tokenTtlHours: number;
  defaultTimezone: string;
  bodyLimitBytes: number;
  /** Admin API requests per window, per authenticated staff member (per client address without a valid token). */
  rateLimit: { max: number; windowMs: number };
  /**
   * Login (SPEC §4: per client address and per account): requests per window per address, and a
   * lockout of the account (the normalised email, whether or not it exists) after `lockoutFailures`
   * failures within `failureWindowSeconds`.
   */
  login: { rateLimitMax: number; rateLimitWindowMs: number; lockoutFailures: number; failureWindowSeconds: number; lockoutSeconds: number };
  idempotencyTtlHours: number;
  /** How long an in-progress Idempotency-Key stays claimed without a heartbeat (a crashed request's key frees after it). */
  idempotencyLeaseSeconds: number;
  jobs: { enabled: boolean; pollingIntervalSeconds: number };
  /**
   * Outbound side effects: retries; slots for refunds (priority) and for everything else, so refunds
   * never wait behind event deliveries; per-lane cap (one lane = one merchant's target: a shop's
   * refund channel, an event endpoint); consecutive failures after which an event endpoint is disabled.
   */
  outbox: { maxAttempts: number; baseBackoffMs: number; concurrency: number; priorityConcurrency: number; laneConcurrency: number; disableEndpointAfter: number };
  /** The webhook inbox as a queue (src/webhooks/webhook-worker.service.ts): claim lease, workers, batch, retries. */
  inbox: { leaseSeconds: number; workers: number; batchSize: number; maxAttempts: number; retryBackoffMs: number };
  /** SIGTERM: how long in-flight requests and running jobs may take to finish before the pools close (SPEC §13). */
  shutdownGraceMs: number;
  http: { timeoutMs: number };
  /** Hosts merchant-set URLs may point at whatever they resolve to (OUTBOUND_ALLOWED_HOSTS). */
  outbound: { allowedHosts: AllowedHost[] };
  /** Logistics (src/logistics): stale-scan and polling schedules, carrier query APIs (CARRIER_API_URLS JSON {"yunda": "https://..."}). */
  logistics: { scanCron: string; pollCron: string; carrierApiUrls: Record<string, string>; pollRetries: number; pollBackoffMs: number; pollBatchSize: number };
  /** Refund execution (src/refunds): Shopify defaults when a shop's platform_config has none. */
  refunds: { shopifyApiBaseUrl: string | null; shopifyApiVersion: string; executionLeaseSeconds: number };
  /** Reports (src/reports): JSON answers above this many rows ask for format=csv; PostgreSQL work_mem of a CSV export. */
  reports: { maxJsonRows: number; csvWorkMemMb: number };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, def: string): string {
  const v = env[name];
  return v === undefined || v === '' ? def : v;
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function num(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const v = str(env, name, def);
  if (!allowed.includes(v as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

function httpUrl(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function oneOfPattern(env: Env, name: string, def: string, re: RegExp): string {
  const v = str(env, name, def);
  if (!re.test(v)) throw new ConfigError(`${name} does not look right: "${v}"`);
  return v;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): AppConfig {
  const databaseUrl = env.DATABASE_URL ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const email = str(env, 'BOOTSTRAP_ADMIN_EMAIL', 'admin@example.com');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError(`BOOTSTRAP_ADMIN_EMAIL is not an email address: "${email}"`);
  const password = env.BOOTSTRAP_ADMIN_PASSWORD || null;
  if (password !== null && password.length < 8) throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD must be at least 8 characters');
  const tz = str(env, 'DEFAULT_TIMEZONE', 'Asia/Shanghai');
  if (!IANAZone.isValidZone(tz)) throw new ConfigError(`DEFAULT_TIMEZONE is not an IANA time zone: "${tz}"`);
  return {
    nodeEnv: str(env, 'NODE_ENV', 'development'),
    port: int(env, 'PORT', 3000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    publicBaseUrl: httpUrl(env, 'PUBLIC_BASE_URL'),
    databaseUrl,
    dataDir: str(env, 'DATA_DIR', './.data'),
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 0, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    bootstrapAdminEmail: email.toLowerCase(),
    bootstrapAdminPassword: password,
    bootstrapMerchantName: str(env, 'BOOTSTRAP_MERCHANT_NAME', 'Default merchant'),
    tokenTtlHours: int(env, 'TOKEN_TTL_HOURS', 12, 1, 24 * 90),
    defaultTimezone: tz,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    rateLimit: {
      max: int(env, 'RATE_LIMIT_MAX', 600, 1, 1_000_000),
      windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 100, 3_600_000),
    },
    login: {
      rateLimitMax: int(env, 'LOGIN_RATE_LIMIT_MAX', 20, 1, 1_000_000),
      rateLimitWindowMs: int(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', 60_000, 100, 3_600_000),
      lockoutFailures: int(env, 'LOGIN_LOCKOUT_FAILURES', 10, 1, 1000),
      failureWindowSeconds: int(env, 'LOGIN_LOCKOUT_WINDOW_SECONDS', 900, 1, 86_400),
      lockoutSeconds: int(env, 'LOGIN_LOCKOUT_SECONDS', 300, 1, 86_400),
    },
    idempotencyTtlHours: int(env, 'IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
    idempotencyLeaseSeconds: int(env, 'IDEMPOTENCY_LEASE_SECONDS', 30, 1, 3600),
    jobs: {
      enabled: bool(env, 'JOBS_ENABLED', true),
      pollingIntervalSeconds: num(env, 'JOBS_POLL_SECONDS', 2, 0.5, 60),
    },
    inbox: {
      leaseSeconds: int(env, 'WEBHOOK_LEASE_SECONDS', 10, 2, 600),
      workers: int(env, 'WEBHOOK_WORKERS', 4, 1, 64),
      batchSize: int(env, 'WEBHOOK_BATCH_SIZE', 50, 1, 1000),
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
      retryBackoffMs: int(env, 'WEBHOOK_RETRY_BACKOFF_MS', 2_000, 1, 3_600_000),
    },
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    outbox: {
      maxAttempts: int(env, 'OUTBOX_MAX_ATTEMPTS', 10, 1, 100),
      baseBackoffMs: int(env, 'OUTBOX_BACKOFF_MS', 5_000, 1, 3_600_000),
      concurrency: int(env, 'OUTBOX_CONCURRENCY', 8, 1, 256),
      priorityConcurrency: int(env, 'OUTBOX_PRIORITY_CONCURRENCY', 4, 1, 256),
      laneConcurrency: int(env, 'OUTBOX_LANE_CONCURRENCY', 2, 1, 64),
      disableEndpointAfter: int(env, 'EVENT_ENDPOINT_DISABLE_AFTER', 10, 1, 1000),
    },
    http: { timeoutMs: int(env, 'HTTP_TIMEOUT_MS', 10_000, 100, 120_000) },
    outbound: { allowedHosts: allowedHosts(env) },
    logistics: {
      scanCron: str(env, 'LOGISTICS_SCAN_CRON', '*/15 * * * *'),
      pollCron: str(env, 'CARRIER_POLL_CRON', '*/30 * * * *'),
      carrierApiUrls: carrierApiUrls(env),
      pollRetries: int(env, 'CARRIER_POLL_RETRIES', 2, 0, 10),
      pollBackoffMs: int(env, 'CARRIER_POLL_BACKOFF_MS', 500, 0, 60_000),
      pollBatchSize: int(env, 'CARRIER_POLL_BATCH', 200, 1, 10_000),
    },
    refunds: {
      shopifyApiBaseUrl: httpUrl(env, 'SHOPIFY_API_BASE_URL'),
      shopifyApiVersion: oneOfPattern(env, 'SHOPIFY_API_VERSION', '2024-10', /^\d{4}-\d{2}$|^unstable$/),
      executionLeaseSeconds: int(env, 'REFUND_EXECUTION_LEASE_SECONDS', 120, 5, 3600),
    },
    reports: {
      maxJsonRows: int(env, 'REPORT_MAX_JSON_ROWS', 100_000, 1, 10_000_000),
      csvWorkMemMb: int(env, 'REPORT_CSV_WORK_MEM_MB', 256, 4, 4096),
    },
  };
}

/** OUTBOUND_ALLOWED_HOSTS: `127.0.0.1,localhost,erp.internal:8443` (host or host:port, comma-separated). */
function allowedHosts(env: Env): AllowedHost[] {
  try {
    return parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS);
  } catch (err) {
    throw new ConfigError(`OUTBOUND_ALLOWED_HOSTS: ${(err as Error).message}`);
  }
}

/** CARRIER_API_URLS: JSON object of carrier code → base URL of its tracking query API (polled carriers). */
function carrierApiUrls(env: Env): Record<string, string> {
  const raw = env.CARRIER_API_URLS;
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('CARRIER_API_URLS must be a JSON object like {"yunda":"https://api.example.com/yunda"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError('CARRIER_API_URLS must be a JSON object');
  const out: Record<string, string> = {};
  for (const [carrier, url] of Object.entries(parsed)) {
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) throw new ConfigError(`CARRIER_API_URLS.${carrier} must be an http(s) URL`);
    out[carrier.trim().toLowerCase()] = url.replace(/\/+$/, '');
  }
  return out;
}

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
