import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { exifTiffWithGps, jpegPhoto, jpegWithMetadata, PHOTO_LAT, pngImage, pngWithMetadata } from '../../../../test/support/images.js';
import { AttachmentMime } from '../attachment-kind.js';
import { MalformedImage, stripLocation } from './index.js';

const GPS_TEXT = 'GPSLatitude';

describe('stripLocation', () => {
  describe('JPEG', () => {
    const original = jpegWithMetadata(jpegPhoto(5));

    it('the test photo really carries a GPS position, in EXIF and XMP', async () => {
      const gps = await exifr.gps(original);
      expect(gps.latitude).toBeCloseTo(PHOTO_LAT, 3);
      expect(original.includes(GPS_TEXT)).toBe(true);
    });

    it('removes the GPS IFD and XMP, keeps the orientation, and the image still decodes the same', async () => {
      const served = stripLocation(original, AttachmentMime.Jpeg);
      expect(served.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(served.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
      expect(await exifr.gps(served)).toBeUndefined();
      expect(await exifr.parse(served, { gps: true, xmp: true, tiff: true })).toEqual({ Orientation: 'Rotate 90 CW' });
      expect(served.includes(GPS_TEXT)).toBe(false);
      expect(served.includes('TestCam')).toBe(false);
      const before = jpeg.decode(original, { useTArray: true });
      const after = jpeg.decode(served, { useTArray: true });
      expect([after.width, after.height]).toEqual([16, 12]);
      expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
    });

    it('drops EXIF entirely when the orientation is the default, and leaves a plain JPEG byte for byte', async () => {
      const upright = jpegWithMetadata(jpegPhoto(6), exifTiffWithGps({ orientation: 1 }));
      const served = stripLocation(upright, AttachmentMime.Jpeg);
      expect(served.includes('Exif\0\0')).toBe(false);
      expect(await exifr.parse(served)).toBeUndefined();
      const plain = jpegPhoto(7);
      expect(stripLocation(plain, AttachmentMime.Jpeg).equals(plain)).toBe(true);
    });

    it('refuses a file that starts like a JPEG but whose segments run past its end', () => {
      const cut = original.subarray(0, 40);
      expect(() => stripLocation(cut, AttachmentMime.Jpeg)).toThrow(MalformedImage);
      expect(() => stripLocation(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x10, 0x00]), AttachmentMime.Jpeg)).toThrow(/runs past the end/);
    });
  });

  describe('PNG', () => {
    const original = pngWithMetadata(pngImage(2));

    it('removes the eXIf and XMP chunks; every remaining chunk is intact and the image decodes', async () => {
      expect((await exifr.gps(original)).latitude).toBeCloseTo(PHOTO_LAT, 3);
      const served = stripLocation(original, AttachmentMime.Png);
      expect(await exifr.gps(served)).toBeUndefined();
      expect(served.includes('eXIf')).toBe(false);
      expect(served.includes(GPS_TEXT)).toBe(false);
      const decoded = PNG.sync.read(served); // pngjs checks every chunk's CRC
      expect([decoded.width, decoded.height]).toEqual([8, 8]);
      expect(decoded.data.equals(PNG.sync.read(original).data)).toBe(true);
    });

    it('refuses a PNG cut short', () => {
      expect(() => stripLocation(original.subarray(0, original.length - 20), AttachmentMime.Png)).toThrow(MalformedImage);
    });
  });

  describe('WebP', () => {
    const original = readFileSync(new URL('../../../../test/fixtures/gps.webp', import.meta.url));

    const chunks = (b: Buffer) => {
      const out: Array<{ fourcc: string; body: Buffer }> = [];
      for (let pos = 12; pos < b.length; ) {
        const size = b.readUInt32LE(pos + 4);
        out.push({ fourcc: b.toString('latin1', pos, pos + 4), body: b.subarray(pos + 8, pos + 8 + size) });
        pos += 8 + size + (size % 2);
      }
      return out;
    };

    it('removes the EXIF and XMP chunks, clears their VP8X flags and keeps the image chunk as it was', () => {
      expect(chunks(original).map((c) => c.fourcc)).toEqual(['VP8X', 'VP8L', 'EXIF', 'XMP ']);
      const served = stripLocation(original, AttachmentMime.Webp);
      expect(served.toString('latin1', 0, 4)).toBe('RIFF');
      expect(served.readUInt32LE(4)).toBe(served.length - 8);
      const kept = chunks(served);
      expect(kept.map((c) => c.fourcc)).toEqual(['VP8X', 'VP8L']);
      expect(kept[0].body[0] & 0x0c).toBe(0);
      expect(kept[1].body.equals(chunks(original)[1].body)).toBe(true);
      expect(served.includes(GPS_TEXT)).toBe(false);
    });
  });

  it('leaves a PDF as it is', () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    expect(stripLocation(pdf, AttachmentMime.Pdf)).toBe(pdf);
  });
});
