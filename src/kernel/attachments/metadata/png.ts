import { MalformedImage } from './malformed-image.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// eXIf holds a TIFF block (GPS IFD included); the text chunks carry XMP ("XML:com.adobe.xmp")
// or a hex dump of EXIF ("Raw profile type exif") as written by ImageMagick.
const DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);

/** Drops the metadata chunks of a PNG; every chunk carries its own CRC, so the rest stays valid. */
export function stripPng(buf: Buffer): Buffer {
  if (buf.length < SIGNATURE.length || !buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new MalformedImage('PNG', 'no PNG signature');
  const out: Buffer[] = [SIGNATURE];
  let pos = SIGNATURE.length;
  while (pos < buf.length) {
    if (pos + 12 > buf.length) throw new MalformedImage('PNG', `chunk header cut off at byte ${pos}`);
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (end > buf.length) throw new MalformedImage('PNG', `chunk ${JSON.stringify(type)} at byte ${pos} runs past the end of the file`);
    if (!DROPPED.has(type)) out.push(buf.subarray(pos, end));
    pos = end;
    if (type === 'IEND') return Buffer.concat(out); // bytes after IEND are not part of the image
  }
  throw new MalformedImage('PNG', 'no IEND chunk');
}
