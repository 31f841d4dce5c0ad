import fc from 'fast-check';
import { idText, parseJsonLossless } from './lossless-json.js';

describe('parseJsonLossless', () => {
  it('keeps ids above 2^53 exactly, as text', () => {
    const v = parseJsonLossless('{"id":820982911946154508,"order_id":9007199254740993,"n":12}') as Record<string, unknown>;
    expect(v).toEqual({ id: '820982911946154508', order_id: '9007199254740993', n: 12 });
  });

  it('keeps decimal numbers as their literal text', () => {
    const v = parseJsonLossless('{"price": 19999999.99, "rate": 0.10, "e": 1e3, "neg": -5.5, "list":[1,-2,3.0]}');
    expect(v).toEqual({ price: '19999999.99', rate: '0.10', e: '1e3', neg: '-5.5', list: [1, -2, '3.0'] });
  });

  it('leaves numbers inside strings alone, also with escaped quotes', () => {
    const v = parseJsonLossless('{"note":"call 820982911946154508 \\"now\\" 1.5","k":"\\\\"}');
    expect(v).toEqual({ note: 'call 820982911946154508 "now" 1.5', k: '\\' });
  });

  it('reports malformed JSON like JSON.parse', () => {
    expect(() => parseJsonLossless('{"a":01}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":')).toThrow(SyntaxError);
  });

  it('property: equals JSON.parse on documents without unsafe numbers', () => {
    fc.assert(
      fc.property(fc.json({ noUnicodeString: false }), (doc) => {
        const plain = JSON.parse(doc);
        const safe = JSON.stringify(plain, (_k, v) => (typeof v === 'number' ? (Number.isSafeInteger(v) ? v : String(v)) : v));
        expect(parseJsonLossless(safe)).toEqual(JSON.parse(safe));
      }),
    );
  });

  it('idText', () => {
    expect(idText(' 12 ')).toBe('12');
    expect(idText(12)).toBe('12');
    expect(idText(1.5)).toBeNull();
    expect(idText('')).toBeNull();
    expect(idText(null)).toBeNull();
  });
});
