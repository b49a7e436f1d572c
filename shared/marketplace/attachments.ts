import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { attachmentSchema } from '../sync/documents.ts';

/** A project holds at most this many files. */
export const MAX_PROJECT_ATTACHMENTS = 10;

/**
 * A file on a project: a blob its client uploaded (named by sha256, bytes through the blob
 * endpoints, as for message attachments), with the same limits as a message attachment.
 */
export const projectAttachmentSchema = attachmentSchema
  .extend({
    /** Order on the project, from 0; kept when others are removed. */
    position: z.int().min(0),
    createdAt: instantSchema,
  })
  .meta({ id: 'ProjectAttachment' });

/**
 * The blob to attach and the name to show. Size and media type are the blob's own, as the
 * server recorded them on upload, never what a caller claims.
 */
export const addProjectAttachmentInputSchema = z
  .object({
    hash: attachmentSchema.shape.hash,
    name: attachmentSchema.shape.name
      .trim()
      .min(1, 'must not be empty')
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
  })
  .strict()
  .meta({ id: 'AddProjectAttachmentInput' });

export const projectAttachmentParamsSchema = z.object({
  id: z.uuid(),
  hash: attachmentSchema.shape.hash,
});

export const projectAttachmentListSchema = z
  .object({ items: z.array(projectAttachmentSchema).max(MAX_PROJECT_ATTACHMENTS) })
  .meta({ id: 'ProjectAttachmentList' });

export type ProjectAttachment = z.infer<typeof projectAttachmentSchema>;
export type AddProjectAttachmentInput = z.infer<typeof addProjectAttachmentInputSchema>;
