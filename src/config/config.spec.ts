import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, dataDir: './.data', defaultTimezone: 'Asia/Shanghai', bodyLimitBytes: 1048576, bootstrapAdminPassword: null });
  });

  it('reads DATABASE_URL and numbers', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', PORT: '8080', RATE_LIMIT_MAX: '10' });
    expect(c.databaseUrl).toBe('postgres://u:p@db:5432/x');
    expect(c.port).toBe(8080);
    expect(c.rateLimit.max).toBe(10);
  });

  it('reads the outbound allow-list: nothing allowed by default', () => {
    expect(loadConfig({}).outbound.allowedHosts).toEqual([]);
    expect(loadConfig({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1, ERP.internal:8443,[::1]:9000' }).outbound.allowedHosts).toEqual([
      { host: '127.0.0.1', port: null },
      { host: 'erp.internal', port: 8443 },
      { host: '0:0:0:0:0:0:0:1', port: 9000 },
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEFAULT_TIMEZONE: 'Mars/Base' }, 'DEFAULT_TIMEZONE'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'not-an-email' }, 'BOOTSTRAP_ADMIN_EMAIL'],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'short' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    [{ JOBS_ENABLED: 'maybe' }, 'JOBS_ENABLED'],
    [{ JOBS_POLL_SECONDS: '0.1' }, 'JOBS_POLL_SECONDS'],
    [{ OUTBOUND_ALLOWED_HOSTS: 'erp.internal:http' }, 'OUTBOUND_ALLOWED_HOSTS'],
    [{ OUTBOUND_ALLOWED_HOSTS: 'bad host' }, 'OUTBOUND_ALLOWED_HOSTS'],
    [{ OUTBOX_CONCURRENCY: '0' }, 'OUTBOX_CONCURRENCY'],
    [{ EVENT_ENDPOINT_DISABLE_AFTER: '0' }, 'EVENT_ENDPOINT_DISABLE_AFTER'],
  ])('refuses %j with one line naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message.startsWith(name)).toBe(true);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
