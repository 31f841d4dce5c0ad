import ipaddr from 'ipaddr.js';
import { type AllowedHost, normaliseHost } from '../../config/allowed-hosts.js';

export { type AllowedHost, normaliseHost, parseAllowedHosts } from '../../config/allowed-hosts.js';

/**
 * Names that only mean something inside the machine or the private network, refused without asking
 * DNS: `localhost` and its subdomains (RFC 6761 resolves them to loopback), private-use and
 * link-local-only zones, and the cloud metadata services' names.
 */
const INTERNAL_NAMES = new Set(['localhost', 'metadata', 'metadata.goog', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);
const INTERNAL_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa', '.intranet', '.lan', '.corp', '.private'];

const RANGE_REASON: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  uniqueLocal: 'a unique-local address',
  carrierGradeNat: 'a shared (CGNAT) address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  unspecified: 'the unspecified address',
  reserved: 'a reserved address',
};

/** Why an IP address may not be called, or null when it is a public unicast address. */
export function refusalForAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let ip = ipaddr.parse(address);
  // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast') return null;
  return `it points at ${RANGE_REASON[range] ?? `a non-public address (${range})`}`;
}

/**
 * SPEC §4: every URL a merchant can set is refused when it points at loopback, private,
 * link-local, unique-local, CGNAT, metadata, multicast, broadcast or unspecified addresses,
 * unless the operator allowed its host. Pure: DNS answers are judged by `refusalForAddress`.
 */
export class OutboundPolicy {
  constructor(private readonly allowed: readonly AllowedHost[]) {}

  /** True when the operator allowed this host (and port): its addresses are not judged. */
  isAllowListed(host: string, port: number): boolean {
    const h = normaliseHost(host);
    const key = ipaddr.isValid(h) ? ipaddr.parse(h).toNormalizedString() : h;
    return this.allowed.some((a) => a.host === key && (a.port === null || a.port === port));
  }

  /**
   * Checks what can be judged without DNS: scheme, the host's spelling and name. Returns the
   * parsed URL (WHATWG: `0x7f000001`, `2130706433` and `127.1` all become `127.0.0.1`, as Node
   * itself will connect) or the reason for refusal.
   */
  check(raw: string): { url: URL; host: string; port: number; literal: boolean; allowListed: boolean } | { refused: string } {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { refused: 'it is not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: 'only http and https URLs are allowed' };
    const host = normaliseHost(url.hostname);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const literal = ipaddr.isValid(host);
    const allowListed = this.isAllowListed(host, port);
    if (allowListed) return { url, host, port, literal, allowListed };
    if (literal) {
      const reason = refusalForAddress(host);
      if (reason) return { refused: reason };
      return { url, host, port, literal, allowListed };
    }
    if (!host) return { refused: 'it has no host' };
    if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return { refused: `"${host}" is an internal host name` };
    // A single label (`http://erp/`) is completed by local search domains: internal by nature.
    if (!host.includes('.')) return { refused: `"${host}" is not a fully qualified host name` };
    return { url, host, port, literal, allowListed };
  }
}
