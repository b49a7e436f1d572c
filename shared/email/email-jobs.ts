import { z } from 'zod';
import { instantSchema } from '../api/time.ts';

export const emailJobStatusSchema = z.enum(['queued', 'sending', 'sent', 'dead']);
export type EmailJobStatus = z.infer<typeof emailJobStatusSchema>;

/** A mail in the outbox as admins see it (the template data stays on the server: it holds links). */
export const emailJobSchema = z
  .object({
    id: z.uuid(),
    to: z.string(),
    template: z.string(),
    status: emailJobStatusSchema,
    attempts: z.int(),
    nextAttemptAt: instantSchema,
    lastError: z.string().nullable(),
    createdAt: instantSchema,
    sentAt: instantSchema.nullable(),
  })
  .meta({ id: 'EmailJob' });
export type EmailJob = z.infer<typeof emailJobSchema>;

export const emailJobQuerySchema = z
  .object({
    status: emailJobStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
