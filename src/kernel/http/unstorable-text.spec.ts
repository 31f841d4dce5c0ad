import fc from 'fast-check';
import { findUnstorableText } from './unstorable-text.js';

describe('findUnstorableText', () => {
  it('names the path of a NUL or an unpaired surrogate in strings and keys', () => {
    expect(findUnstorableText({ note: 'a\u0000b' })).toEqual({ field: 'note', problem: 'a NUL character' });
    expect(findUnstorableText({ email: 'a\ud800@x.com' })).toEqual({ field: 'email', problem: 'an unpaired surrogate' });
    expect(findUnstorableText({ lines: [{ ok: 'x' }, { note: '\udc00' }] })).toEqual({ field: 'lines.1.note', problem: 'an unpaired surrogate' });
    expect(findUnstorableText({ 'na\u0000me': 1 })).toEqual({ field: 'na\\u0000me', problem: 'a NUL character' });
    expect(findUnstorableText('\u0000', 'q')).toEqual({ field: 'q', problem: 'a NUL character' });
  });

  it('accepts paired surrogates (emoji), other control characters and non-strings', () => {
    expect(findUnstorableText({ a: '😀 王五 \t\u0001', b: [1, true, null, { c: 2 }] })).toBeNull();
    expect(findUnstorableText(undefined)).toBeNull();
  });

  it('finds exactly the strings PostgreSQL cannot take as UTF-8 text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const storable = !s.includes('\u0000') && Buffer.from(s, 'utf8').toString('utf8') === s;
        expect(findUnstorableText({ s }) === null).toBe(storable);
      }),
      { seed: 9, numRuns: 2000 },
    );
  });
});
