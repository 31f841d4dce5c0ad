import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/kernel/auth/password.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { postGeneric, processDelivery } from './platforms.js';
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

// ---- factories (issue 10 item 8): defaults plus overrides, through the real HTTP API and webhooks ----

/** A staff member of the test merchant, logged in (default: an agent). */
export function newStaff(t: TestApp, overrides: { role?: Role; name?: string; email?: string } = {}): Promise<StaffLogin> {
  return createStaff(t, overrides.role ?? Role.Agent, overrides);
}

export type ShopInfo = Awaited<ReturnType<typeof createShop>>;

/** A shop of the test merchant, created by its admin (default: a generic-platform shop in Asia/Shanghai). */
export function newShop(t: TestApp, overrides: ShopOverrides = {}): Promise<ShopInfo> {
  return createShop(t, overrides);
}

export interface OrderLineSpec {
  sku?: string;
  title?: string;
  quantity?: number;
  /** Minor units. */
  unitPrice?: number;
}

export interface OrderOverrides {
  /** A generic-platform shop of the test merchant; a new one when absent. */
  shop?: ShopInfo;
  /** How far the platform has taken it (default paid). */
  status?: 'pending_payment' | 'paid' | 'shipped' | 'delivered';
  lines?: OrderLineSpec[];
  /** Minor units. */
  shipping?: number;
  discount?: number;
  province?: string;
  paymentMethod?: 'prepaid' | 'cod';
  customer?: { name?: string; phone?: string; email?: string };
  /** For shipped/delivered: the platform's shipment. */
  carrier?: string;
  trackingNo?: string;
  platformOrderId?: string;
  orderNumber?: string;
  /** Placed (and versioned) at; default now. */
  placedAt?: Date;
}

export interface NewOrder {
  id: string;
  shopId: string;
  platformOrderId: string;
  orderNumber: string;
  status: string;
  totalAmount: number;
  lineIds: string[];
  trackingNo: string | null;
}

