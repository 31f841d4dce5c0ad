import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES } from './content-sniff.js';

/** A received file on local disk, not yet accepted: hashed and measured while it arrived. */
export interface StagedFile {
  path: string;
  sha256: string;
  size: number;
  /** The first bytes, for judging the type by content. */
  head: Buffer;
  /** The source stopped at its size limit (busboy's `truncated`). */
  truncated: boolean;
}

/**
 * Streams an incoming file to `<dir>/<random>` while hashing it, so a 10 MB photo is never held
 * in memory whole and its sha256 is known before anything is stored under it.
 */
export async function stageFile(source: Readable & { truncated?: boolean }, dir: string): Promise<StagedFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        if (headBytes < SNIFF_BYTES) {
          head.push(chunk);
          headBytes += chunk.length;
        }
        yield chunk;
      }
    },
    createWriteStream(path, { flags: 'wx' }),
  );
  return { path, sha256: hash.digest('hex'), size, head: Buffer.concat(head).subarray(0, SNIFF_BYTES), truncated: source.truncated === true };
}

/** Removes staged files left by a crash (older than an hour, so uploads in flight elsewhere are kept). */
export async function sweepStaging(dir: string, olderThanMs = 3_600_000): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(path, { force: true, recursive: true });
  }
}
