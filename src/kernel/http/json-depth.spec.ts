import fc from 'fast-check';
import { jsonNestsDeeperThan } from './json-depth.js';

/** The depth JSON.parse would build, by walking the parsed value (the reference). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('jsonNestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(jsonNestsDeeperThan('[[1]]', 2)).toBe(false);
    expect(jsonNestsDeeperThan('[[[1]]]', 2)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[]}}', 2)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a\\"[[[":"\\\\"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('1', 0)).toBe(false);
  });

  it('is linear and does not recurse: a million levels answer at once', () => {
    expect(jsonNestsDeeperThan('['.repeat(1_000_000), 32)).toBe(true);
  });

  it('agrees with the depth of the parsed value for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.nat(9), (v, max) => {
        expect(jsonNestsDeeperThan(JSON.stringify(v), max)).toBe(depthOf(v) > max);
      }),
      { seed: 9, numRuns: 500 },
    );
  });
});
