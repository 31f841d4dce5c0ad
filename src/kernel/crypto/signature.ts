import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^[0-9a-fA-F]+$/;

/** Shopify / WooCommerce: base64 HMAC-SHA256 of the raw body, compared in constant time. */
export function verifyBase64Hmac(raw: Buffer, secret: string, given: string): boolean {
  const expected = createHmac('sha256', secret).update(raw).digest();
  const trimmed = given.trim();
  if (!BASE64.test(trimmed)) return false;
  const got = Buffer.from(trimmed, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function signBase64Hmac(raw: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/** Generic: `X-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]` (several v1 while a secret rotates). */
export interface GenericSignature {
  timestamp: number;
  signatures: string[];
}

export function parseGenericSignature(header: string): GenericSignature | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') {
      if (!/^\d{1,12}$/.test(v) || timestamp !== null) return null;
      timestamp = Number(v);
    } else if (k === 'v1') {
      if (!HEX.test(v) || v.length !== 64) return null;
      signatures.push(v.toLowerCase());
    }
  }
  return timestamp === null || !signatures.length ? null : { timestamp, signatures };
}

/** hex HMAC-SHA256 of "<t>.<raw body>". */
export function genericSignatureOf(raw: Buffer | string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
}

export function verifyGenericSignature(raw: Buffer, secret: string, sig: GenericSignature): boolean {
  const expected = Buffer.from(genericSignatureOf(raw, secret, sig.timestamp), 'hex');
  let ok = false;
  for (const s of sig.signatures) {
    const got = Buffer.from(s, 'hex');
    if (got.length === expected.length && timingSafeEqual(got, expected)) ok = true;
  }
  return ok;
}

/** Replay protection of the generic format: the timestamp within ±5 minutes of now. */
export const GENERIC_TOLERANCE_SECONDS = 300;

export function isFresh(timestamp: number, now: Date, toleranceSeconds = GENERIC_TOLERANCE_SECONDS): boolean {
  return Math.abs(now.getTime() / 1000 - timestamp) <= toleranceSeconds;
}
