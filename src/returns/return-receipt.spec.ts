import fc from 'fast-check';
import { computeReceipt, type ReceivableLine, statusAfterReceipt } from './return-receipt.js';
import { resolveOrderLine, resolveReturnLines } from './return-lines.js';
import { ReturnStatus } from './return-status.js';

const line = (n: number, quantity: number, over: Partial<ReceivableLine> = {}): ReceivableLine => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  return_line_id: `10000000-0000-4000-8000-00000000000${n}`,
  line_no: n,
  platform_line_id: `P${n}`,
  title: `item ${n}`,
  quantity,
  restocked: 0,
  damaged: 0,
  ...over,
});

describe('order line references (SPEC §7 Lines)', () => {
  const lines = [line(1, 2, { platform_line_id: '2' }), line(2, 1, { platform_line_id: '866550311766439020' })];

  it('finds a line by uuid, lineNo (number or digits), platformLineId or Shopify gid', () => {
    expect(resolveOrderLine(lines, lines[1].id.toUpperCase(), 'order #1').line_no).toBe(2);
    expect(resolveOrderLine(lines, 1, 'order #1').line_no).toBe(1);
    expect(resolveOrderLine(lines, '866550311766439020', 'order #1').line_no).toBe(2);
    expect(resolveOrderLine(lines, 'gid://shopify/LineItem/866550311766439020', 'order #1').line_no).toBe(2);
  });

  it('refuses a reference two lines answer to, and one no line answers to (422)', () => {
    expect(() => resolveOrderLine(lines, 2, 'order #1')).toThrow(/order line 2 is ambiguous in order #1: it is the lineNo of line 2 "item 2" and the platformLineId of line 1 "item 1"/);
    expect(() => resolveOrderLine(lines, 'P9', 'order #1')).toThrow(/not a line of order #1/);
  });

  it('refuses the same line twice (400) and more units than ordered (422)', () => {
    expect(() => resolveReturnLines(lines, [{ ref: 1, quantity: 1, reason: null }, { ref: lines[0].id, quantity: 1, reason: null }], 'quality', 'order #1')).toThrow(/Validation failed/);
    expect(() => resolveReturnLines(lines, [{ ref: 1, quantity: 3, reason: null }], 'quality', 'order #1')).toThrow(/has 2 unit\(s\); cannot return 3/);
    expect(resolveReturnLines(lines, [{ ref: 1, quantity: 2, reason: null }, { ref: '866550311766439020', quantity: 1, reason: 'damaged' }], 'quality', 'order #1').map((l) => l.reason)).toEqual([
      'quality',
      'damaged',
    ]);
  });
});

describe('receipt: what a parcel makes of the lines', () => {
  it('received only when every unit of every line is restocked or damaged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 20 }), restock: fc.nat(20), damaged: fc.nat(20) }), { minLength: 1, maxLength: 5 }),
        (spec) => {
          const lines = spec.map((s, i) => line(i + 1, s.quantity));
          const input = { lines: spec.map((s, i) => ({ returnLineId: lines[i].return_line_id, restock: s.restock, damaged: s.damaged })) };
          const over = spec.some((s) => s.restock + s.damaged > s.quantity);
          if (over) {
            expect(() => computeReceipt(lines, input, 'r')).toThrow(/would be accounted for/);
            return;
          }
          const r = computeReceipt(lines, input, 'r');
          for (const [i, l] of r.lines.entries()) expect(l.restocked + l.damaged + l.missing).toBe(spec[i].quantity);
          const allThere = spec.every((s) => s.restock + s.damaged === s.quantity);
          expect(statusAfterReceipt(r)).toBe(allThere ? ReturnStatus.Received : ReturnStatus.PartiallyReceived);
        },
      ),
    );
  });

  it('adds to what earlier parcels brought; without lines every outstanding unit is restocked', () => {
    const lines = [line(1, 3, { restocked: 1 }), line(2, 2, { damaged: 2 })];
    expect(computeReceipt(lines, {}, 'r')).toEqual({
      complete: true,
      lines: [
        { returnLineId: lines[0].return_line_id, restocked: 3, damaged: 0, missing: 0 },
        { returnLineId: lines[1].return_line_id, restocked: 0, damaged: 2, missing: 0 },
      ],
    });
    const more = computeReceipt(lines, { lines: [{ orderLineId: 1, damaged: 1 }] }, 'r');
    expect(more.lines[0]).toEqual({ returnLineId: lines[0].return_line_id, restocked: 1, damaged: 1, missing: 1 });
    expect(more.complete).toBe(false);
    expect(() => computeReceipt(lines, { lines: [{ orderLineId: 1, restock: 1, missing: 0 }] }, 'r')).toThrow(/leaves 1 missing, not 0/);
  });
});
