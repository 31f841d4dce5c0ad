import ipaddr from 'ipaddr.js';

/** A host the operator allows outbound calls to whatever it resolves to (tests, on-premise systems). */
export interface AllowedHost {
  /** Lower case, no trailing dot; IPv6 without brackets. */
  host: string;
  /** Null: any port. */
  port: number | null;
}

/** Lower case, brackets and trailing dots removed: `[::1]` → `::1`, `Example.COM.` → `example.com`. */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.replace(/\.+$/, '');
}

/** Parses OUTBOUND_ALLOWED_HOSTS: `host`, `host:port`, `[v6]:port` or a bare IPv6, comma-separated. */
export function parseAllowedHosts(raw: string | undefined): AllowedHost[] {
  if (!raw || !raw.trim()) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let host = entry;
      let port: number | null = null;
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
      if (bracketed) {
        host = bracketed[1];
        port = bracketed[2] ? Number(bracketed[2]) : null;
      } else if ((entry.match(/:/g) ?? []).length === 1) {
        const [h, p] = entry.split(':');
        if (!/^\d+$/.test(p)) throw new Error(`"${entry}": the port must be a number`);
        host = h;
        port = Number(p);
      }
      host = normaliseHost(host);
      if (port !== null && (port < 1 || port > 65535)) throw new Error(`"${entry}": the port must be between 1 and 65535`);
      if (!ipaddr.isValid(host) && !/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host)) {
        throw new Error(`"${entry}" is not a host name or IP address`);
      }
      return { host: ipaddr.isValid(host) ? ipaddr.parse(host).toNormalizedString() : host, port };
    });
}
