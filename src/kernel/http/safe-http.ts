import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { InvalidInput } from '../errors/domain-errors.js';
import { OutboundPolicy, refusalForAddress } from './outbound-policy.js';

/** Resolves a host name to all its addresses (dns.lookup with `all: true` by default). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;
/** Nest token: replaces DNS for the outbound helper (tests of rebinding, split-horizon setups). */
export const OUTBOUND_RESOLVER = Symbol('OUTBOUND_RESOLVER');

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export type OutboundFailure = 'refused' | 'timeout' | 'network' | 'http';

/**
 * An outbound call that failed. The message is short and ours: a status or a kind of network
 * failure, never the remote body or the address a name resolved to (SPEC §4: a remote answer's
 * body is never shown back).
 */
export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    readonly reason: string,
    /** HTTP status when the remote answered. */
    readonly status: number | null = null,
  ) {
    super(reason);
    this.name = 'OutboundError';
  }
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  /** The body as text, for the caller to read; not to be shown or stored as a failure reason. */
  text: string;
}

const MAX_ANSWER_BYTES = 1024 * 1024;
const SAVE_TIME_DNS_MS = 2_000;

/**
 * The one way the service calls URLs a merchant can set (SPEC §4). Before connecting, a literal
 * address is judged; a name is resolved by the agents' own `lookup`, every address it resolves to
 * is judged, and the socket connects to the address that was judged — so a name that resolves
 * elsewhere on a second query (DNS rebinding) cannot slip in between check and connect. No
 * redirects are followed (a 3xx is a failure), environment proxies are ignored, the whole call is
 * bounded by HTTP_TIMEOUT_MS and the answer by 1 MiB. Hosts in OUTBOUND_ALLOWED_HOSTS skip the
 * address checks (tests, on-premise systems).
 */
