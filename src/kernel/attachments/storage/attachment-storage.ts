import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live, addressed only by their sha256 (lower-case hex): never by a name a
 * client chose. Content-addressed, so `put` of bytes already stored is a no-op and two cases
 * sharing a photo share one blob.
 *
 * Implementations: `LocalDiskStorage` (default, under DATA_DIR/uploads). An S3-compatible bucket
 * fits the same three calls (PutObject with key `<aa>/<bb>/<sha256>`, GetObject, HeadObject);
 * see docs/attachments.md.
 */
export interface AttachmentStorage {
  /** Stores the content under its hash. The caller has computed the hash; a write is atomic. */
  put(sha256: string, content: Readable | Buffer): Promise<void>;
  /** The stored content; rejects when it is absent. */
  get(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
}

/** Nest injection token of the AttachmentStorage in use. */
export const ATTACHMENT_STORAGE = Symbol('ATTACHMENT_STORAGE');

const SHA256 = /^[0-9a-f]{64}$/;

/** The blob's relative key, `<aa>/<bb>/<sha256>`: derived from the hash alone. */
export function blobKey(sha256: string): string {
  // Checked here, not trusted: the key becomes a filesystem path or an object key.
  if (!SHA256.test(sha256)) throw new Error(`not a sha256 hex digest: ${JSON.stringify(sha256)}`);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
