import { z } from 'zod';

/**
 * Screenshots over the desktop bridge. The main process captures, encodes and keeps them
 * (src-main/screenshots); during the grace period they exist only on this machine and can be
 * blurred or deleted. Once shared, the renderer records them as `screenshots` documents
 * (shared/sync/documents.ts) and the main process uploads their bytes. Instants are UTC ms.
 */
const instant = z.number().int();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** How long a new screenshot stays private to the freelancer before it is shared. */
export const defaultScreenshotGraceMs = 10 * 60_000;

export const screenshotImageSchema = z.object({
  hash: sha256,
  size: z.int(),
  width: z.int(),
  height: z.int(),
  mimeType: z.enum(['image/webp', 'image/png', 'image/jpeg']),
});

export const localScreenshotSchema = z.object({
  id: z.uuid(),
  contractId: z.string(),
  /** The tracked time entry (shared/time/stable-ids.ts `trackedEntryId`) and slot start. */
  entryId: z.uuid(),
  slot: instant,
  takenAt: instant,
  screen: z.int(),
  activity: z.int().nullable(),
  image: screenshotImageSchema,
  thumbnail: screenshotImageSchema,
  blurred: z.boolean(),
  /** `pending`: in its grace period, only here; `shared`: to be recorded and uploaded. */
  state: z.enum(['pending', 'shared']),
  /** When the grace period ends. */
  shareAt: instant,
  /** Both images reached the server's blob store. */
  uploaded: z.boolean(),
});
export type LocalScreenshot = z.infer<typeof localScreenshotSchema>;

export const screenshotsListInputSchema = z
  .object({ from: instant, to: instant })
  .refine((range) => range.to > range.from, { message: '`to` must be after `from`', path: ['to'] })
  .refine((range) => range.to - range.from <= 31 * 24 * 3_600_000, {
    message: 'At most 31 days at a time',
    path: ['to'],
  });

export const screenshotIdInputSchema = z.object({ id: z.uuid() });
export const screenshotImageInputSchema = z.object({ hash: sha256 });

/** A local image as a `data:` URL (the renderer cannot read the data folder). */
export const screenshotImageDataSchema = z.object({ dataUrl: z.string() });

/** Deleting a screenshot removes its slot's time: which slot that was. */
export const screenshotDeletedSchema = z.object({
  id: z.uuid(),
  contractId: z.string(),
  entryId: z.uuid(),
  slot: instant,
});

export const screenshotUploadsSchema = z.object({
  /** Shared screenshots whose bytes have not reached the server yet. */
  queued: z.int(),
  /** The last upload failure, while uploads keep failing; null once one succeeds. */
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
});
