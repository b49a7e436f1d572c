import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultScreenshotGraceMs, type LocalScreenshot } from '../../shared/ipc/screenshots.ts';
import { slotStart, utcDay } from '../../shared/time/slots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import { silentLog, type Log } from '../log.ts';
import type { Clock } from '../tracker/capabilities.ts';
import type { TrackerEvent } from '../tracker/tracker-service.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { ScreenCapture } from './capture.ts';
import { blurScreenshot, encodeScreenshot, type EncodedImage } from './encode.ts';
import { imageFilesAt, type ImageFiles } from './image-files.ts';
import { openScreenshotLibrary, type ScreenshotLibrary } from './library.ts';
import { createScreenshotScheduler, type Beat } from './scheduler.ts';
import { createUploader, type UploadStatus, type Uploader } from './uploader.ts';

/**
 * One signed-in user's screenshots: takes them while their timer runs (scheduler.ts), keeps
 * them private for the grace period, lets them be blurred or deleted (deleting removes the
 * slot's time from the tracker), then shares them and uploads their bytes (uploader.ts).
 * Once the server has a shared screenshot's bytes, its local files go after the retention
 * period (the diary then shows it from the server); nothing else ever leaves the disk unasked.
 */
export interface SlotTime {
  removeSlot(contractId: string, slot: number): void;
  isSlotRemoved(contractId: string, slot: number): boolean;
  slotActivity(contractId: string, slot: number): number | null;
}

export interface ScreenshotServiceOptions {
  /** `<dataDir>/screenshots/<profile>/<userId>`. */
  dir: string;
  userId: string;
  clock: Clock;
  capture: ScreenCapture;
  tracker: SlotTime;
  serverUrl: string;
  tokens: AccessTokens;
  graceMs?: number;
  /** How often pending screenshots are checked for the end of their grace period. Default 15 s. */
  shareCheckMs?: number;
  /**
   * How long after it was taken an uploaded screenshot's files stay on this disk. Default
   * 30 days; `Infinity` keeps them for good.
   */
  retentionMs?: number;
  /** How often uploaded screenshots are checked for the end of their retention. Default 1 hour. */
  pruneCheckMs?: number;
  random?: () => number;
  upload?: {
    baseDelayMs?: number;
    maxDelayMs?: number;
    fetch?: typeof fetch;
    now?: () => number;
  };
  log?: Log;
  /** Called after each capture with how long capture and encoding took per screen (ms). */
  onCaptured?: (shots: LocalScreenshot[], msPerScreen: number) => void;
}

export type DeleteResult = { id: string; contractId: string; entryId: string; slot: number };

export const defaultScreenshotRetentionMs = 30 * 24 * 3_600_000;

export class ScreenshotError extends Error {
  /** `pruned`: the image is on the server only, its local copy went after the retention period. */
  readonly code: 'not-found' | 'already-shared' | 'pruned';
  constructor(code: ScreenshotError['code'], message: string) {
    super(message);
    this.name = 'ScreenshotError';
    this.code = code;
  }
}

