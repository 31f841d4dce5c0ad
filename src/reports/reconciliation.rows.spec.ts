import fc from 'fast-check';
import type { ReconciliationRowDto } from './dto/reports.dto.js';
import { neutraliseCell } from './csv-safety.js';
import { MatchResult } from './reconciliation.sql.js';
import { ReconciliationTotals } from './reconciliation.rows.js';

const row = (over: Partial<ReconciliationRowDto>): ReconciliationRowDto => ({
  shopId: 's', shopName: 'shop', orderId: null, orderNumber: null, platformOrderId: 'p', customerName: null, refundId: null, platformRefundId: null,
  internalAmount: null, platformAmount: null, currency: 'CNY', reason: null, sourceType: null, sourceId: null, responsibility: null, status: null,
  createdAt: null, platformRefundedAt: null, matchResult: MatchResult.Matched, ...over,
});

describe('reconciliation rows', () => {
  it('neutralises formula starts in every text cell', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (start, rest) => {
        const v = start + rest;
        expect(neutraliseCell(v).startsWith("'") || /^-?\d+(\.\d+)?$/.test(v)).toBe(true);
      }),
    );
  });

  it('totals are exact per result and currency, and overall', () => {
    const t = new ReconciliationTotals();
    t.add(row({ internalAmount: 100, platformAmount: 100 }));
    t.add(row({ internalAmount: 5, matchResult: MatchResult.MissingOnPlatform }));
    t.add(row({ platformAmount: 7, matchResult: MatchResult.MissingInternally, currency: 'USD' }));
    expect(t.result()).toEqual([
      { matchResult: 'matched', currency: 'CNY', count: 1, internalAmount: 100, platformAmount: 100, difference: 0 },
      { matchResult: 'missing_on_platform', currency: 'CNY', count: 1, internalAmount: 5, platformAmount: 0, difference: 5 },
      { matchResult: 'missing_internally', currency: 'USD', count: 1, internalAmount: 0, platformAmount: 7, difference: -7 },
      { matchResult: 'all', currency: 'CNY', count: 2, internalAmount: 105, platformAmount: 100, difference: 5 },
      { matchResult: 'all', currency: 'USD', count: 1, internalAmount: 0, platformAmount: 7, difference: -7 },
    ]);
  });
});
