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
