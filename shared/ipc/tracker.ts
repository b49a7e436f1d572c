import { z } from 'zod';

/**
 * The time tracker over the desktop bridge. The tracker lives in the main process
 * (src-main/tracker); the renderer only asks and shows. Instants are UTC epoch ms.
 */
const id = z.string().trim().min(1).max(100);
const memo = z.string().max(500);
const instant = z.number().int();

export const trackerStartInputSchema = z.object({
  contractId: id,
  memo: memo.optional(),
  /** The contract's weekly hour limit (hourly contracts): the tracker warns before and stops at it. */
  weeklyHourLimit: z.int().min(1).max(168).nullable().optional(),
  /** Screenshots per 10-minute slot (the contract's setting); 0 or absent: none. */
  screenshotsPerSlot: z.int().min(0).max(3).optional(),
  /** The contract's title: journaled, so the tray and the start shortcut can name it. */
  contractTitle: z.string().trim().min(1).max(200).optional(),
});
export type TrackerStartInput = z.infer<typeof trackerStartInputSchema>;
export const trackerMemoInputSchema = z.object({ memo });
export const trackerAnswerIdleInputSchema = z.object({
  stretchId: id,
  answer: z.discriminatedUnion('choice', [
    z.object({ choice: z.literal('keep') }),
    z.object({ choice: z.literal('discard') }),
    z.object({ choice: z.literal('reassign'), contractId: id }),
  ]),
});
export const trackerSegmentsInputSchema = z
  .object({ from: instant, to: instant })
  .refine((range) => range.to > range.from, { message: '`to` must be after `from`', path: ['to'] })
  .refine((range) => range.to - range.from <= 31 * 24 * 3_600_000, {
    message: 'At most 31 days at a time',
    path: ['to'],
  });

export const trackerRunningSchema = z.object({
  entryId: z.string(),
  contractId: z.string(),
  memo: z.string(),
  startedAt: instant,
  billedMs: z.int(),
  idle: z.boolean(),
  /** Screenshots per 10-minute slot the running entry takes (0 when none). */
  screenshotsPerSlot: z.int().min(0).max(3),
});

export const trackerStatusSchema = z.object({
  /** False where the host cannot read the system idle time (the browser host): no activity is claimed. */
  activityAvailable: z.boolean(),
  /** False where the host cannot capture the screen (the browser host): no screenshots are taken. */
  screenshotsAvailable: z.boolean(),
  running: trackerRunningSchema.nullable(),
  /** Entries that were running when the previous process died, closed at their last heartbeat. */
  recovered: z.array(
    z.object({
      entryId: z.string(),
      contractId: z.string(),
      startedAt: instant,
      stoppedAt: instant,
      billedMs: z.int(),
    }),
  ),
  questions: z.array(
    z.object({
      stretchId: z.string(),
      contractId: z.string(),
      from: instant,
      to: instant,
      ms: z.int(),
    }),
  ),
  /** Weekly-limit warnings since sign-in, newest last. */
  limitWarnings: z.array(z.object({ contractId: z.string(), remainingMs: z.int(), at: instant })),
  /** Why the last entry stopped when the user did not stop it (sleep, lock, limit, clock jump). */
  lastAutoStop: z.object({ contractId: z.string(), reason: z.string(), at: instant }).nullable(),
});

export const trackerSegmentSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  start: instant,
  end: instant,
  memo: z.string(),
  billedMs: z.int(),
  idlePendingMs: z.int(),
  idleDiscardedMs: z.int(),
  trackedMinutes: z.int(),
  /** Null when the host has no idle source: "activity unavailable", never an invented figure. */
  activeMinutes: z.int().nullable(),
  activity: z.int().nullable(),
  /** A screenshot of the slot was deleted: its time no longer counts (billedMs is 0). */
  removed: z.boolean(),
});

export type TrackerStatusView = z.infer<typeof trackerStatusSchema>;
export type TrackerSegmentView = z.infer<typeof trackerSegmentSchema>;
