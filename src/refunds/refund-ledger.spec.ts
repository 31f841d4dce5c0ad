import fc from 'fast-check';
import { DomainError } from '../kernel/errors/domain-errors.js';
import { refundMethodFor, throwIfOverRefund } from './refund-ledger.service.js';
import { RefundMethod } from './refund-status.js';

describe('refund invariant (pure)', () => {
  it('property: accepting refunds one by one never takes pending + succeeded above what was paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 300_000 }), { maxLength: 40 }), (paid, requests) => {
        let committed = 0;
        for (const amount of requests) {
          try {
            throwIfOverRefund({ paid, committed, amount, currency: 'CNY', orderNumber: '#1' });
            committed += amount;
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            expect((err as DomainError).status).toBe(422);
            expect(paid === 0 || committed + amount > paid).toBe(true);
          }
        }
        expect(committed).toBeLessThanOrEqual(paid);
      }),
    );
  });

  it('chooses the platform only when its refund channel is configured', () => {
    expect(refundMethodFor('shopify', { accessToken: 't' }, false)).toBe(RefundMethod.Shopify);
    expect(refundMethodFor('shopify', {}, false)).toBe(RefundMethod.Manual);
    expect(refundMethodFor('generic', { refundWebhookUrl: 'http://x' }, false)).toBe(RefundMethod.Webhook);
    expect(refundMethodFor('woocommerce', { accessToken: 't' }, false)).toBe(RefundMethod.Manual);
    expect(refundMethodFor('shopify', { accessToken: 't' }, true)).toBe(RefundMethod.Manual);
  });
});