const decimal = (minor: number) => `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;

/**
 * An order as a shop platform reports it: a signed generic-platform webhook (docs/webhooks.md)
 * processed by the real pipeline (inbox, adapter, OrderSyncService, the engine), then read back
 * over the API. Default: one line 保温杯 × 1 at 199.00, paid, shipping to 广东省.
 */
export async function newOrder(t: TestApp, overrides: OrderOverrides = {}): Promise<NewOrder> {
  const shop = overrides.shop ?? (await newShop(t));
  if (shop.platform !== 'generic') throw new Error('newOrder reports orders through the generic platform: give it a generic shop');
  const status = overrides.status ?? 'paid';
  const platformOrderId = overrides.platformOrderId ?? `P-${unique()}`;
  const orderNumber = overrides.orderNumber ?? `N${unique()}`;
  const placedAt = overrides.placedAt ?? new Date();
  const lines = (overrides.lines ?? [{}]).map((l, i) => ({
    id: `L${i + 1}`, sku: l.sku ?? `SKU-${i + 1}`, title: l.title ?? '保温杯', quantity: l.quantity ?? 1, unitPrice: l.unitPrice ?? 19_900,
  }));
  const items = lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
  const shipping = overrides.shipping ?? 0;
  const discount = overrides.discount ?? 0;
  const total = items + shipping - discount;
  const trackingNo = status === 'shipped' || status === 'delivered' ? (overrides.trackingNo ?? `SF${unique().replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`) : null;
  const data = {
    orderId: platformOrderId,
    orderNumber,
    createdAt: placedAt.toISOString(),
    updatedAt: placedAt.toISOString(),
    currency: 'CNY',
    paymentMethod: overrides.paymentMethod ?? 'prepaid',
    paidAt: status === 'pending_payment' ? null : placedAt.toISOString(),
    amounts: { items: decimal(items), discount: decimal(discount), shipping: decimal(shipping), tax: '0.00', other: '0.00', total: decimal(total) },
    lines: lines.map((l) => ({ ...l, unitPrice: decimal(l.unitPrice) })),
    customer: { name: '王五', phone: '13700137000', email: 'wang@example.com', ...overrides.customer },
    shippingAddress: { country: 'CN', province: overrides.province ?? '广东省', city: '深圳市', district: '南山区', address: '科技园 1 号', postcode: '518000' },
    note: null,
    carrier: overrides.carrier ?? null,
    shipments: trackingNo ? [{ carrier: overrides.carrier ?? 'SF', trackingNo, shippedAt: placedAt.toISOString() }] : [],
    deliveredAt: status === 'delivered' ? placedAt.toISOString() : null,
  };
  const res = await postGeneric(t, shop.id, { id: `evt-${unique()}`, topic: 'order.created', data }, { secret: shop.webhookSecret });
  if (res.status >= 300) throw new Error(`order webhook refused: ${res.status} ${JSON.stringify(res.body)}`);
  await processDelivery(t, res.body.id);
  const found = await t.http().get(`/api/v1/orders/by-platform-id/${encodeURIComponent(platformOrderId)}?shopId=${shop.id}`).set(bearer(t.adminToken));
  if (found.status !== 200) throw new Error(`order ${platformOrderId} not found after its webhook: ${found.status} ${JSON.stringify(found.body)}`);
  const o = found.body;
  return {
    id: o.id, shopId: shop.id, platformOrderId, orderNumber, status: o.status, totalAmount: Number(o.totalAmount), trackingNo,
    lineIds: (o.lines as Array<{ id: string }>).map((l) => l.id),
  };
}

export interface ShipmentOverrides {
  /** The order it belongs to (its shop is used); else `shopId`, else a new shop. */
  order?: NewOrder;
  shopId?: string;
  carrier?: string;
  trackingNo?: string;
  originProvince?: string;
  destProvince?: string;
}

/** A parcel registered by staff (POST /api/v1/shipments); default SF from 浙江 to 广东省. */
export async function newShipment(t: TestApp, overrides: ShipmentOverrides = {}): Promise<{ id: string; trackingNo: string; carrier: string; shopId: string; orderId: string | null; status: string }> {
  const shopId = overrides.order?.shopId ?? overrides.shopId ?? (await newShop(t)).id;
  const body = {
    shopId,
    ...(overrides.order ? { orderId: overrides.order.id } : {}),
    carrier: overrides.carrier ?? 'SF',
    trackingNo: overrides.trackingNo ?? `SF${unique().replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
    originProvince: overrides.originProvince ?? '浙江',
    destProvince: overrides.destProvince ?? '广东省',
  };
  const res = await t.http().post('/api/v1/shipments').set(bearer(t.adminToken)).send(body);
  if (res.status !== 201) throw new Error(`register shipment failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, trackingNo: res.body.trackingNo, carrier: res.body.carrier, shopId, orderId: res.body.orderId ?? null, status: res.body.status };
}

export interface ReturnOverrides {
  /** The order returned; a new paid order when absent. */
  order?: NewOrder;
  type?: 'refund_only' | 'return_refund' | 'exchange';
  reason?: string;
  /** Default: the order's total for refunds, 0 for an exchange. */
  requestedAmount?: number;
  /** Default: every line once for return_refund and exchange. */
  lines?: Array<{ orderLineId: string; quantity: number }>;
  description?: string;
  /** Who registers it (default the admin). */
  token?: string;
}

/** A return case registered by staff (POST /api/v1/returns); default refund_only, damaged, the whole order. */
export async function newReturn(t: TestApp, overrides: ReturnOverrides = {}): Promise<{ id: string; status: string; version: number; orderId: string; order: NewOrder }> {
  const order = overrides.order ?? (await newOrder(t));
  const type = overrides.type ?? 'refund_only';
  const body = {
    orderId: order.id,
    type,
    reason: overrides.reason ?? 'damaged',
    requestedAmount: overrides.requestedAmount ?? (type === 'exchange' ? 0 : order.totalAmount),
    ...(type === 'refund_only' && !overrides.lines ? {} : { lines: overrides.lines ?? order.lineIds.map((id) => ({ orderLineId: id, quantity: 1 })) }),
    ...(overrides.description ? { description: overrides.description } : {}),
  };
  const res = await t.http().post('/api/v1/returns').set(bearer(overrides.token ?? t.adminToken)).send(body);
  if (res.status !== 201) throw new Error(`create return failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, status: res.body.status, version: res.body.version, orderId: order.id, order };
}
