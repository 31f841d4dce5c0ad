/**
 * The one EXIF tag kept on served photos: Orientation (0x0112). Phones store a portrait photo as
 * landscape pixels plus this tag, so dropping it would show evidence sideways; it says nothing
 * about where the photo was taken.
 */
const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

/** Orientation (1–8) from a TIFF block (the payload of an Exif APP1 after "Exif\0\0"), or null. */
export function readOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > tiff.length) return null;
    if (u16(at) !== ORIENTATION_TAG) continue;
    if (u16(at + 2) !== SHORT || u32(at + 4) !== 1) return null;
    const v = u16(at + 8);
    return v >= 1 && v <= 8 ? v : null;
  }
  return null;
}

/** A minimal TIFF block holding only IFD0 with the Orientation tag (big-endian). */
export function orientationOnlyTiff(orientation: number): Buffer {
  const b = Buffer.alloc(26);
  b.write('MM', 0, 'latin1');
  b.writeUInt16BE(42, 2);
  b.writeUInt32BE(8, 4); // IFD0 right after the header
  b.writeUInt16BE(1, 8); // one entry
  b.writeUInt16BE(ORIENTATION_TAG, 10);
  b.writeUInt16BE(SHORT, 12);
  b.writeUInt32BE(1, 14);
  b.writeUInt16BE(orientation, 18); // value left-justified in the 4-byte field
  b.writeUInt32BE(0, 22); // no next IFD (no thumbnail)
  return b;
}
