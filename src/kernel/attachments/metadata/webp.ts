import { MalformedImage } from './malformed-image.js';

const DROPPED = new Set(['EXIF', 'XMP ']);
// VP8X feature flags (first payload byte) announcing the chunks that are removed.
const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;

/** Drops the EXIF and XMP chunks of a WebP, clears their VP8X flags and rewrites the RIFF size. */
export function stripWebp(buf: Buffer): Buffer {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') throw new MalformedImage('WebP', 'no RIFF/WEBP header');
  const riffEnd = 8 + buf.readUInt32LE(4);
  if (riffEnd > buf.length) throw new MalformedImage('WebP', 'RIFF size runs past the end of the file');
  const chunks: Buffer[] = [];
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw new MalformedImage('WebP', `chunk header cut off at byte ${pos}`);
    const fourcc = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const end = pos + 8 + size + (size % 2); // chunks are padded to an even size
    if (end > riffEnd) throw new MalformedImage('WebP', `chunk ${JSON.stringify(fourcc)} at byte ${pos} runs past the RIFF size`);
    if (!DROPPED.has(fourcc)) {
      const chunk = Buffer.from(buf.subarray(pos, end)); // a copy: VP8X is edited below
      if (fourcc === 'VP8X' && size >= 1) chunk[8] &= ~(EXIF_FLAG | XMP_FLAG);
      chunks.push(chunk);
    }
    pos = end;
  }
  const header = Buffer.from(buf.subarray(0, 12));
  header.writeUInt32LE(4 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}
