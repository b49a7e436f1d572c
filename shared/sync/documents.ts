import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import {
  contractStatusSchema,
  contractTypeSchema,
  milestoneStatusSchema,
} from '../marketplace/contracts.ts';
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

export const documentSchemas = {
  settings: settingsDocumentSchema,
  conversations: conversationDocumentSchema,
  messages: messageDocumentSchema,
  notifications: notificationDocumentSchema,
  contracts: contractDocumentSchema,
  milestones: milestoneDocumentSchema,
} as const;

export type DocumentOf = {
  settings: SettingsDocument;
  conversations: ConversationDocument;
  messages: MessageDocument;
  notifications: NotificationDocument;
  contracts: ContractDocument;
  milestones: MilestoneDocument;
};

/** A document as it travels: with its tombstone flag. */
export type WireDocument<C extends keyof DocumentOf> = DocumentOf[C] & { _deleted: boolean };
