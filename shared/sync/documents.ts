import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import {
  contractStatusSchema,
  contractTypeSchema,
  milestoneStatusSchema,
  screenshotsPerSlotSchema,
} from '../marketplace/contracts.ts';
import { escrowDocumentSchema, escrowShape, type EscrowDocument } from '../money/escrow.ts';
import { invoiceDocumentSchema, invoiceShape, type InvoiceDocument } from '../money/invoices.ts';
import { currencySchema, moneySchema } from '../money/money.ts';
import { deletedFlag } from './protocol.ts';

/**
 * The synced documents: one zod schema each, used by device (RxDB schema and validation),
 * server (push validation, storage), OpenAPI and tests. Every document has a client-made
 * uuid `id` and the device's `updatedAt` of its last edit (a tie-breaker for merges, never a
 * checkpoint). On the wire each also carries `_deleted`.
 */
const id = z.uuid();
const base = { id, updatedAt: instantSchema };

const settingsShape = {
  ...base,
  /** The id of a user's one settings document is the user's id. */
  theme: z.enum(['light', 'dark', 'auto']),
  locale: z.string().min(2).max(35),
  weekStartsOn: z.int().min(0).max(6),
  desktopNotifications: z.boolean(),
  notificationSound: z.boolean(),
};

export const participantSchema = z.object({ id, name: z.string().min(1).max(100) }).strict();

const conversationShape = {
  ...base,
  kind: z.enum(['direct', 'group', 'contract', 'project']),
  title: z.string().trim().min(1).max(200).nullable(),
  participants: z.array(participantSchema).min(2).max(50),
  contractId: id.nullable(),
  projectId: id.nullable(),
  createdBy: id,
  createdAt: instantSchema,
};

/** Bytes never travel inside documents: an attachment is the sha256 of a blob plus its metadata. */
export const attachmentSchema = z
  .object({
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex'),
    name: z.string().min(1).max(255),
    size: z
      .int()
      .min(0)
      .max(50 * 1024 * 1024),
    mimeType: z.string().min(3).max(255),
  })
  .strict();

export const receiptSchema = z
  .object({ deliveredAt: instantSchema.nullable(), readAt: instantSchema.nullable() })
  .strict();

const messageShape = {
  ...base,
  conversationId: id,
  senderId: id,
  body: z.string().max(10_000),
  attachments: z.array(attachmentSchema).max(10),
  /** When the sender wrote it (device clock); the server's order is its sequence. */
  sentAt: instantSchema,
  editedAt: instantSchema.nullable(),
  /** Per recipient: when it reached one of their devices, and when they read it. */
  receipts: z.record(id, receiptSchema),
};

const notificationShape = {
  ...base,
  userId: id,
  kind: z.enum(['message', 'system']),
  title: z.string().min(1).max(200),
  body: z.string().max(2000),
  link: z.string().max(500).nullable(),
  createdAt: instantSchema,
  readAt: instantSchema.nullable(),
};

/**
 * Money inside a synced document: the shared Money shape, inlined (RxDB schemas cannot point
 * at shared definitions, and `moneySchema` carries an OpenAPI id that would make one).
 */
const documentMoney = z.object(moneySchema.shape).strict();

/** Defined beside the REST contract (shared/marketplace/contracts.ts), which accepts it too. */
export { screenshotsPerSlotSchema };

/**
 * A contract as both parties' devices hold it, enough to show it offline. The server writes
 * it (accepting a proposal creates it, the contract's REST commands change it); devices only
 * read. The project's title is as it was when the proposal was accepted (a project in
 * progress cannot be edited), the parties' names as they were at the last change.
 */
const contractShape = {
  ...base,
  projectId: id,
  projectTitle: z.string().min(1).max(200),
  proposalId: id,
  client: participantSchema,
  freelancer: participantSchema,
  type: contractTypeSchema,
  currency: currencySchema,
  /** Hourly contracts: the rate; null on fixed ones. */
  rate: documentMoney.nullable(),
  /** Fixed contracts: the milestones' sum; null on hourly ones. */
  total: documentMoney.nullable(),
  weeklyHourLimit: z.int().min(1).max(168).nullable(),
  manualTimeAllowed: z.boolean(),
  screenshotsPerSlot: screenshotsPerSlotSchema,
  status: contractStatusSchema,
  createdAt: instantSchema,
};

/** A milestone of a fixed-price contract, in the contract's currency. */
const milestoneShape = {
  ...base,
  contractId: id,
  title: z.string().min(1).max(200),
  amount: documentMoney,
  /** A calendar date (YYYY-MM-DD), as projects' deadlines. */
  dueDate: z.iso.date().nullable(),
  /** Order within the contract, from 0. */
  position: z.int().min(0).max(999),
  status: milestoneStatusSchema,
  createdAt: instantSchema,
};

/** A sha256 in hex: how documents name bytes that travel through the blob endpoints. */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex');