export interface ScreenshotService {
  /** The tracker's events: heartbeats drive the scheduler. */
  onTrackerEvent(event: TrackerEvent): void;
  list(from: number, to: number): LocalScreenshot[];
  /** The bytes of an image of one of this user's screenshots. */
  image(hash: string): Promise<{ bytes: Buffer; mimeType: string }>;
  blur(id: string): Promise<LocalScreenshot>;
  delete(id: string): Promise<DeleteResult>;
  uploads(): UploadStatus;
  /** Shares what has passed its grace period; the timer calls it, tests may too. */
  shareDue(): Promise<void>;
  /** Removes the local files of uploaded screenshots past their retention; the timer calls it. */
  pruneDue(): Promise<void>;
  /** Resolves once captures, edits and uploads running now have finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function openScreenshotService(options: ScreenshotServiceOptions): ScreenshotService {
  const { clock, capture, tracker, userId } = options;
  const log = options.log ?? silentLog;
  const graceMs = options.graceMs ?? defaultScreenshotGraceMs;
  const retentionMs = options.retentionMs ?? defaultScreenshotRetentionMs;
  if (!(retentionMs >= 0)) throw new RangeError('retentionMs must be 0 or more.');
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const files: ImageFiles = imageFilesAt(join(options.dir, 'images'));
  const library: ScreenshotLibrary = openScreenshotLibrary(options.dir, log);
  const scheduler = createScreenshotScheduler({
    ...(options.random ? { random: options.random } : {}),
    momentsTaken: (contractId, slot) => library.momentsIn(contractId, slot),
  });
  const uploader: Uploader = createUploader({
    serverUrl: options.serverUrl,
    tokens: options.tokens,
    files,
    library,
    ...(options.random ? { random: options.random } : {}),
    ...options.upload,
    log,
  });

  // Edits of the library run one at a time: a blur still encoding must finish before the
  // grace period's end shares the record, or the unblurred image could be uploaded.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  let capturing: Promise<void> | null = null;
  let closed = false;

  async function takeScreenshots(beat: Beat, activity: number | null): Promise<void> {
    const slot = slotStart(beat.at);
    const started = performance.now();
    const screens = await capture.capture();
    const encoded = await Promise.all(screens.map(encodeScreenshot));
    const msPerScreen = screens.length === 0 ? 0 : (performance.now() - started) / screens.length;
    const shots = await exclusive(async () => {
      const taken: LocalScreenshot[] = [];
      for (const [i, screen] of screens.entries()) {
        const images = encoded[i];
        if (!images || closed) continue;
        await files.put(images.image.bytes);
        await files.put(images.thumbnail.bytes);
        const id = randomUUID();
        library.add({
          id,
          contractId: beat.contractId,
          entryId: trackedEntryId(beat.contractId, userId, utcDay(slot)),
          slot,
          takenAt: beat.at,
          screen: screen.index,
          activity,
          image: ref(images.image),
          thumbnail: ref(images.thumbnail),
          blurred: false,
          state: 'pending',
          shareAt: beat.at + graceMs,
        });
        const shot = library.get(id);
        if (shot) taken.push(shot);
      }
      return taken;
    });
    options.onCaptured?.(shots, msPerScreen);
  }

  function onBeat(beat: Beat): void {
    if (!capture.available || closed || beat.screenshotsPerSlot <= 0) return;
    // The slot's time is gone for good: more pictures of it would serve nobody.
    if (tracker.isSlotRemoved(beat.contractId, slotStart(beat.at))) return;
    // Still busy with the last capture: the moment stays due until the next heartbeat.
    if (capturing || !scheduler.due(beat)) return;
    scheduler.taken(beat);
    // The slot's activity up to this moment, read now: the capture itself takes a while.
    const activity = tracker.slotActivity(beat.contractId, slotStart(beat.at));
    capturing = takeScreenshots(beat, activity)
      .catch((error: unknown) => log.error('screenshots: a capture failed', error))
      .finally(() => {
        capturing = null;
      });
  }

  const shareDue = (): Promise<void> =>
    exclusive(() => {
      const due = library.dueForSharing(clock.wallNow());
      for (const shot of due) library.share(shot.id);
      if (due.length > 0) uploader.kick();
      return Promise.resolve();
    });

  /** A file no record uses any more goes (two identical screens share one file). */
  async function dropUnused(hashes: string[]): Promise<void> {
    for (const hash of new Set(hashes)) if (!library.references(hash)) await files.remove(hash);
  }

  /**
   * Records first, files second: a crash in between leaves files a pruned record no longer
   * needs, which the sweep at the next open removes; the other order could leave a record
   * that claims a file already gone.
   */
  async function prune(sweep: boolean): Promise<void> {
    if (closed) return;
    // The sweep (at open) also finishes what an earlier run marked but did not remove.
    const earlier = sweep ? library.prunedShots() : [];
    const due = library.dueForPruning(clock.wallNow() - retentionMs);
    for (const shot of due) library.markPruned(shot.id);
    await dropUnused(
      [...earlier, ...due].flatMap((shot) => [shot.image.hash, shot.thumbnail.hash]),
    );
  }
  const pruneDue = (): Promise<void> => exclusive(() => prune(false));

