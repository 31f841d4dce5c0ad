import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { type AppConfig, loadConfig } from '../../src/config/config.js';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'admin-password-1';

/** Creates an empty database for one test file on the run's PostgreSQL server. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set: run tests through jest (test/setup/global-setup.mjs)');
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the listening app. */
  baseUrl: string;
  databaseUrl: string;
  config: AppConfig;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  adminToken: string;
  merchantId: string;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  extraModules?: Array<Type | DynamicModule>;
  /** Reuse an existing database (a second instance, a restart). */
  databaseUrl?: string;
  /** Receives the request log (pino) when LOG_LEVEL is not silent. */
  logStream?: { write(msg: string): void };
  /** The built console to serve (default: the project's console/dist). */
  consoleDir?: string;
}

/** Starts the real application on a fresh database, listening on 127.0.0.1, and logs the admin in. */
export async function startTestApp(opts: StartOptions = {}): Promise<TestApp> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  // Uploads go to a directory of this app's own (removed at close), never into the working copy.
  const ownDataDir = opts.env?.DATA_DIR ? null : await mkdtemp(join(tmpdir(), 'aso-test-'));
  const config = loadConfig({
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    LOG_LEVEL: 'silent',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RATE_LIMIT_MAX: '100000',
    LOGIN_RATE_LIMIT_MAX: '100000',
    JOBS_POLL_SECONDS: '0.5',
    // Fake platforms and receivers listen on 127.0.0.1: allowed by name here, as an on-premise
    // install would; specs of the refusals pass OUTBOUND_ALLOWED_HOSTS: '' (SPEC §4).
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ...opts.env,
    DATABASE_URL: databaseUrl,
  });
  const app = await createApp(config, databaseUrl, { extraModules: opts.extraModules, logStream: opts.logStream, consoleDir: opts.consoleDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const http = () => request(baseUrl);
  const login = await http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    app,
    baseUrl,
    databaseUrl,
    config,
    db: app.get(DataSource),
    http,
    adminToken: login.body.accessToken as string,
    merchantId: login.body.staff.merchantId as string,
    close: async () => {
      await app.close();
      if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}
