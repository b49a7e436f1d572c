import { renameSync, openSync, writeSync, fdatasyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  localScreenshotSchema,
  screenshotImageSchema,
  type LocalScreenshot,
} from '../../shared/ipc/screenshots.ts';
import { silentLog, type Log } from '../log.ts';
import { encodeLine, openRecordLog, readRecordLog, type RecordLog } from '../tracker/journal.ts';

/**
 * One user's screenshots on this machine: the image files (image-files.ts) and a durable
 * index of their records. The index is an append-only log in the tracker journal's format
 * (checksummed lines, each flushed before the call returns), replayed on open and rewritten
 * compactly when dead lines outnumber live ones.
 *
 * `uploaded` is not stored: it is derived from the `stored` records, one per hash the server
 * confirmed, so an image shared by two records (two identical screens) is sent once.
 *
 * A `pruned` record says a shared, uploaded screenshot's files were let go from this disk after
 * the retention period (screenshot-service.ts): the record stays, so the diary still lists it and
 * shows its images from the server, and a restart does not bring the question back.
 */
const storedShotSchema = localScreenshotSchema.omit({ uploaded: true });
export type StoredShot = z.infer<typeof storedShotSchema>;
type ImageRef = z.infer<typeof screenshotImageSchema>;

const indexRecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('add'), shot: storedShotSchema }),
  z.object({
    t: z.literal('blur'),
    id: z.uuid(),
    image: screenshotImageSchema,
    thumbnail: screenshotImageSchema,
  }),
  z.object({ t: z.literal('share'), id: z.uuid() }),
  z.object({ t: z.literal('delete'), id: z.uuid() }),
  z.object({ t: z.literal('stored'), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ t: z.literal('pruned'), id: z.uuid() }),
]);
type IndexRecord = z.infer<typeof indexRecordSchema>;

export interface ScreenshotLibrary {
  get(id: string): LocalScreenshot | null;
  /** Records whose slot lies in [from, to), oldest first. */
  list(from: number, to: number): LocalScreenshot[];
  /** How many capture moments (distinct `takenAt`) a contract's slot already holds. */
  momentsIn(contractId: string, slot: number): number;
  /** Shared records with an image the server does not have yet, oldest first. */
  uploadQueue(): LocalScreenshot[];
  /** Pending records whose grace period ends at or before `now`. */
  dueForSharing(now: number): LocalScreenshot[];
  /** Shared, uploaded records taken at or before `takenBy` whose files are still kept here. */
  dueForPruning(takenBy: number): LocalScreenshot[];
  /** Records whose files were let go from this disk. */
  prunedShots(): LocalScreenshot[];
  isPruned(id: string): boolean;
  /** Whether any record still keeps the file on this disk (pruned records no longer do). */
  references(hash: string): boolean;
  isStored(hash: string): boolean;
  add(shot: StoredShot): void;
  replaceImages(id: string, image: ImageRef, thumbnail: ImageRef): void;
  share(id: string): void;
  delete(id: string): void;
  markStored(hash: string): void;
  /** Only for a shared record whose images the server has: the caller then removes the files. */
  markPruned(id: string): void;
  close(): void;
}

export function indexPathIn(dir: string): string {
  return join(dir, 'index.jsonl');
}

