import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { PASSWORD_FILE } from '../../src/auth/bootstrap.service.js';
import { loadConfig } from '../../src/config/config.js';
import { verifyPassword } from '../../src/kernel/auth/password.js';
import { bearer, createShop } from '../support/factories.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

/** Everything written to stdout and stderr (the Nest JSON logger, plain terminal output) while capturing. */
function captureStdio() {
  const lines: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const sink = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
  return {
    lines,
    restore() {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    },
  };
}

const secretOf = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

// A statement that fails inside PostgreSQL, whatever the edge validation lets through: a trigger
// raises (with a DETAIL that lists the row, as a constraint violation does) when a marker value
// arrives, so the real INSERT/UPDATE with its real parameters fails.
const FAILING_TRIGGERS = `
  CREATE FUNCTION test_explode_shop() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.name = 'explode' OR NEW.platform_config->>'accessToken' LIKE 'explode-%' THEN
      RAISE EXCEPTION 'forced statement failure' USING DETAIL = 'Failing row contains (' || NEW.webhook_secret || ', ' || coalesce(NEW.tracking_salt, '') || ', ' || NEW.platform_config::text || ')';
    END IF;
    RETURN NEW;
  END $$;
  CREATE FUNCTION test_explode_endpoint() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.description = 'explode' THEN
      RAISE EXCEPTION 'forced statement failure' USING DETAIL = 'Failing row contains (' || NEW.secret || ')';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER test_explode BEFORE INSERT OR UPDATE ON shops FOR EACH ROW EXECUTE FUNCTION test_explode_shop();
  CREATE TRIGGER test_explode BEFORE INSERT OR UPDATE ON webhook_endpoints FOR EACH ROW EXECUTE FUNCTION test_explode_endpoint();
  ALTER TABLE staff ADD CONSTRAINT test_no_boom CHECK (name <> 'boom') NOT VALID;
`;

describe('secrets never reach the log (issue 9, fault 3)', () => {
  let t: TestApp;
  const requestLog: string[] = [];
  let stdio: ReturnType<typeof captureStdio>;
  const allLogs = () => [...requestLog, ...stdio.lines].join('');

  beforeAll(async () => {
    stdio = captureStdio();
    t = await startTestApp({ env: { LOG_LEVEL: 'debug' }, logStream: { write: (s: string) => void requestLog.push(s) } });
    await t.db.query(FAILING_TRIGGERS);
  });
  afterAll(async () => {
    await t?.close();
    stdio?.restore();
  });

  it('a failing UPDATE of a shop logs the failure but neither the webhook secret nor the tracking salt', async () => {
    const shop = await createShop(t);
    const webhookSecret = secretOf('S3CRET');
    const trackingSalt = secretOf('SALT');
    const res = await t.http().patch(`/api/v1/shops/${shop.id}`).set(bearer(t.adminToken)).send({ name: 'explode', webhookSecret, trackingSalt });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain(webhookSecret);
    const logs = allLogs();
    expect(logs).toContain('forced statement failure'); // the error itself is logged…
    expect(logs).not.toContain(webhookSecret); // …without its parameters or row detail
    expect(logs).not.toContain(trackingSalt);
    expect(logs).not.toContain(shop.webhookSecret);
    const [row] = await t.db.query('SELECT webhook_secret FROM shops WHERE id = $1', [shop.id]);
    expect(row.webhook_secret).toBe(shop.webhookSecret);
  });

  it('a failing refund-channel save does not log the access token', async () => {
    const shop = await createShop(t, { platform: 'shopify' });
    const accessToken = secretOf('explode');
    const res = await t.http().put(`/api/v1/refund-channels/${shop.id}`).set(bearer(t.adminToken)).send({ accessToken });
    expect(res.status).toBe(500);
    expect(allLogs()).not.toContain(accessToken);
    expect(allLogs()).not.toContain(accessToken.slice('explode-'.length));
  });

  it('a staff INSERT refused by a CHECK constraint (PostgreSQL lists the row) logs neither the password nor its hash', async () => {
    const password = secretOf('pw');
    const res = await t.http().post('/api/v1/staff').set(bearer(t.adminToken)).send({ email: `boom-${Date.now()}@test.local`, name: 'boom', role: 'agent', password });
    expect(res.status).toBe(500);
    const logs = allLogs();
    expect(logs).toContain('test_no_boom');
    expect(logs).not.toContain(password);
    expect(logs).not.toMatch(/scrypt\$\d+\$/); // no password hash, not even its prefix and parameters
  });

  it('a generated endpoint secret appears neither in the log of its creation nor in that of a failed one', async () => {
    const ok = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'https://93.184.215.14/hooks' });
    expect(ok.status).toBe(201);
    expect(ok.body.secret).toMatch(/^whsec_/);
    const failed = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'https://93.184.215.14/hooks', description: 'explode' });
    expect(failed.status).toBe(500);
    const logs = allLogs();
    expect(logs).toContain('forced statement failure');
    expect(logs).not.toContain(ok.body.secret);
    // The failed one's secret was never shown to anyone: no generated secret of any kind is in the log.
    expect(logs).not.toMatch(/whsec_[A-Za-z0-9_-]{16,}/);
  });

  it('redacts the Authorization header and secret fields wherever they are logged', async () => {
    await t.http().get('/api/v1/shops').set(bearer(t.adminToken));
    const logs = allLogs();
    expect(logs).not.toContain(t.adminToken);
    t.app.getHttpAdapter().getInstance().log.info({ shop: { webhookSecret: 'inline-secret-1', nested: { accessToken: 'inline-token-1' } }, headers: { authorization: 'Bearer inline-bearer-1' } }, 'probe');
    const probe = requestLog.find((l) => l.includes('"probe"'));
    expect(probe).toBeDefined();
    expect(probe).not.toMatch(/inline-(secret|token|bearer)-1/);
    expect(JSON.parse(probe!).shop).toEqual({ webhookSecret: '[REDACTED]', nested: { accessToken: '[REDACTED]' } });
  });

  it('an Idempotency-Key replay of an endpoint creation does not return the secret, and the stored replay holds none', async () => {
    const key = `endpoint-${Date.now()}`;
    const body = { url: 'https://93.184.215.14/replay' };
    const first = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    const replay = await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).set('Idempotency-Key', key).send(body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['idempotent-redacted']).toBe('secret');
    expect(replay.body).toEqual({ ...first.body, secret: null });
    const [row] = await t.db.query('SELECT response_body::text AS body, redacted_fields FROM idempotency_keys WHERE merchant_id = $1 AND key = $2', [t.merchantId, key]);
    expect(row.body).not.toContain(first.body.secret);
    expect(row.redacted_fields).toEqual(['secret']);
    const count = await t.db.query('SELECT count(*)::int AS n FROM webhook_endpoints WHERE url = $1', [body.url]);
    expect(count[0].n).toBe(1);
  });
});

