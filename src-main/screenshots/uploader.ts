import { ProblemError } from '../../shared/api/problem.ts';
import { silentLog, type Log } from '../log.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { ImageFiles } from './image-files.ts';
import type { ScreenshotLibrary } from './library.ts';

/**
 * Sends shared screenshots' bytes to the server's blob store, in the background:
 *
 *     HEAD /api/v1/blobs/<sha256>   200: the server has them (skip)   404: send them
 *     PUT  /api/v1/blobs/<sha256>   body = the bytes, image/webp; 200/201: stored
 *
 * The queue is the library itself (shared records whose hashes the server has not confirmed),
 * so it survives restarts; each confirmed hash is recorded at once, so bytes the server has
 * are never sent again, and a crash between the PUT and that record costs one HEAD. Failures
 * wait with exponential backoff (with jitter, capped) and then retry from the queue's head.
 */
export interface UploaderOptions {
  serverUrl: string;
  tokens: AccessTokens;
  files: ImageFiles;
  library: ScreenshotLibrary;
  /** Default 2 s, doubling per failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** Default 5 minutes. */
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  fetch?: typeof fetch;
  log?: Log;
}

export interface UploadStatus {
  queued: number;
  lastError: string | null;
  nextAttemptAt: number | null;
}

export interface Uploader {
  /** Something new may be queued: start now unless a backoff wait is running. */
  kick(): void;
  status(): UploadStatus;
  /** Resolves once no upload is running (the queue may still hold work that waits). */
  settled(): Promise<void>;
  /** Stops retrying and waits for a running upload to end. */
  stop(): Promise<void>;
}

class UploadError extends Error {
  /** False when retrying cannot help (the local file is gone). */
  readonly retryable: boolean;
  constructor(message: string, retryable = true) {
    super(message);
    this.name = 'UploadError';
    this.retryable = retryable;
  }
}

export function createUploader(options: UploaderOptions): Uploader {
  const { serverUrl, tokens, files, library } = options;
  const baseDelayMs = options.baseDelayMs ?? 2_000;
  const maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const log = options.log ?? silentLog;

  let failures = 0;
  let lastError: string | null = null;
  let nextAttemptAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  // Records whose files are missing or damaged: reported, not retried in this session.
  const unsendable = new Set<string>();

  async function request(method: 'HEAD' | 'PUT', hash: string, body?: Buffer): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      if (stopped) throw new UploadError('Uploads stopped (signed out or quitting).');
      let token: string;
      try {
        token = await tokens.get();
      } catch (error) {
        const reason = error instanceof ProblemError ? error.problem.detail : String(error);
        throw new UploadError(`No access token for uploads: ${reason ?? 'sign in again'}`);
      }
      let response: Response;
      try {
        response = await fetchImpl(`${serverUrl}/api/v1/blobs/${hash}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body ? { 'Content-Type': 'image/webp' } : {}),
          },
          ...(body ? { body: new Uint8Array(body) } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer(); // drain, so the connection can be reused
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        throw new UploadError(
          `Could not reach ${serverUrl}: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
      }
      // An expired token: refresh once and ask again.
      if (response.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      return response.status;
    }
  }

  async function send(hash: string): Promise<void> {
    const head = await request('HEAD', hash);
    if (head === 200) return;
    if (head !== 404) throw new UploadError(`HEAD of a screenshot image answered HTTP ${head}.`);
    const bytes = await files.read(hash);
    if (!bytes) throw new UploadError(`The image file ${hash} is missing or damaged.`, false);
    const put = await request('PUT', hash, bytes);
    if (put === 200 || put === 201) return;
    if (put === 422) throw new UploadError(`The server found image ${hash} damaged on the way.`);
    throw new UploadError(`Uploading a screenshot image answered HTTP ${put}.`);
  }

  async function drain(): Promise<void> {
    for (const shot of library.uploadQueue()) {
      if (stopped) return;
      if (unsendable.has(shot.id)) continue;
      try {
        for (const hash of [shot.image.hash, shot.thumbnail.hash]) {
          // Deleted meanwhile: nothing left to send.
          if (!library.get(shot.id)) break;
          if (library.isStored(hash)) continue;
          await send(hash);
          library.markStored(hash);
        }
      } catch (error) {
        if (!(error instanceof UploadError) || error.retryable) throw error;
        unsendable.add(shot.id);
        lastError = error.message;
        log.error(`screenshots: cannot upload screenshot ${shot.id}: ${error.message}`);
      }
    }
  }

  function run(): void {
    if (running || timer || stopped) {
      again = running !== null;
      return;
    }
    nextAttemptAt = null;
    running = drain()
      .then(
        () => {
          failures = 0;
          if (unsendable.size === 0) lastError = null;
        },
        (error: unknown) => {
          failures += 1;
          lastError = error instanceof Error ? error.message : String(error);
          // Full jitter on the upper half: devices that lost the server together do not
          // all come back in the same second.
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
          const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
          nextAttemptAt = now() + delay;
          log.warn(`screenshots: upload failed (${lastError}); retrying in ${delay} ms`);
          if (!stopped) {
            timer = setTimeout(() => {
              timer = null;
              run();
            }, delay);
          }
        },
      )
      .finally(() => {
        running = null;
        if (again && !timer) {
          again = false;
          run();
        }
      });
  }

  return {
    kick: run,
    status: () => ({
      queued: library.uploadQueue().length,
      lastError,
      nextAttemptAt,
    }),
    settled: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      nextAttemptAt = null;
      while (running) await running;
    },
  };
}
