import {
  projectAttachmentListSchema,
  projectAttachmentSchema,
  type AddProjectAttachmentInput,
} from '../../../shared/marketplace/attachments.ts';
import { api } from '../session/api.ts';

/**
 * A project's files: the list anyone who sees the project may read, and the client's own
 * additions and removals. The bytes travel through the blob endpoints (upload first, then
 * attach by hash), as for message attachments.
 */

const id = encodeURIComponent;

export const listProjectAttachments = (projectId: string) =>
  api.json('GET', `/projects/${id(projectId)}/attachments`, projectAttachmentListSchema);

export const addProjectAttachment = (projectId: string, input: AddProjectAttachmentInput) =>
  api.json('POST', `/projects/${id(projectId)}/attachments`, projectAttachmentSchema, input);

export const removeProjectAttachment = (projectId: string, hash: string) =>
  api.send('DELETE', `/projects/${id(projectId)}/attachments/${id(hash)}`);
