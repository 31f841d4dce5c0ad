/**
 * Small real images built in the tests: JPEGs encoded by jpeg-js, PNGs by pngjs, with EXIF blocks
 * (GPS included) written here as TIFF the way cameras do, so the stripping is checked against
 * independent encoders and an independent EXIF reader (exifr).
 */
import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Where the test photos claim to have been taken (Shanghai). */
export const PHOTO_LAT = 31.2304;
export const PHOTO_LON = 121.4737;

/** A width×height JPEG whose pixels depend on `seed`, so different seeds give different files. */
export function jpegPhoto(seed = 1, width = 16, height = 12): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (i * 7 + seed * 31) % 256;
    data[i * 4 + 1] = (i * 13 + seed * 17) % 256;
    data[i * 4 + 2] = (i * 3 + seed * 101) % 256;
    data[i * 4 + 3] = 255;
  }
  return jpeg.encode({ width, height, data }, 90).data;
}

export function pngImage(seed = 1, width = 8, height = 8): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height * 4; i++) png.data[i] = (i * 11 + seed * 37) % 256;
  return PNG.sync.write(png);
}

interface Entry {
  tag: number;
  type: number; // 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL
  count: number;
  data: Buffer;
}

const ascii = (tag: number, s: string): Entry => ({ tag, type: 2, count: s.length + 1, data: Buffer.from(`${s}\0`, 'latin1') });
const short = (tag: number, v: number): Entry => {
  const data = Buffer.alloc(2);
  data.writeUInt16LE(v);
  return { tag, type: 3, count: 1, data };
};
const rationals = (tag: number, values: Array<[number, number]>): Entry => {
  const data = Buffer.alloc(values.length * 8);
  values.forEach(([n, d], i) => {
    data.writeUInt32LE(n, i * 8);
    data.writeUInt32LE(d, i * 8 + 4);
  });
  return { tag, type: 5, count: values.length, data };
};

function dms(deg: number): Array<[number, number]> {
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const s = Math.round(((deg - d) * 60 - m) * 60 * 1000);
  return [[d, 1], [m, 1], [s, 1000]];
}

/** A little-endian TIFF block: IFD0 (make, orientation, GPS pointer) and a GPS IFD with a position. */
export function exifTiffWithGps(opts: { orientation?: number; lat?: number; lon?: number } = {}): Buffer {
  const ifd0: Entry[] = [ascii(0x010f, 'TestCam'), short(0x0112, opts.orientation ?? 6)];
  const gps: Entry[] = [
    { tag: 0x0000, type: 1, count: 4, data: Buffer.from([2, 3, 0, 0]) },
    ascii(0x0001, 'N'),
    rationals(0x0002, dms(opts.lat ?? PHOTO_LAT)),
    ascii(0x0003, 'E'),
    rationals(0x0004, dms(opts.lon ?? PHOTO_LON)),
  ];
  const ifdSize = (n: number) => 2 + 12 * n + 4;
  const ifd0At = 8;
  const gpsAt = ifd0At + ifdSize(ifd0.length + 1);
  let dataAt = gpsAt + ifdSize(gps.length);
  const extra: Buffer[] = [];
  const writeIfd = (entries: Entry[], tail: Entry[]): Buffer => {
    const all = [...entries, ...tail].sort((a, b) => a.tag - b.tag);
    const b = Buffer.alloc(ifdSize(all.length));
    b.writeUInt16LE(all.length, 0);
    all.forEach((e, i) => {
      const at = 2 + i * 12;
      b.writeUInt16LE(e.tag, at);
      b.writeUInt16LE(e.type, at + 2);
      b.writeUInt32LE(e.count, at + 4);
      if (e.data.length <= 4) e.data.copy(b, at + 8);
      else {
        b.writeUInt32LE(dataAt, at + 8);
        const padded = e.data.length % 2 ? Buffer.concat([e.data, Buffer.alloc(1)]) : e.data;
        extra.push(padded);
        dataAt += padded.length;
      }
    });
    return b; // next-IFD offset left 0
  };
  const gpsPointer: Entry = { tag: 0x8825, type: 4, count: 1, data: Buffer.alloc(4) };
  gpsPointer.data.writeUInt32LE(gpsAt);
  const header = Buffer.from([0x49, 0x49, 42, 0, ifd0At, 0, 0, 0]);
  const first = writeIfd(ifd0, [gpsPointer]);
  const second = writeIfd(gps, []);
  return Buffer.concat([header, first, second, ...extra]);
}

export const XMP_WITH_GPS = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,13.824N" exif:GPSLongitude="121,28.422E"/></rdf:RDF></x:xmpmeta>`;

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** The JPEG with an Exif APP1 (the TIFF block given) and an XMP APP1 after its JFIF APP0. */
export function jpegWithMetadata(photo: Buffer, tiff = exifTiffWithGps()): Buffer {
  const app0End = 2 + 2 + photo.readUInt16BE(4); // jpeg-js writes SOI then APP0 (JFIF)
  const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
  const xmp = jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP_WITH_GPS}`, 'latin1'));
  return Buffer.concat([photo.subarray(0, app0End), exif, xmp, photo.subarray(app0End)]);
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** The PNG with an eXIf chunk and an XMP iTXt chunk right after IHDR. */
export function pngWithMetadata(png: Buffer, tiff = exifTiffWithGps()): Buffer {
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  const xmp = pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP_WITH_GPS, 'utf8')]));
  return Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('eXIf', tiff), xmp, png.subarray(ihdrEnd)]);
}
