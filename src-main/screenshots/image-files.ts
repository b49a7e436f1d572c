import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from './encode.ts';

/**
 * The screenshot bytes of one user, content-addressed: each file is named by the sha256 of
 * what it holds (fanned out by its first two hex digits), so a name always proves its bytes
 * and the uploader can send a file under its name without hashing it again.
 */
export interface ImageFiles {
  /** Stores the bytes under their hash; storing the same bytes again changes nothing. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes, checked against their name; null when missing or damaged. */
  read(hash: string): Promise<Buffer | null>;
  remove(hash: string): Promise<void>;
}

const hashPattern = /^[0-9a-f]{64}$/;

export function imageFilesAt(root: string): ImageFiles {
  const pathOf = (hash: string): string => {
    // A hash is the only thing that may become a path here.
    if (!hashPattern.test(hash)) throw new Error(`Not a sha256: ${hash}`);
    return join(root, hash.slice(0, 2), hash);
  };
  return {
    async put(bytes) {
      const hash = sha256Hex(bytes);
      const path = pathOf(hash);
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      // Written aside, flushed, then renamed: a crash leaves either no file or the whole file.
      const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
      const file = await open(partial, 'wx', 0o600);
      try {
        await file.writeFile(bytes);
        await file.datasync();
      } finally {
        await file.close();
      }
      await rename(partial, path);
      return hash;
    },
    async read(hash) {
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(hash));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return sha256Hex(bytes) === hash ? bytes : null;
    },
    async remove(hash) {
      await rm(pathOf(hash), { force: true });
    },
  };
}
