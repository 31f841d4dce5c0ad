import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/kernel/auth/password.js';
import type { Role } from '../../src/kernel/auth/roles.js';
import type { TestApp } from './test-app.js';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;

export interface StaffLogin {
  id: string;
  email: string;
  password: string;
  token: string;
  role: Role;
}

/** Adds a staff member through the API (as the admin) and logs them in. */
export async function createStaff(t: TestApp, role: Role, overrides: { name?: string; email?: string } = {}): Promise<StaffLogin> {
  const email = overrides.email ?? `${role}-${unique()}@test.local`;
  const password = `pw-${unique()}`;
  const res = await t.http().post('/api/v1/staff').set(bearer(t.adminToken)).send({ email, name: overrides.name ?? `${role} ${seq}`, role, password });
  if (res.status !== 201) throw new Error(`create staff failed: ${res.status} ${JSON.stringify(res.body)}`);
  const login = await t.http().post('/api/v1/auth/login').send({ email, password });
  return { id: res.body.id, email, password, token: login.body.accessToken, role };
}

export interface ShopOverrides {
  name?: string;
  platform?: 'shopify' | 'woocommerce' | 'generic';
  webhookSecret?: string;
  trackingSalt?: string;
  timezone?: string;
  currency?: string;
}

/** Creates a shop through the API (as the admin). Returns the response plus the secrets used. */
export async function createShop(t: TestApp, overrides: ShopOverrides = {}, token = t.adminToken) {
  const body = {
    name: overrides.name ?? `Shop ${unique()}`,
    platform: overrides.platform ?? 'generic',
    webhookSecret: overrides.webhookSecret ?? `whsec_${unique()}`,
    trackingSalt: overrides.trackingSalt ?? `salt_${unique()}`,
    ...(overrides.timezone ? { timezone: overrides.timezone } : {}),
    ...(overrides.currency ? { currency: overrides.currency } : {}),
  };
  const res = await t.http().post('/api/v1/shops').set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`create shop failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, webhookSecret: body.webhookSecret, trackingSalt: body.trackingSalt } as {
    id: string;
    name: string;
    platform: string;
    timezone: string;
    webhookSecret: string;
    trackingSalt: string;
  };
}

/** A second merchant with its own admin, written directly (there is no public sign-up). */
export async function createOtherMerchant(t: TestApp): Promise<{ merchantId: string; adminToken: string }> {
  const db: DataSource = t.db;
  const email = `other-${unique()}@test.local`;
  const password = `pw-${unique()}`;
  const [m]: Array<{ id: string }> = await db.query(`INSERT INTO merchants (name) VALUES ('Other merchant') RETURNING id`);
  await db.query(`INSERT INTO staff (merchant_id, email, name, role, password_hash) VALUES ($1, $2, 'Other admin', 'admin', $3)`, [m.id, email, await hashPassword(password)]);
  const login = await t.http().post('/api/v1/auth/login').send({ email, password });
  return { merchantId: m.id, adminToken: login.body.accessToken };
}
