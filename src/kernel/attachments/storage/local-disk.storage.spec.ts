import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { blobKey } from './attachment-storage.js';
import { LocalDiskStorage } from './local-disk.storage.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aso-storage-'));
    storage = new LocalDiskStorage(join(root, 'uploads'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores by hash under <aa>/<bb>/<sha256>, from a buffer or a stream, and reads it back', async () => {
    const a = Buffer.from('first photo');
    const b = Buffer.alloc(300_000, 7);
    await storage.put(sha(a), a);
    await storage.put(sha(b), Readable.from([b.subarray(0, 1000), b.subarray(1000)]));
    expect(await readFile(join(root, 'uploads', sha(a).slice(0, 2), sha(a).slice(2, 4), sha(a)))).toEqual(a);
    expect((await buffer(await storage.get(sha(b)))).equals(b)).toBe(true);
    expect(await storage.exists(sha(a))).toBe(true);
  });

  it('ends with one complete file when the same bytes are put twice at once, and leaves no staging file', async () => {
    const c = Buffer.alloc(1_000_000, 3);
    await Promise.all([storage.put(sha(c), Readable.from([c])), storage.put(sha(c), c)]);
    expect((await readFile(storage.pathOf(sha(c)))).equals(c)).toBe(true);
    expect(await readdir(storage.stagingDir)).toEqual([]);
  });

  it('refuses a key that is not a sha256 and rejects a missing blob', async () => {
    expect(() => blobKey('../../x.jpg')).toThrow(/not a sha256/);
    expect(() => blobKey('A'.repeat(64))).toThrow(/not a sha256/);
    await expect(storage.put('../../etc/passwd', Buffer.from('x'))).rejects.toThrow(/not a sha256/);
    await expect(storage.get('0'.repeat(64))).rejects.toThrow(/ENOENT/);
    expect(await storage.exists('0'.repeat(64))).toBe(false);
  });
});
