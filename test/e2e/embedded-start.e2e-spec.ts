import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

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
});
