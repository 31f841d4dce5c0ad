import { AttachmentMime } from '../attachment-kind.js';
import { stripJpeg } from './jpeg.js';
import { stripPng } from './png.js';
import { stripWebp } from './webp.js';

export { MalformedImage } from './malformed-image.js';

/**
 * The image as it may be served (SPEC §8: EXIF location stripped from what is served back):
 * EXIF (with its GPS IFD) and XMP removed, only a JPEG's orientation kept. Other types unchanged.
 * Throws MalformedImage when the structure cannot be walked.
 */
export function stripLocation(content: Buffer, mime: AttachmentMime): Buffer {
  switch (mime) {
    case AttachmentMime.Jpeg:
      return stripJpeg(content);
    case AttachmentMime.Png:
      return stripPng(content);
    case AttachmentMime.Webp:
      return stripWebp(content);
    default:
      return content;
  }
}
