import { createHmac } from 'node:crypto';
import { genericSignatureOf, isFresh, parseGenericSignature, signBase64Hmac, verifyBase64Hmac, verifyGenericSignature } from './signature.js';

const body = Buffer.from('{"id":820982911946154508,"total_price":"199.00"}');

describe('webhook signatures', () => {
  it('accepts the base64 HMAC-SHA256 of the raw body (Shopify, WooCommerce)', () => {
    const sig = createHmac('sha256', 'secret-1').update(body).digest('base64');
    expect(signBase64Hmac(body, 'secret-1')).toBe(sig);
    expect(verifyBase64Hmac(body, 'secret-1', sig)).toBe(true);
  });

  it('refuses a wrong secret, a changed byte, garbage and truncated values', () => {
    const sig = signBase64Hmac(body, 'secret-1');
    expect(verifyBase64Hmac(body, 'secret-2', sig)).toBe(false);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] ^= 1;
    expect(verifyBase64Hmac(tampered, 'secret-1', sig)).toBe(false);
    expect(verifyBase64Hmac(body, 'secret-1', 'not base64!')).toBe(false);
    expect(verifyBase64Hmac(body, 'secret-1', sig.slice(0, 20))).toBe(false);
    expect(verifyBase64Hmac(body, 'secret-1', '')).toBe(false);
  });

  it('parses and verifies the generic t=,v1= header', () => {
    const t = 1_700_000_000;
    const v1 = genericSignatureOf(body, 's', t);
    const parsed = parseGenericSignature(`t=${t},v1=${v1}`);
    expect(parsed).toEqual({ timestamp: t, signatures: [v1] });
    expect(verifyGenericSignature(body, 's', parsed!)).toBe(true);
    expect(verifyGenericSignature(body, 'other', parsed!)).toBe(false);
    // a rotated secret: either signature may match
    expect(verifyGenericSignature(body, 's', parseGenericSignature(`t=${t},v1=${'0'.repeat(64)},v1=${v1}`)!)).toBe(true);
    // the timestamp is signed: changing it breaks the signature
    expect(verifyGenericSignature(body, 's', { timestamp: t + 1, signatures: [v1] })).toBe(false);
  });

  it.each(['', 't=1', 'v1=' + 'a'.repeat(64), 't=abc,v1=' + 'a'.repeat(64), 't=1,v1=xyz', 't=1,t=2,v1=' + 'a'.repeat(64), 'garbage'])('refuses malformed header %p', (h) => {
    expect(parseGenericSignature(h)).toBeNull();
  });

  it('checks the 5-minute tolerance both ways', () => {
    const now = new Date('2025-03-10T10:00:00Z');
    const t = now.getTime() / 1000;
    expect(isFresh(t - 300, now)).toBe(true);
    expect(isFresh(t + 300, now)).toBe(true);
    expect(isFresh(t - 301, now)).toBe(false);
    expect(isFresh(t + 301, now)).toBe(false);
  });
});
