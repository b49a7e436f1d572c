import { join } from 'node:path';
import { ProblemError, problemTypes } from '../../shared/api/problem.ts';
import type { LocalScreenshot } from '../../shared/ipc/screenshots.ts';
import { silentLog, type Log } from '../log.ts';
import { unauthenticatedProblem } from '../problems.ts';
import type { Clock } from '../tracker/capabilities.ts';
import type { TrackerHost } from '../tracker/tracker-host.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { ScreenCapture } from './capture.ts';
import {
  openScreenshotService,
  ScreenshotError,
  type DeleteResult,
  type ScreenshotService,
  type ScreenshotServiceOptions,
} from './screenshot-service.ts';
import type { UploadStatus } from './uploader.ts';

/**
 * The screenshots of whoever is signed in, like the tracker host: each user's folder
 * `<dataDir>/screenshots/<profile>/<userId>/` is opened at sign-in and closed at sign-out.
 * Errors come out as problems the UI can show as they are.
 */
export interface ScreenshotHost {
  readonly available: boolean;
  open(userId: string): void;
  /** Stops capturing and uploading, after what is running now has finished. */
  close(): Promise<void>;
  list(from: number, to: number): LocalScreenshot[];
  image(hash: string): Promise<{ dataUrl: string }>;
  blur(id: string): Promise<LocalScreenshot>;
  delete(id: string): Promise<DeleteResult>;
  uploads(): UploadStatus;
  /** The open user's service (tests wait on it and drive its timer). */
  current(): ScreenshotService | null;
}

export interface ScreenshotHostOptions {
  dataDir: string;
  profile: string;
  clock: Clock;
  capture: ScreenCapture;
  tracker: TrackerHost;
  serverUrl: string;
  tokens: AccessTokens;
  graceMs?: number;
  retentionMs?: number;
  random?: () => number;
  upload?: ScreenshotServiceOptions['upload'];
  onCaptured?: ScreenshotServiceOptions['onCaptured'];
  log?: Log;
}

export function screenshotDirFor(dataDir: string, profile: string, userId: string): string {
  // User ids are server UUIDs; anything else must not become a path.
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(userId)) throw new Error(`Unusable user id: ${userId}`);
  return join(dataDir, 'screenshots', profile, userId);
}

export function createScreenshotHost(options: ScreenshotHostOptions): ScreenshotHost {
  const log = options.log ?? silentLog;
  let current: { userId: string; service: ScreenshotService } | null = null;
  let closing: Promise<void> = Promise.resolve();

  // Subscribed once: events always reach whichever user's service is open.
  options.tracker.on((event) => current?.service.onTrackerEvent(event));

  const service = (): ScreenshotService => {
    if (!current) throw new ProblemError(unauthenticatedProblem('Sign in to see screenshots.'));
    return current.service;
  };

  const guarded = async <T>(task: () => Promise<T> | T): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      if (!(error instanceof ScreenshotError)) throw error;
      throw new ProblemError(
        error.code === 'not-found'
          ? { type: problemTypes.notFound, title: 'Not found', status: 404, detail: error.message }
          : error.code === 'pruned'
            ? {
                type: problemTypes.notFound,
                title: 'Only on the server now',
                status: 404,
                detail: error.message,
              }
            : {
                type: problemTypes.conflict,
                title: 'Screenshot already shared',
                status: 409,
                detail: error.message,
              },
      );
    }
  };

  function close(): Promise<void> {
    const closingService = current?.service;
    current = null;
    if (closingService) {
      // Called now, not after an earlier close: its uploads must stop before the next user's
      // token is in place.
      const closed = closingService
        .close()
        .catch((error: unknown) => log.error('screenshots: closing failed', error));
      closing = Promise.all([closing, closed]).then(() => undefined);
    }
    return closing;
  }

  return {
    available: options.capture.available,
    open(userId) {
      if (current?.userId === userId) return;
      void close();
      current = {
        userId,
        service: openScreenshotService({
          dir: screenshotDirFor(options.dataDir, options.profile, userId),
          userId,
          clock: options.clock,
          capture: options.capture,
          tracker: options.tracker,
          serverUrl: options.serverUrl,
          tokens: options.tokens,
          ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
          ...(options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs }),
          ...(options.random ? { random: options.random } : {}),
          ...(options.upload ? { upload: options.upload } : {}),
          ...(options.onCaptured ? { onCaptured: options.onCaptured } : {}),
          log,
        }),
      };
    },
    close,
    list: (from, to) => service().list(from, to),
    image: (hash) =>
      guarded(async () => {
        const { bytes, mimeType } = await service().image(hash);
        return { dataUrl: `data:${mimeType};base64,${bytes.toString('base64')}` };
      }),
    blur: (id) => guarded(() => service().blur(id)),
    delete: (id) => guarded(() => service().delete(id)),
    uploads: () => service().uploads(),
    current: () => current?.service ?? null,
  };
}
