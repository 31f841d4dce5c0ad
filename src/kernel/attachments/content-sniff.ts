import { fileTypeFromBuffer } from 'file-type';
import { AttachmentMime } from './attachment-kind.js';

/** Bytes file-type needs from the start of a file to recognise these formats. */
export const SNIFF_BYTES = 4100;

const BY_EXTENSION: Record<string, AttachmentMime> = {
  jpg: AttachmentMime.Jpeg,
  png: AttachmentMime.Png,
  webp: AttachmentMime.Webp,
  pdf: AttachmentMime.Pdf,
};

/** The type the content really is, from its first bytes; null when it is none of the accepted ones. */
export async function sniffMime(head: Uint8Array): Promise<AttachmentMime | null> {
  const found = await fileTypeFromBuffer(head);
  return (found && BY_EXTENSION[found.ext]) ?? null;
}