/**
 * One 10-minute slot of tracked time inside a tracked time entry (the slots of a contract's
 * UTC day live in one document: see ARCHITECTURE.md, grouping under RxDB's collection limit).
 */
export const timeSegmentSchema = z
  .object({
    /** The slot's start, aligned to 10 minutes UTC; unique within its entry. */
    start: instantSchema,
    billedMs: z.int().min(0).max(600_000),
    /** Minutes of the slot holding billed time, and those of them with keyboard or mouse input. */
    trackedMinutes: z.int().min(0).max(10),
    /** Null where the device could not read input idleness: no activity is claimed. */
    activeMinutes: z.int().min(0).max(10).nullable(),
    memo: z.string().max(500),
    /** The freelancer deleted a screenshot of this slot: the slot's time no longer counts. */
    removed: z.boolean(),
  })
  .strict();

export const timeEntryStatusSchema = z.enum(['pending', 'approved', 'disputed']);

/**
 * Time a freelancer worked on a contract. `tracked`: the tracker's slots of one UTC day (id
 * from `trackedEntryId`, so handing the journal over again never duplicates time); `manual`:
 * a stretch the freelancer entered by hand where the contract allows it, flagged everywhere.
 * Written by the freelancer's devices; `status` only by the server, from the client's reviews.
 */
const timeEntryShape = {
  ...base,
  contractId: id,
  freelancerId: id,
  kind: z.enum(['tracked', 'manual']),
  /** The UTC day of the entry's slots (tracked) or of its start (manual). */
  day: z.iso.date(),
  segments: z.array(timeSegmentSchema).max(144),
  manual: z.object({ from: instantSchema, to: instantSchema }).strict().nullable(),
  memo: z.string().max(2000),
  billable: z.boolean(),
  /** Billed time: the kept slots' sum (tracked) or to − from (manual). */
  billedMs: z.int().min(0).max(86_400_000),
  /** The contract's hourly rate when the time was recorded; null on fixed-price contracts. */
  rate: documentMoney.nullable(),
  /** billedMs at the rate (shared/time/amounts.ts); null without a rate or when not billable. */
  amount: documentMoney.nullable(),
  status: timeEntryStatusSchema,
  createdAt: instantSchema,
};

const imageRefSchema = z
  .object({
    hash: sha256,
    size: z
      .int()
      .min(1)
      .max(25 * 1024 * 1024),
    width: z.int().min(1).max(16_384),
    height: z.int().min(1).max(16_384),
    mimeType: z.enum(['image/webp', 'image/png', 'image/jpeg']),
  })
  .strict();

/**
 * A screenshot the tracker took, shared once its grace period passed (until then it exists
 * only on the freelancer's machine, where it can be blurred or deleted). Deleting it later is
 * a tombstone, and marks its slot `removed` in the time entry.
 */
const screenshotShape = {
  ...base,
  contractId: id,
  freelancerId: id,
  /** The tracked time entry and the slot (its `start`) the screenshot belongs to. */
  entryId: id,
  slot: instantSchema,
  takenAt: instantSchema,
  /** Which screen, from 0, when several were captured at once. */
  screen: z.int().min(0).max(15),
  /** Activity of the slot up to the capture, percent; null when the device cannot know it. */
  activity: z.int().min(0).max(100).nullable(),
  image: imageRefSchema,
  thumbnail: imageRefSchema,
  blurred: z.boolean(),
  createdAt: instantSchema,
};

/** A freelancer's daily note on a contract (id from `workLogId`: one per contract and UTC day). */
const workLogShape = {
  ...base,
  contractId: id,
  freelancerId: id,
  day: z.iso.date(),
  tasksDone: z.string().max(5000),
  blockers: z.string().max(5000),
  notes: z.string().max(5000),
  createdAt: instantSchema,
};

/** A disputed slot: the time entry and the slot's start. */
export const disputedSlotSchema = z.object({ entryId: id, start: instantSchema }).strict();

/**
 * A client's decision on a week of an hourly contract's time, written by the client's device
 * and synced to both parties. `approval`: the week's time (except disputed slots) is approved
 * (id from `weekApprovalId`, one per week). `dispute`: the listed slots are contested with a
 * reason; the client may withdraw it, the freelancer may answer it.
 */
const timeReviewShape = {
  ...base,
  contractId: id,
  /** Monday (UTC) of the week. */
  week: z.iso.date(),
  kind: z.enum(['approval', 'dispute']),
  slots: z.array(disputedSlotSchema).max(1008),
  reason: z.string().max(2000),
  reviewerId: id,
  status: z.enum(['open', 'withdrawn']),
  /** The freelancer's answer to a dispute. */
  response: z.string().max(2000),
  createdAt: instantSchema,
};

function messageHasContent(m: { body: string; attachments: unknown[] }) {
  return m.body.trim().length > 0 || m.attachments.length > 0;
}
const messageContentIssue = { message: 'a message needs text or an attachment', path: ['body'] };

