import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/config.js';
import { InvalidInput } from '../errors/domain-errors.js';
import { OutboundError, type Resolver, SafeHttp } from './safe-http.js';

/** A real server on 127.0.0.1 that counts the connections it accepted. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

const close = (s: Server) => {
  s.closeAllConnections();
  return new Promise((r) => s.close(r));
};

/** DNS for names the tests make up: each name answers from its list of answers, one per query. */
function fakeDns(answers: Record<string, string[][]>): Resolver & { queries: string[] } {
  const queries: string[] = [];
  const resolve = async (host: string): Promise<LookupAddress[]> => {
    queries.push(host);
    const list = answers[host.replace(/\.$/, '')];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const next = list.length > 1 ? list.shift()! : list[0];
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { queries });
}

const http = (env: Record<string, string>, dns: Resolver) => new SafeHttp(loadConfig({ HTTP_TIMEOUT_MS: '500', ...env }), dns);

describe('SafeHttp: the one outbound helper for merchant-set URLs (SPEC §4)', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  const seen: string[] = [];

  beforeAll(async () => {
    target = await listen((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-signature'] ?? ''}`);
      if (req.url === '/boom') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('root:x:0:0 INTERNAL-SECRET-7f3a');
      if (req.url === '/hang') return; // accepts, never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  afterAll(() => close(target.server));

  it('refuses at connect time a name that resolved to a public address when saved and to loopback now (rebinding), without connecting', async () => {
    const dns = fakeDns({ 'hooks.example.com': [['93.184.216.34'], ['127.0.0.1']] });
    const client = http({}, dns);
    const url = `http://hooks.example.com:${target.port}/events`;
    await expect(client.assertAllowed('url', url)).resolves.toBeUndefined();
    const before = target.connections();
    const err = await client.request({ method: 'POST', url, body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect(err).toMatchObject({ failure: 'refused', message: 'address not allowed: "hooks.example.com" resolves to a loopback address' });
    expect(target.connections()).toBe(before);
    expect(dns.queries).toEqual(['hooks.example.com', 'hooks.example.com']);
  });

  it('refuses a name when any one of its addresses is internal', async () => {
    const client = http({}, fakeDns({ 'mixed.example.com': [['93.184.216.34', '10.0.0.7']] }));
    await expect(client.request({ method: 'GET', url: `http://mixed.example.com:${target.port}/` })).rejects.toMatchObject({ failure: 'refused' });
    await expect(client.assertAllowed('refundWebhookUrl', 'https://mixed.example.com/refunds')).rejects.toMatchObject({
      status: 400,
      details: [{ field: 'refundWebhookUrl', errors: [expect.stringContaining('private address')] }],
    });
  });

  it('resolves an allow-listed name once and connects to that very address', async () => {
    const dns = fakeDns({ 'erp.onprem.test': [['127.0.0.1']] });
    const client = http({ OUTBOUND_ALLOWED_HOSTS: 'erp.onprem.test' }, dns);
    const before = target.connections();
    const res = await client.request({ method: 'GET', url: `http://erp.onprem.test:${target.port}/ok` });
    expect(res).toEqual({ status: 200, text: '{"ok":true}' });
    expect(dns.queries).toEqual(['erp.onprem.test']);
    expect(target.connections()).toBe(before + 1);
  });

  it('refuses literal internal addresses before any connection, in every spelling', async () => {
    const client = http({}, fakeDns({}));
    const before = target.connections();
    for (const host of ['127.0.0.1', '0x7f000001', '2130706433', '127.1', '[::ffff:127.0.0.1]']) {
      await expect(client.request({ method: 'GET', url: `http://${host}:${target.port}/ok` })).rejects.toMatchObject({ failure: 'refused' });
    }
    expect(target.connections()).toBe(before);
  });

  it('follows no redirect: a 3xx is a failure, and the signature never reaches the redirect target', async () => {
    const redirector = await listen((_req, res) => void res.writeHead(307, { location: `http://127.0.0.1:${target.port}/stolen` }).end());
    try {
      const client = http({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }, fakeDns({}));
      const err = await client
        .request({ method: 'POST', url: `http://127.0.0.1:${redirector.port}/refunds`, headers: { 'x-signature': 't=1,v1=abc' }, body: '{}' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ failure: 'http', status: 307, message: 'HTTP 307 (redirects are not followed)' });
      expect(seen.filter((s) => s.includes('/stolen'))).toEqual([]);
    } finally {
      await close(redirector.server);
    }
  });

  it('reports a failing answer by its status only, never its body', async () => {
    const client = http({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }, fakeDns({}));
    const err = await client.request({ method: 'GET', url: `http://127.0.0.1:${target.port}/boom` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'http', status: 500, message: 'HTTP 500' });
    expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain('INTERNAL-SECRET');
  });

  it('bounds an endpoint that accepts and never answers, and names network failures in its own words', async () => {
    const client = http({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' }, fakeDns({}));
    await expect(client.request({ method: 'GET', url: `http://127.0.0.1:${target.port}/hang` })).rejects.toMatchObject({ failure: 'timeout', message: 'timeout' });
    const closed = await listen(() => undefined);
    const port = closed.port;
    await close(closed.server);
    const err = await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'network', message: 'connection refused' });
  });

  it('refuses at save time with a 400 naming the field', async () => {
    const client = http({}, fakeDns({ 'db.example.com': [['10.1.2.3']] }));
    const err = await client.assertAllowed('apiBaseUrl', 'https://db.example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ details: [{ field: 'apiBaseUrl', errors: ['apiBaseUrl is not allowed: "db.example.com" resolves to an address that is not allowed (a private address)'] }] });
    // A name DNS does not know yet is accepted: it is judged again on every connect.
    await expect(client.assertAllowed('apiBaseUrl', 'https://not-yet.example.com')).resolves.toBeUndefined();
  });
});