export function openScreenshotLibrary(dir: string, log: Log = silentLog): ScreenshotLibrary {
  const path = indexPathIn(dir);
  const shots = new Map<string, StoredShot>();
  const stored = new Set<string>();
  const pruned = new Set<string>();

  const apply = (record: IndexRecord): void => {
    switch (record.t) {
      case 'add':
        shots.set(record.shot.id, { ...record.shot });
        return;
      case 'blur': {
        const shot = shots.get(record.id);
        if (shot && shot.state === 'pending') {
          shots.set(record.id, {
            ...shot,
            image: record.image,
            thumbnail: record.thumbnail,
            blurred: true,
          });
        }
        return;
      }
      case 'share': {
        const shot = shots.get(record.id);
        if (shot) shots.set(record.id, { ...shot, state: 'shared' });
        return;
      }
      case 'delete':
        shots.delete(record.id);
        pruned.delete(record.id);
        return;
      case 'stored':
        stored.add(record.hash);
        return;
      case 'pruned':
        if (shots.has(record.id)) pruned.add(record.id);
        return;
    }
  };

  const read = readRecordLog(path, indexRecordSchema);
  for (const record of read.records) apply(record);
  if (read.skippedLines > 0) {
    log.warn(`screenshots: skipped ${read.skippedLines} damaged index line(s) (a torn write).`);
  }
  // Only hashes a live record uses matter; the rest would only make the index grow.
  for (const hash of [...stored]) if (!referenced(hash)) stored.delete(hash);
  const live = shots.size + stored.size + pruned.size;
  if (read.records.length > 2 * live + 64 || read.skippedLines > 0) rewrite();
  const journal: RecordLog<IndexRecord> = openRecordLog<IndexRecord>(path);

  // Pruned records count here: their `uploaded` is still derived from these hashes.
  function referenced(hash: string): boolean {
    for (const shot of shots.values()) {
      if (shot.image.hash === hash || shot.thumbnail.hash === hash) return true;
    }
    return false;
  }

  function keptHere(hash: string): boolean {
    for (const shot of shots.values()) {
      if (pruned.has(shot.id)) continue;
      if (shot.image.hash === hash || shot.thumbnail.hash === hash) return true;
    }
    return false;
  }

  /** The live records as a fresh file, swapped in by rename: a crash keeps one or the other. */
  function rewrite(): void {
    const lines: IndexRecord[] = [
      ...[...shots.values()].map((shot): IndexRecord => ({ t: 'add', shot })),
      ...[...stored].map((hash): IndexRecord => ({ t: 'stored', hash })),
      ...[...pruned].map((id): IndexRecord => ({ t: 'pruned', id })),
    ];
    const partial = `${path}.compact`;
    const fd = openSync(partial, 'w', 0o600);
    try {
      const bytes = Buffer.from(lines.map(encodeLine).join(''), 'utf8');
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  }

  const commit = (record: IndexRecord): void => {
    journal.append(record);
    apply(record);
  };

  const view = (shot: StoredShot): LocalScreenshot => ({
    ...shot,
    uploaded:
      shot.state === 'shared' && stored.has(shot.image.hash) && stored.has(shot.thumbnail.hash),
  });
  const byTakenAt = (a: StoredShot, b: StoredShot) => a.takenAt - b.takenAt || a.screen - b.screen;

  return {
    get: (id) => {
      const shot = shots.get(id);
      return shot ? view(shot) : null;
    },
    list: (from, to) =>
      [...shots.values()]
        .filter((shot) => shot.slot >= from && shot.slot < to)
        .sort(byTakenAt)
        .map(view),
    momentsIn: (contractId, slot) => {
      const moments = new Set<number>();
      for (const shot of shots.values()) {
        if (shot.contractId === contractId && shot.slot === slot) moments.add(shot.takenAt);
      }
      return moments.size;
    },
    uploadQueue: () =>
      [...shots.values()]
        .map(view)
        .filter((shot) => shot.state === 'shared' && !shot.uploaded)
        .sort(byTakenAt),
    dueForSharing: (now) =>
      [...shots.values()]
        .filter((shot) => shot.state === 'pending' && shot.shareAt <= now)
        .sort(byTakenAt)
        .map(view),
    dueForPruning: (takenBy) =>
      [...shots.values()]
        .filter((shot) => shot.takenAt <= takenBy && !pruned.has(shot.id))
        .map(view)
        .filter((shot) => shot.uploaded)
        .sort(byTakenAt),
    prunedShots: () =>
      [...shots.values()]
        .filter((shot) => pruned.has(shot.id))
        .sort(byTakenAt)
        .map(view),
    isPruned: (id) => pruned.has(id),
    references: keptHere,
    isStored: (hash) => stored.has(hash),
    add: (shot) => commit({ t: 'add', shot: storedShotSchema.parse(shot) }),
    replaceImages: (id, image, thumbnail) => commit({ t: 'blur', id, image, thumbnail }),
    share: (id) => commit({ t: 'share', id }),
    delete: (id) => commit({ t: 'delete', id }),
    markStored: (hash) => {
      if (!stored.has(hash)) commit({ t: 'stored', hash });
    },
    markPruned: (id) => {
      const shot = shots.get(id);
      if (!shot || pruned.has(id)) return;
      // The one rule that keeps this safe: bytes leave this disk only once the server has them.
      if (!view(shot).uploaded)
        throw new Error(`Screenshot ${id} is not uploaded: keep its files.`);
      commit({ t: 'pruned', id });
    },
    close: () => journal.close(),
  };
}
