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

export class ScreenshotError extends Error {
  readonly code: 'not-found' | 'already-shared';
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
  /** Resolves once captures, edits and uploads running now have finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function openScreenshotService(options: ScreenshotServiceOptions): ScreenshotService {
  const { clock, capture, tracker, userId } = options;
  const log = options.log ?? silentLog;
  const graceMs = options.graceMs ?? defaultScreenshotGraceMs;
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

  const found = (id: string): LocalScreenshot => {
    const shot = library.get(id);
    if (!shot) throw new ScreenshotError('not-found', 'There is no screenshot with this id here.');
    return shot;
  };

  const stopSharing = clock.every(options.shareCheckMs ?? 15_000, () => {
    shareDue().catch((error: unknown) => log.error('screenshots: sharing failed', error));
  });
  // What a previous run left: share what is due, send what is queued.
  void shareDue().then(() => uploader.kick());

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
      const shot = library
        .list(-Infinity, Infinity)
        .find((candidate) => candidate.image.hash === hash || candidate.thumbnail.hash === hash);
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
    async settled() {
      while (capturing) await capturing;
      await exclusive(() => Promise.resolve());
      await uploader.settled();
    },
    async close() {
      closed = true;
      stopSharing();
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
