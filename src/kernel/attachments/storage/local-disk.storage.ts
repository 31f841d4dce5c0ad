import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AttachmentStorage, blobKey } from './attachment-storage.js';

/**
 * Blobs as files under `<root>/<aa>/<bb>/<sha256>` (root: DATA_DIR/uploads). Writes go to
 * `<root>/.staging` first and are renamed into place, so a reader never sees half a file and two
 * writers of the same hash both end with the same complete file.
 */
export class LocalDiskStorage implements AttachmentStorage {
  readonly root: string;
  readonly stagingDir: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.stagingDir = join(this.root, '.staging');
  }

  pathOf(sha256: string): string {
    return join(this.root, ...blobKey(sha256).split('/'));
  }

  async put(sha256: string, content: Readable | Buffer): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.exists(sha256)) {
      if (!Buffer.isBuffer(content)) content.destroy(); // already stored: the source is not needed
      return;
    }
    await mkdir(this.stagingDir, { recursive: true });
    const temp = join(this.stagingDir, randomUUID());
    try {
      if (Buffer.isBuffer(content)) await writeFile(temp, content, { flag: 'wx' });
      else await pipeline(content, createWriteStream(temp, { flags: 'wx' }));
      await mkdir(join(target, '..'), { recursive: true });
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    await access(path); // a missing blob rejects here, not mid-response
    return createReadStream(path);
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }
}