export const settingsDocumentSchema = z
  .object(settingsShape)
  .strict()
  .meta({ id: 'SettingsDocument' });
export const conversationDocumentSchema = z
  .object(conversationShape)
  .strict()
  .meta({ id: 'ConversationDocument' });
export const messageDocumentSchema = z
  .object(messageShape)
  .strict()
  .refine(messageHasContent, messageContentIssue)
  .meta({ id: 'MessageDocument' });
export const notificationDocumentSchema = z
  .object(notificationShape)
  .strict()
  .meta({ id: 'NotificationDocument' });
export const contractDocumentSchema = z
  .object(contractShape)
  .strict()
  .meta({ id: 'ContractDocument' });
export const milestoneDocumentSchema = z
  .object(milestoneShape)
  .strict()
  .meta({ id: 'MilestoneDocument' });
export const timeEntryDocumentSchema = z
  .object(timeEntryShape)
  .strict()
  .meta({ id: 'TimeEntryDocument' });
export const screenshotDocumentSchema = z
  .object(screenshotShape)
  .strict()
  .meta({ id: 'ScreenshotDocument' });
export const workLogDocumentSchema = z
  .object(workLogShape)
  .strict()
  .meta({ id: 'WorkLogDocument' });
export const timeReviewDocumentSchema = z
  .object(timeReviewShape)
  .strict()
  .meta({ id: 'TimeReviewDocument' });

/** The same documents as they travel: with their tombstone flag. */
export const wireSchemas = {
  settings: z.object({ ...settingsShape, ...deletedFlag }).strict(),
  conversations: z.object({ ...conversationShape, ...deletedFlag }).strict(),
  messages: z
    .object({ ...messageShape, ...deletedFlag })
    .strict()
    .refine(messageHasContent, messageContentIssue),
  notifications: z.object({ ...notificationShape, ...deletedFlag }).strict(),
  contracts: z.object({ ...contractShape, ...deletedFlag }).strict(),
  milestones: z.object({ ...milestoneShape, ...deletedFlag }).strict(),
  timeEntries: z.object({ ...timeEntryShape, ...deletedFlag }).strict(),
  screenshots: z.object({ ...screenshotShape, ...deletedFlag }).strict(),
  workLogs: z.object({ ...workLogShape, ...deletedFlag }).strict(),
  timeReviews: z.object({ ...timeReviewShape, ...deletedFlag }).strict(),
  escrows: z.object({ ...escrowShape, ...deletedFlag }).strict(),
  invoices: z.object({ ...invoiceShape, ...deletedFlag }).strict(),
} as const;

export type SettingsDocument = z.infer<typeof settingsDocumentSchema>;
export type ConversationDocument = z.infer<typeof conversationDocumentSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type MessageDocument = z.infer<typeof messageDocumentSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type Receipt = z.infer<typeof receiptSchema>;
export type NotificationDocument = z.infer<typeof notificationDocumentSchema>;
export type ContractDocument = z.infer<typeof contractDocumentSchema>;
export type MilestoneDocument = z.infer<typeof milestoneDocumentSchema>;
export type TimeSegment = z.infer<typeof timeSegmentSchema>;
export type TimeEntryDocument = z.infer<typeof timeEntryDocumentSchema>;
export type ScreenshotDocument = z.infer<typeof screenshotDocumentSchema>;
export type WorkLogDocument = z.infer<typeof workLogDocumentSchema>;
export type TimeReviewDocument = z.infer<typeof timeReviewDocumentSchema>;

export const documentSchemas = {
  settings: settingsDocumentSchema,
  conversations: conversationDocumentSchema,
  messages: messageDocumentSchema,
  notifications: notificationDocumentSchema,
  contracts: contractDocumentSchema,
  milestones: milestoneDocumentSchema,
  timeEntries: timeEntryDocumentSchema,
  screenshots: screenshotDocumentSchema,
  workLogs: workLogDocumentSchema,
  timeReviews: timeReviewDocumentSchema,
  /** Read-only: written by the server's escrow commands (shared/money/escrow.ts). */
  escrows: escrowDocumentSchema,
  /**
   * Read-only: written by the server's invoice commands (shared/money/invoices.ts); server-owned
   * rather than device-owned because gapless numbering needs the server's counter.
   */
  invoices: invoiceDocumentSchema,
} as const;

export type DocumentOf = {
  settings: SettingsDocument;
  conversations: ConversationDocument;
  messages: MessageDocument;
  notifications: NotificationDocument;
  contracts: ContractDocument;
  milestones: MilestoneDocument;
  timeEntries: TimeEntryDocument;
  screenshots: ScreenshotDocument;
  workLogs: WorkLogDocument;
  timeReviews: TimeReviewDocument;
  escrows: EscrowDocument;
  invoices: InvoiceDocument;
};

/** A document as it travels: with its tombstone flag. */
export type WireDocument<C extends keyof DocumentOf> = DocumentOf[C] & { _deleted: boolean };