  const found = (id: string): LocalScreenshot => {
    const shot = library.get(id);
    if (!shot) throw new ScreenshotError('not-found', 'There is no screenshot with this id here.');
    return shot;
  };

  const stopSharing = clock.every(options.shareCheckMs ?? 15_000, () => {
    shareDue().catch((error: unknown) => log.error('screenshots: sharing failed', error));
  });
  const stopPruning = clock.every(options.pruneCheckMs ?? 3_600_000, () => {
    pruneDue().catch((error: unknown) => log.error('screenshots: pruning failed', error));
  });
  // What a previous run left: share what is due, send what is queued, let go what is old.
  void shareDue().then(() => uploader.kick());
  exclusive(() => prune(true)).catch((error: unknown) =>
    log.error('screenshots: pruning failed', error),
  );

  return {
    onTrackerEvent(event) {
      if (event.type !== 'tick') return;
      onBeat({
        contractId: event.contractId,
        at: event.at,
        screenshotsPerSlot: event.screenshotsPerSlot,
      });
    },
    list: (from, to) => library.list(from, to),
    async image(hash) {
      const users = library
        .list(-Infinity, Infinity)
        .filter((candidate) => candidate.image.hash === hash || candidate.thumbnail.hash === hash);
      const shot = users.find((candidate) => !library.isPruned(candidate.id));
      if (!shot && users.length > 0) {
        throw new ScreenshotError(
          'pruned',
          'This image is no longer kept on this computer (its retention period is over); the server has it.',
        );
      }
      const bytes = shot ? await files.read(hash) : null;
      if (!shot || !bytes) throw new ScreenshotError('not-found', 'There is no such image here.');
      return {
        bytes,
        mimeType: shot.image.hash === hash ? shot.image.mimeType : shot.thumbnail.mimeType,
      };
    },
    blur: (id) =>
      exclusive(async () => {
        const shot = found(id);
        if (shot.state !== 'pending' || shot.shareAt <= clock.wallNow()) {
          throw new ScreenshotError(
            'already-shared',
            'This screenshot is already shared; it can only be deleted now.',
          );
        }
        if (shot.blurred) return shot;
        const original = await files.read(shot.image.hash);
        if (!original) throw new ScreenshotError('not-found', 'The image file is missing.');
        const blurred = await blurScreenshot(original);
        await files.put(blurred.image.bytes);
        await files.put(blurred.thumbnail.bytes);
        library.replaceImages(id, ref(blurred.image), ref(blurred.thumbnail));
        await dropUnused([shot.image.hash, shot.thumbnail.hash]);
        return found(id);
      }),
    delete: (id) =>
      exclusive(async () => {
        const shot = found(id);
        // The time goes first: a crash in between leaves a picture of unbilled time, never
        // billed time whose picture the freelancer deleted.
        tracker.removeSlot(shot.contractId, shot.slot);
        library.delete(id);
        await dropUnused([shot.image.hash, shot.thumbnail.hash]);
        return { id, contractId: shot.contractId, entryId: shot.entryId, slot: shot.slot };
      }),
    uploads: () => uploader.status(),
    shareDue,
    pruneDue,
    async settled() {
      while (capturing) await capturing;
      await exclusive(() => Promise.resolve());
      await uploader.settled();
    },
    async close() {
      closed = true;
      stopSharing();
      stopPruning();
      // Stopped at once (a request on its way still ends), before anything is awaited.
      const uploadsStopped = uploader.stop();
      while (capturing) await capturing;
      await exclusive(() => Promise.resolve());
      await uploadsStopped;
      library.close();
    },
  };
}

function ref(image: EncodedImage): LocalScreenshot['image'] {
  return {
    hash: image.hash,
    size: image.bytes.length,
    width: image.width,
    height: image.height,
    mimeType: image.mimeType,
  };
}
