import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { DataDirInUse } from '../../src/database/postmaster-lock.js';

describe('embedded PostgreSQL default (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aso-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const boot = async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_EMAIL: 'boss@shop.test', BOOTSTRAP_ADMIN_PASSWORD: 'first-password' });
    const db = await startEmbeddedPostgres(config.dataDir, 0);
    const app = await createApp(config, db.url);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as { port: number }).port;
    return { db, app, http: () => request(`http://127.0.0.1:${port}`) };
  };

  it('initialises, migrates, bootstraps the admin, and reuses the data on a second start', async () => {
    const first = await boot();
    expect((await first.http().get('/health')).body).toMatchObject({ status: 'ok', database: 'up' });
    const login = await first.http().post('/api/v1/auth/login').send({ email: 'boss@shop.test', password: 'first-password' });
    expect(login.status).toBe(200);
    const shop = await first.http().post('/api/v1/shops').set('Authorization', `Bearer ${login.body.accessToken}`).send({ name: 'Kept', platform: 'generic', webhookSecret: 'secret-keep' });
    expect(shop.status).toBe(201);
    await first.app.close();
    await first.db.stop();

    const second = await boot();
    const again = await second.http().post('/api/v1/auth/login').send({ email: 'boss@shop.test', password: 'first-password' });
    expect(again.status).toBe(200);
    const list = await second.http().get('/api/v1/shops').set('Authorization', `Bearer ${again.body.accessToken}`);
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['Kept']);
    const merchants = await second.app.get(DataSource).query('SELECT count(*)::int AS n FROM merchants');
    expect(merchants[0].n).toBe(1);
    await second.app.close();
    await second.db.stop();
  });

  it('refuses a data folder whose PostgreSQL belongs to an instance still running, with a message saying so', async () => {
    const running = await startEmbeddedPostgres(dataDir, 0);
    try {
      const second = startEmbeddedPostgres(dataDir, 0);
      await expect(second).rejects.toBeInstanceOf(DataDirInUse);
      await expect(second).rejects.toThrow(/in use by another running instance/);
      // The running one was left alone.
      const app = await createApp(loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_PASSWORD: 'first-password' }), running.url);
      expect((await app.get(DataSource).query('SELECT 1 AS one'))[0].one).toBe(1);
      await app.close();
    } finally {
      await running.stop();
    }
  });

  it('says what PostgreSQL reported when it does not start, instead of "undefined"', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'aso-embedded-broken-'));
    try {
      // A cluster folder that is not one: PostgreSQL exits at once.
      mkdirSync(join(broken, 'pg'));
      writeFileSync(join(broken, 'pg', 'PG_VERSION'), '18\n');
      await expect(startEmbeddedPostgres(broken, 0)).rejects.toThrow(/Embedded PostgreSQL did not start \(data in .*\)\nPostgreSQL said:\n.*postgresql\.conf/s);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
