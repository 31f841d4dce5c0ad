import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

/**
 * Turns the LF record ends of a CSV stream into CRLF (RFC 4180) without touching line breaks
 * inside quoted fields: a LF ends a record exactly when an even number of quotes precede it
 * (an escaped quote "" counts twice, so the parity holds across chunks).
 */
export class CrlfRecords extends Transform {
  private quotes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const parts: Buffer[] = [];
    let from = 0;
    let q = chunk.indexOf(QUOTE, 0);
    let n = chunk.indexOf(LF, 0);
    while (n !== -1) {
      // count the quotes before this LF
      while (q !== -1 && q < n) {
        this.quotes++;
        q = chunk.indexOf(QUOTE, q + 1);
      }
      if ((this.quotes & 1) === 0 && (n === 0 || chunk[n - 1] !== 0x0d)) {
        parts.push(chunk.subarray(from, n), CRLF);
        from = n + 1;
      }
      n = chunk.indexOf(LF, n + 1);
    }
    while (q !== -1) {
      this.quotes++;
      q = chunk.indexOf(QUOTE, q + 1);
    }
    if (from === 0) return done(null, chunk);
    parts.push(chunk.subarray(from));
    done(null, Buffer.concat(parts));
  }
}
