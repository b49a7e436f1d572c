import { createHash } from 'node:crypto';
import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Content-addressed bytes: the key is the sha256, so a blob is stored once however often sent. */
export interface BlobStore {
  put(bytes: Buffer): Promise<{ hash: string; size: number }>;
  open(hash: string): ReadStream | null;
  has(hash: string): boolean;
}

/** The embedded default: files under the data folder, fanned out by the hash's first bytes. */
export function fileBlobStore(root: string): BlobStore {
  const pathOf = (hash: string) => join(root, hash.slice(0, 2), hash.slice(2, 4), hash);
  return {
    async put(bytes) {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const path = pathOf(hash);
      if (!existsSync(path)) {
        await mkdir(join(root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
        // Written aside then renamed: a reader never sees half a blob.
        const partial = `${path}.${process.pid}.${Date.now()}.partial`;
        await writeFile(partial, bytes);
        await rename(partial, path);
      }
      return { hash, size: bytes.length };
    },
    open(hash) {
      const path = pathOf(hash);
      return existsSync(path) ? createReadStream(path) : null;
    },
    has: (hash) => existsSync(pathOf(hash)),
  };
}
