import { OutboundPolicy, parseAllowedHosts, refusalForAddress } from './outbound-policy.js';

describe('outbound URL policy (SPEC §4)', () => {
  const closed = new OutboundPolicy([]);
  const refused = (url: string) => {
    const r = closed.check(url);
    return 'refused' in r ? r.refused : null;
  };

  it.each([
    ['http://127.0.0.1:3599', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.0.1/', 'private'],
    ['http://100.64.0.1/', 'CGNAT'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://169.254.169.254./', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://[fd00:ec2::254]/', 'unique-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://localhost:8080/', 'internal host name'],
    ['http://LOCALHOST./', 'internal host name'],
    ['http://api.localhost/', 'internal host name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'internal host name'],
    ['http://metadata.google.internal./', 'internal host name'],
    ['http://metadata/', 'internal host name'],
    ['http://erp.internal/', 'internal host name'],
    ['http://printer.local/', 'internal host name'],
    ['http://intranet/', 'not a fully qualified host name'],
    ['ftp://files.example.com/', 'only http and https'],
    ['file:///etc/passwd', 'only http and https'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s (%s)', (url, why) => {
    expect(refused(url)).toContain(why);
  });

  it.each(['https://erp.example.com/hooks', 'http://93.184.216.34:8080/x', 'https://[2606:4700:4700::1111]/', 'https://my-shop.myshopify.com'])('accepts %s', (url) => {
    expect(refused(url)).toBeNull();
  });

  it('judges resolved addresses the same way, IPv4 inside IPv6 included', () => {
    expect(refusalForAddress('8.8.8.8')).toBeNull();
    expect(refusalForAddress('2606:4700:4700::1111')).toBeNull();
    expect(refusalForAddress('::ffff:10.1.2.3')).toContain('private');
    expect(refusalForAddress('64:ff9b::a01:203')).toContain('non-public');
    expect(refusalForAddress('192.0.2.10')).toContain('reserved');
  });

  it('lets named hosts through whatever they are, on any port or the one given', () => {
    const open = new OutboundPolicy(parseAllowedHosts('127.0.0.1, Localhost ,erp.internal:8443,[::1]:9000'));
    expect(open.check('http://127.0.0.1:3599/x')).toMatchObject({ allowListed: true });
    // WHATWG URL parsing turns these spellings into 127.0.0.1: the same host, allowed alike
    expect(open.check('http://0x7f000001:3599/x')).toMatchObject({ allowListed: true });
    expect(open.check('http://localhost./x')).toMatchObject({ allowListed: true });
    expect(open.check('https://erp.internal:8443/')).toMatchObject({ allowListed: true });
    expect(open.check('https://erp.internal:9443/')).toEqual({ refused: '"erp.internal" is an internal host name' });
    expect(open.check('http://[::1]:9000/')).toMatchObject({ allowListed: true });
    expect(open.check('http://[::1]:9001/')).toMatchObject({ refused: expect.stringContaining('loopback') });
    expect(open.check('http://10.0.0.1/')).toMatchObject({ refused: expect.stringContaining('private') });
  });

  it.each(['a b', 'host:port', 'host:70000', '[::1]:x'])('refuses the allow-list entry %j', (entry) => {
    expect(() => parseAllowedHosts(entry)).toThrow();
  });
});