describe('the generated bootstrap password (issue 9 fault 3, issue 11 item 13)', () => {
  async function bootstrapOnce(tty: boolean) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aso-bootstrap-'));
    const stdio = captureStdio();
    const requestLog: string[] = [];
    const wasTty = process.stderr.isTTY;
    process.stderr.isTTY = tty;
    const databaseUrl = await createTestDatabase();
    try {
      // No BOOTSTRAP_ADMIN_PASSWORD: one is generated. startTestApp logs in with its own
      // password, so the app is started without it and the login is done here.
      const config = loadConfig({ LOG_LEVEL: 'info', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_EMAIL: 'first@shop.test', JOBS_ENABLED: 'false', DATABASE_URL: databaseUrl });
      const app = await createApp(config, databaseUrl, { logStream: { write: (s: string) => void requestLog.push(s) } });
      await app.close();
    } finally {
      process.stderr.isTTY = wasTty;
      stdio.restore();
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const [admin] = (await client.query(`SELECT password_hash FROM staff WHERE email = 'first@shop.test'`)).rows;
    await client.end();
    return { dataDir, stdio: stdio.lines, requestLog, hash: admin.password_hash as string };
  }

  const jsonLines = (chunks: string[]) =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim().startsWith('{'));

  it('without a terminal: written to a 0600 file under DATA_DIR, never in a log line; the password works', async () => {
    const run = await bootstrapOnce(false);
    const file = join(run.dataDir, PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [email, password] = readFileSync(file, 'utf8').trim().split('\n');
    expect(email).toBe('first@shop.test');
    expect(password.length).toBeGreaterThanOrEqual(12);
    const everything = [...run.stdio, ...run.requestLog].join('');
    expect(everything).not.toContain(password);
    expect(jsonLines(run.stdio).some((l) => l.includes(file))).toBe(true); // the log says where to look
    expect(await verifyPassword(password, run.hash)).toBe(true);
  });

  it('on a terminal: shown once, plainly, on stderr, and in no JSON log line', async () => {
    const run = await bootstrapOnce(true);
    const text = run.stdio.join('');
    const match = /Password:\s+(\S+)/.exec(text);
    expect(match).not.toBeNull();
    const password = match![1];
    expect(jsonLines(run.stdio).filter((l) => l.includes(password))).toEqual([]);
    expect(run.requestLog.join('')).not.toContain(password);
    expect(text.split(password).length - 1).toBe(1); // once
    expect(await verifyPassword(password, run.hash)).toBe(true);
  });
});
