import { Unauthenticated } from '../../kernel/errors/domain-errors.js';
import { genericSignatureOf } from '../../kernel/crypto/signature.js';
import { parseGenericCarrierBody, verifyGenericCarrierSignature } from './generic-carrier.js';

const raw = Buffer.from(
  JSON.stringify({
    id: 'e1',
    topic: 'tracking.updated',
    occurredAt: '2025-03-01T10:00:00+08:00',
    data: { carrier: 'zto', trackingNo: 'ZT1', events: [{ time: '2025-03-01T09:00:00+08:00', description: '已揽收', status: 'in_transit', code: 10 }] },
  }),
);

describe('generic carrier push', () => {
  const now = new Date('2025-03-01T02:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('verifies t=…,v1=… with the tracking salt and a 5-minute tolerance', () => {
    const header = `t=${t},v1=${genericSignatureOf(raw, 'salt', t)}`;
    expect(() => verifyGenericCarrierSignature(raw, header, 'salt', now)).not.toThrow();
    expect(() => verifyGenericCarrierSignature(raw, header, 'pepper', now)).toThrow(Unauthenticated);
    expect(() => verifyGenericCarrierSignature(raw, header, 'salt', new Date(now.getTime() + 301_000))).toThrow(/5 minutes/);
    expect(() => verifyGenericCarrierSignature(raw, undefined, 'salt', now)).toThrow(/Missing/);
    expect(() => verifyGenericCarrierSignature(raw, 'v1=abc', 'salt', now)).toThrow(/Malformed/);
  });

  it('parses the envelope and events, field by field errors otherwise', () => {
    const p = parseGenericCarrierBody(raw);
    expect(p).toMatchObject({ id: 'e1', topic: 'tracking.updated', carrier: 'zto', trackingNo: 'ZT1' });
    expect(p.events[0]).toMatchObject({ description: '已揽收', status: 'in_transit', rawCode: '10' });
    expect(p.events[0].at.toISOString()).toBe('2025-03-01T01:00:00.000Z');
    try {
      parseGenericCarrierBody(Buffer.from(JSON.stringify({ id: '', topic: 'x', data: { carrier: 'a', trackingNo: 'b', events: [{ time: '2025-03-01 09:00', description: 'x', status: 'lost' }] } })));
      throw new Error('should fail');
    } catch (e) {
      expect((e as { details?: Array<{ field: string }> }).details?.map((d) => d.field)).toEqual(['id', 'topic']);
    }
    expect(() => parseGenericCarrierBody(Buffer.from(JSON.stringify({ id: 'x', topic: 'tracking.updated', data: { carrier: 'a', trackingNo: 'b', events: [{ time: '2025-03-01 09:00', description: 'x' }] } })))).toThrow(/Invalid tracking events/);
    // any name of a carrier, as people spell it, up to the length the carrier registry accepts
    const spelled = 'U n i t e d - S t a t e s . P o s t a l - S e r v i c e'.padEnd(100, '.');
    expect(parseGenericCarrierBody(Buffer.from(JSON.stringify({ id: 'x', topic: 'tracking.updated', data: { carrier: spelled, trackingNo: 'b' } }))).carrier).toBe(spelled);
    expect(() => parseGenericCarrierBody(Buffer.from(JSON.stringify({ id: 'x', topic: 'tracking.updated', data: { carrier: `${spelled}.`, trackingNo: 'b' } })))).toThrow(/Invalid generic tracking push/);
  });
});
