import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CrlfRecords } from './crlf-records.js';

async function run(chunks: Buffer[]): Promise<string> {
  const t = new CrlfRecords();
  const out: Buffer[] = [];
  t.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => t.on('end', r));
  for (const c of chunks) t.write(c);
  t.end();
  await done;
  return Buffer.concat(out).toString('utf8');
}

describe('CrlfRecords', () => {
  it('ends records with CRLF and leaves line breaks inside quoted fields alone', async () => {
    const lf = 'a,"multi\nline ""quoted""",b\nc,d,e\n';
    expect(await run([Buffer.from(lf)])).toBe('a,"multi\nline ""quoted""",b\r\nc,d,e\r\n');
  });

  it('property: whatever the chunking, the records parse back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', 'é', ' ') }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        async (records, cuts) => {
          const width = records[0].length;
          const rows = records.map((r) => Array.from({ length: width }, (_, k) => r[k] ?? ''));
          const lf = Buffer.from(stringify(rows, { record_delimiter: 'unix', quoted_string: true }));
          const points = [...new Set(cuts.map((c) => c % (lf.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(lf.subarray(prev, p));
            prev = p;
          }
          chunks.push(lf.subarray(prev));
          const out = await run(chunks.filter((c) => c.length));
          expect(parse(out, { record_delimiter: '\r\n', relax_column_count: true })).toEqual(rows);
        },
      ),
      { numRuns: 200 },
    );
  });
});