@Injectable()
export class SafeHttp {
  readonly policy: OutboundPolicy;
  private readonly client: AxiosInstance;
  private readonly resolve: Resolver;
  /** Agents per decision: the lookup of an allow-listed host does not judge addresses. */
  private readonly agents: Record<'checked' | 'allowListed', { httpAgent: http.Agent; httpsAgent: https.Agent }>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(OUTBOUND_RESOLVER) resolver?: Resolver,
  ) {
    this.policy = new OutboundPolicy(config.outbound.allowedHosts);
    this.resolve = resolver ?? systemResolver;
    const agentsFor = (judge: boolean) => {
      const lookup = this.guardedLookup(judge);
      return {
        httpAgent: new http.Agent({ keepAlive: false, lookup } as http.AgentOptions),
        httpsAgent: new https.Agent({ keepAlive: false, lookup } as https.AgentOptions),
      };
    };
    this.agents = { checked: agentsFor(true), allowListed: agentsFor(false) };
    this.client = axios.create({
      proxy: false,
      maxRedirects: 0,
      maxContentLength: MAX_ANSWER_BYTES,
      maxBodyLength: MAX_ANSWER_BYTES * 8,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
  }

  /** Sends the request; resolves with a 2xx answer, rejects with an OutboundError otherwise. */
  async request(req: OutboundRequest): Promise<OutboundResponse> {
    const checked = this.policy.check(req.url);
    if ('refused' in checked) throw new OutboundError('refused', `address not allowed: ${checked.refused}`);
    const timeoutMs = this.config.http.timeoutMs;
    let res;
    try {
      res = await this.client.request<string>({
        method: req.method,
        url: checked.url.toString(),
        headers: req.headers,
        data: req.body,
        timeout: timeoutMs,
        ...this.agents[checked.allowListed ? 'allowListed' : 'checked'],
        // The socket timeout above is per inactivity; this bounds the whole exchange (a slow drip too).
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw toOutboundError(err);
    }
    if (res.status >= 300 && res.status < 400) throw new OutboundError('http', `HTTP ${res.status} (redirects are not followed)`, res.status);
    if (res.status < 200 || res.status >= 300) throw new OutboundError('http', `HTTP ${res.status}`, res.status);
    return { status: res.status, text: typeof res.data === 'string' ? res.data : '' };
  }

  /**
   * Save-time check of a merchant-set URL: refuses it (400 naming `field`) when its spelling or
   * name is internal, or when its name resolves to an internal address now. A name that does not
   * resolve yet is accepted: it is judged again on every connect.
   */
  async assertAllowed(field: string, raw: string): Promise<void> {
    const checked = this.policy.check(raw);
    const refuse = (why: string) => {
      throw new InvalidInput(`${field} is not allowed: ${why}`, [{ field, errors: [`${field} is not allowed: ${why}`] }]);
    };
    if ('refused' in checked) return refuse(checked.refused);
    if (checked.literal || checked.allowListed) return;
    const addresses = await withTimeout(this.resolve(checked.host), SAVE_TIME_DNS_MS).catch(() => [] as LookupAddress[]);
    for (const a of addresses) {
      const why = refusalForAddress(a.address);
      if (why) return refuse(`"${checked.host}" resolves to an address that is not allowed (${why.replace(/^it points at /, '')})`);
    }
  }

  private guardedLookup(judge: boolean): LookupFunction {
    return (hostname, options, callback) => {
      const cb = callback as (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;
      this.resolve(hostname).then(
        (all) => {
          const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
          if (!wanted.length) return cb(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
          // The agent connects to what this returns, so checking here is checking what is connected to.
          if (judge) {
            for (const a of wanted) {
              const why = refusalForAddress(a.address);
              if (why) return cb(new OutboundError('refused', `address not allowed: "${hostname}" resolves to ${why.replace(/^it points at /, '')}`));
            }
          }
          if (options.all) return cb(null, wanted);
          return cb(null, wanted[0].address, wanted[0].family);
        },
        (err: NodeJS.ErrnoException) => cb(err),
      );
    };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const NETWORK_REASONS: Array<[RegExp, OutboundFailure, string]> = [
  [/^(ECONNABORTED|ETIMEDOUT|ERR_CANCELED|ABORT_ERR|TimeoutError)$/, 'timeout', 'timeout'],
  [/^ECONNREFUSED$/, 'network', 'connection refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NODATA|EAI_NONAME)$/, 'network', 'host not found'],
  [/^(ECONNRESET|EPIPE|ERR_SOCKET_CLOSED)$/, 'network', 'connection reset'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/, 'network', 'host unreachable'],
  [/^ERR_BAD_RESPONSE$/, 'network', 'answer not understood'],
  [/^(ERR_FR_MAX_BODY_LENGTH_EXCEEDED|ERR_BAD_RESPONSE_TOO_LARGE)$/, 'network', 'answer too large'],
  [/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/, 'network', 'TLS handshake failed'],
];

/** Maps any failure of a call to a short reason of our own words. */
function toOutboundError(err: unknown): OutboundError {
  let cause: unknown = err;
  // The guarded lookup's refusal arrives wrapped by the socket and by axios.
  for (let i = 0; i < 4 && cause; i++) {
    if (cause instanceof OutboundError) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  const code = isAxiosError(err) ? (err.code ?? '') : ((err as { code?: string; name?: string })?.code ?? (err as { name?: string })?.name ?? '');
  const causeCode = (err as { cause?: { code?: string } })?.cause?.code ?? '';
  if (isAxiosError(err) && /maxContentLength/.test(err.message)) return new OutboundError('network', 'answer too large');
  if (isAxiosError(err) && /socket hang up/i.test(err.message)) return new OutboundError('network', 'connection reset');
  for (const [re, failure, reason] of NETWORK_REASONS) {
    if (re.test(code) || (causeCode && re.test(causeCode))) return new OutboundError(failure, reason);
  }
  return new OutboundError('network', 'request failed');
}
