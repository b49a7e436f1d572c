import {
  projectAttachmentListSchema,
  projectAttachmentSchema,
  type AddProjectAttachmentInput,
} from '../../../shared/marketplace/attachments.ts';
import { api } from '../session/api.ts';
import { blobUrl } from '../messages/messages-api.ts';

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

/**
 * Saves a file to the person's disk: the bytes come through the API client (with the bearer
 * token, which a plain link cannot send) and leave as a download of a `blob:` URL.
 */
export async function downloadFile(file: { hash: string; name: string; mimeType: string }) {
  const link = document.createElement('a');
  link.href = await blobUrl(file.hash, file.mimeType);
  link.download = file.name;
  link.click();
}
