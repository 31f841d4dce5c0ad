import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { currencyExponent, formatMoney, MoneyError, parseMoney, sumMinor } from './money.js';

describe('currencyExponent', () => {
  it.each([
    ['CNY', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['cny', 2],
  ])('%s → %d', (c, exp) => {
    expect(currencyExponent(c)).toBe(exp);
  });
  it.each(['', 'CN', 'CNYY', '12$', 'C N'])('rejects %p', (c) => {
    expect(() => currencyExponent(c)).toThrow(MoneyError);
  });
});

describe('parseMoney', () => {
  it.each([
    ['199.00', 19900],
    ['0.10', 10],
    ['19999999.99', 1999999999],
    ['-5.5', -550],
    ['12', 1200],
    [' 3.50 ', 350],
    ['1.230', 123],
    ['0', 0],
    ['-0.00', 0],
    ['007.01', 701],
  ])('CNY %p → %d', (s, minor) => {
    expect(parseMoney(s)).toBe(minor);
    expect(parseMoney(s, 'CNY')).toBe(minor);
  });

  it.each(['1e3', '1,000.00', '', '   ', '1.234', 'abc', '.5', '5.', '+5', '--5', '1. 5', 'NaN', 'Infinity', '0x10', '１２'])(
    'rejects %p',
    (s) => {
      expect(() => parseMoney(s)).toThrow(MoneyError);
    },
  );

  it('respects the currency exponent', () => {
    expect(parseMoney('500', 'JPY')).toBe(500);
    expect(parseMoney('500.00', 'JPY')).toBe(500);
    expect(() => parseMoney('500.5', 'JPY')).toThrow(MoneyError);
    expect(parseMoney('1.234', 'KWD')).toBe(1234);
    expect(parseMoney('0.001', 'KWD')).toBe(1);
    expect(() => parseMoney('0.0001', 'KWD')).toThrow(MoneyError);
    expect(parseMoney('9.99', 'USD')).toBe(999);
  });

  it('accepts numbers via String(n), without float rounding', () => {
    expect(parseMoney(0.1)).toBe(10);
    expect(parseMoney(199)).toBe(19900);
    expect(parseMoney(-5.5)).toBe(-550);
    expect(parseMoney(19.99)).toBe(1999);
    expect(() => parseMoney(1.005)).toThrow(MoneyError); // 3 fraction digits for CNY
    expect(() => parseMoney(NaN)).toThrow(MoneyError);
    expect(() => parseMoney(Infinity)).toThrow(MoneyError);
    expect(() => parseMoney(1e21)).toThrow(MoneyError); // "1e+21"
  });

  it('requires a safe-integer result', () => {
    expect(parseMoney('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseMoney('-90071992547409.91')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => parseMoney('90071992547409.92')).toThrow(MoneyError);
    expect(() => parseMoney('99999999999999999999')).toThrow(MoneyError);
  });

  it('rejects an invalid currency', () => {
    expect(() => parseMoney('1.00', 'XX')).toThrow(MoneyError);
  });
});

describe('formatMoney', () => {
  it.each([
    [19900, 'CNY', '199.00'],
    [10, 'CNY', '0.10'],
    [-550, 'CNY', '-5.50'],
    [1, 'CNY', '0.01'],
    [-1, 'CNY', '-0.01'],
    [0, 'CNY', '0.00'],
    [-0, 'CNY', '0.00'],
    [1999999999, 'CNY', '19999999.99'],
    [500, 'JPY', '500'],
    [-500, 'JPY', '-500'],
    [1234, 'KWD', '1.234'],
    [5, 'KWD', '0.005'],
    [Number.MAX_SAFE_INTEGER, 'CNY', '90071992547409.91'],
  ])('%d %s → %p', (minor, c, s) => {
    expect(formatMoney(minor, c)).toBe(s);
  });
  it('defaults to CNY', () => {
    expect(formatMoney(19900)).toBe('199.00');
  });
  it('requires a safe integer', () => {
    expect(() => formatMoney(1.5)).toThrow(MoneyError);
    expect(() => formatMoney(NaN)).toThrow(MoneyError);
    expect(() => formatMoney(2 ** 53)).toThrow(MoneyError);
  });
});

describe('sumMinor', () => {
  it('sums exactly', () => {
    expect(sumMinor([])).toBe(0);
    expect(sumMinor([10, 20, -5])).toBe(25);
    // 0.1 + 0.2 in minor units is exact
    expect(sumMinor([parseMoney('0.10'), parseMoney('0.20')])).toBe(30);
    // intermediate overflow is fine when the total is safe
    expect(sumMinor([Number.MAX_SAFE_INTEGER, 1, -2])).toBe(Number.MAX_SAFE_INTEGER - 1);
  });
  it('rejects non-integers and unsafe totals', () => {
    expect(() => sumMinor([1, 0.5])).toThrow(MoneyError);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
    expect(() => sumMinor([2 ** 53])).toThrow(MoneyError);
  });
});

describe('properties', () => {
  it('parseMoney(formatMoney(m, c), c) === m', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom('CNY', 'JPY', 'KWD'), (m, c) => {
        expect(parseMoney(formatMoney(m, c), c)).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });
});
