import { createHash } from 'node:crypto';
import { MoneyError, parseMoney } from '../../kernel/money/money.js';
import type { PlatformEvent } from './platform-event.js';
import type { ShopPlatform } from '../../shops/shop.entity.js';

export type Headers = Record<string, string | string[] | undefined>;

/** What the inbox keeps about a delivery besides its body. */
export interface Envelope {
  topic: string;
  deliveryId: string;
  eventAt: Date | null;
  /** The headers that matter, for audit and replay. */
  headers: Record<string, string>;
}

export interface ShopContext {
  id: string;
  currency: string;
}

/** One platform: how its deliveries are signed, identified and mapped to orders. */
export interface PlatformAdapter {
  readonly platform: ShopPlatform;
  /** Checks what can be checked without the shop (signature header present and well formed, timestamp); throws Unauthenticated. */
  precheck(headers: Headers, now: Date): void;
  /** Verifies the signature over the raw body with the shop's secret, in constant time. */
  verify(raw: Buffer, headers: Headers, secret: string): boolean;
  /** Topic, delivery id and headers of an authentic delivery; throws InvalidInput when they are missing. */
  envelope(raw: Buffer, headers: Headers): Envelope;
  /** Maps a stored delivery; throws PayloadError when the payload cannot be an order / refund. */
  map(topic: string, body: unknown, shop: ShopContext): PlatformEvent;
}

/** The payload is authentic but cannot be applied (missing or malformed field). Permanent: not retried. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

export function pickHeaders(headers: Headers, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = header(headers, n);
    if (v !== undefined) out[n.toLowerCase()] = v;
  }
  return out;
}

/** A delivery without an id of its own is identified by its content. */
export function bodyDigest(raw: Buffer): string {
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

// ---- payload readers: tolerant of absent optional fields, strict about what they return ----

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') {
    // PostgreSQL text cannot hold NUL; a platform never means one.
    const s = v.replace(/\u0000/g, '').trim();
    return s === '' ? null : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function date(v: unknown, what: string, required: true): Date;
export function date(v: unknown, what: string, required?: false): Date | null;
export function date(v: unknown, what: string, required = false): Date | null {
  const s = str(v);
  if (!s) {
    if (required) throw new PayloadError(`${what} is missing`);
    return null;
  }
  const d = parseInstant(s);
  if (!d) throw new PayloadError(`${what} is not a date between 1900 and 2999: "${s}"`);
  return d;
}

/** An ISO-ish date the database can store and a platform could mean (1900–2999), else null. */
export function parseInstant(s: string | undefined | null): Date | null {
  if (!s) return null;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return null;
  const y = d.getUTCFullYear();
  return y >= 1900 && y <= 2999 ? d : null;
}

/** WooCommerce *_gmt fields carry no offset: they are UTC. */
export function gmtDate(v: unknown, what: string): Date | null {
  const s = str(v);
  if (!s) return null;
  return date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`, what);
}

/** A platform decimal ("199.00", "0.10") in minor units, exactly; absent → 0. */
export function money(v: unknown, currency: string, what: string): number {
  if (v === null || v === undefined || v === '') return 0;
  if (typeof v !== 'string' && typeof v !== 'number') throw new PayloadError(`${what} is not an amount`);
  try {
    return parseMoney(v, currency);
  } catch (e) {
    if (e instanceof MoneyError) throw new PayloadError(`${what}: ${e.message}`);
    throw e;
  }
}

export function quantity(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new PayloadError(`${what} is not a whole quantity`);
  return n;
}

export function times(unit: number, qty: number, what: string): number {
  const v = unit * qty;
  if (!Number.isSafeInteger(v)) throw new PayloadError(`${what} exceeds the safe range`);
  return v;
}

export function sum(values: number[], what: string): number {
  let t = 0n;
  for (const v of values) t += BigInt(v);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new PayloadError(`${what} exceeds the safe range`);
  return n;
}

export function currencyOf(v: unknown, fallback: string): string {
  const c = str(v);
  if (c && /^[A-Za-z]{3}$/.test(c)) return c.toUpperCase();
  if (c) throw new PayloadError(`currency "${c}" is not an ISO 4217 code`);
  return fallback;
}
