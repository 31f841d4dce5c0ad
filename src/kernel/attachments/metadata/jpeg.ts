import { MalformedImage } from './malformed-image.js';
import { orientationOnlyTiff, readOrientation } from './exif-orientation.js';

const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
// XMP may carry exif:GPSLatitude/GPSLongitude as text; extended XMP continues it in further segments.
const XMP_IDS = [Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1')];

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP1 = 0xe1;
// Photoshop IRB: IPTC city/sub-location fields and sometimes a copy of XMP.
const APP13 = 0xed;

function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

function startsWith(buf: Buffer, at: number, end: number, id: Buffer): boolean {
  return end - at >= id.length && buf.subarray(at, at + id.length).equals(id);
}

/** Index of the next marker in entropy-coded data: 0xFF not followed by 0x00 (stuffing) or RSTn. */
function endOfEntropyData(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0xff) continue;
    const next = buf[i + 1];
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
    return i;
  }
  return buf.length;
}

/**
 * Drops the Exif APP1 (GPS IFD and all), XMP APP1 and Photoshop APP13 segments of a JPEG, walking
 * it marker by marker (never a byte search, so pixel data is left alone), and puts back an
 * Exif segment holding only the Orientation tag when the photo had one.
 */
export function stripJpeg(buf: Buffer): Buffer {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== SOI) throw new MalformedImage('JPEG', 'no start-of-image marker');
  const out: Buffer[] = [buf.subarray(0, 2)];
  let orientation: number | null = null;
  let exifAt: number | null = null; // index in `out` where the Exif segment was
  let pos = 2;
  while (pos < buf.length) {
    if (buf[pos] !== 0xff) throw new MalformedImage('JPEG', `expected a marker at byte ${pos}`);
    let markerAt = pos;
    while (markerAt + 1 < buf.length && buf[markerAt + 1] === 0xff) markerAt++; // fill bytes
    if (markerAt + 1 >= buf.length) break;
    const marker = buf[markerAt + 1];
    if (marker === EOI) {
      out.push(buf.subarray(markerAt, markerAt + 2));
      break; // anything after EOI is not part of the image and is not served
    }
    if (isStandalone(marker)) {
      out.push(buf.subarray(markerAt, markerAt + 2));
      pos = markerAt + 2;
      continue;
    }
    if (markerAt + 4 > buf.length) throw new MalformedImage('JPEG', `segment header cut off at byte ${markerAt}`);
    const length = buf.readUInt16BE(markerAt + 2);
    const end = markerAt + 2 + length;
    if (length < 2 || end > buf.length) throw new MalformedImage('JPEG', `segment 0xFF${marker.toString(16).toUpperCase()} at byte ${markerAt} runs past the end of the file`);
    const payload = markerAt + 4;
    if (marker === APP1 && startsWith(buf, payload, end, EXIF_ID)) {
      orientation ??= readOrientation(buf.subarray(payload + EXIF_ID.length, end));
      exifAt ??= out.length;
    } else if ((marker === APP1 && XMP_IDS.some((id) => startsWith(buf, payload, end, id))) || marker === APP13) {
      // dropped
    } else if (marker === SOS) {
      const dataEnd = endOfEntropyData(buf, end);
      out.push(buf.subarray(markerAt, dataEnd));
      pos = dataEnd;
      continue;
    } else {
      out.push(buf.subarray(markerAt, end));
    }
    pos = end;
  }
  if (orientation !== null && orientation !== 1 && exifAt !== null) {
    const tiff = orientationOnlyTiff(orientation);
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xff00 | APP1, 0);
    header.writeUInt16BE(2 + EXIF_ID.length + tiff.length, 2);
    out.splice(exifAt, 0, header, EXIF_ID, tiff);
  }
  return Buffer.concat(out);
}
