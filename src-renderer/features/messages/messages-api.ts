import { z } from 'zod';
import { roleSchema } from '../../../shared/accounts/user.ts';
import { ProblemError, problemTypes } from '../../../shared/api/problem.ts';
import { api } from '../session/api.ts';
import { useSessionStore } from '../session/session-store.ts';

/**
 * The REST calls Messages needs besides sync: finding a person by email, and the blob
 * endpoints that carry attachment bytes (documents only carry the hash).
 */

export const maxAttachmentBytes = 25 * 1024 * 1024;

const personSchema = z.object({ id: z.uuid(), name: z.string().min(1), role: roleSchema });
export type Person = z.infer<typeof personSchema>;

/** The account with this email, or null when there is none. */
export async function lookUpPerson(email: string): Promise<Person | null> {
  try {
    return await api.json(
      'GET',
      `/users/lookup?email=${encodeURIComponent(email.trim())}`,
      personSchema,
    );
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 404) return null;
    throw error;
  }
}

const storedBlobSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().min(0),
  mimeType: z.string(),
});
export type StoredBlob = z.infer<typeof storedBlobSchema>;

/** Uploads a file's bytes; the server answers with their sha256, which the message carries. */
export async function uploadBlob(file: File): Promise<StoredBlob> {
  if (file.size > maxAttachmentBytes) {
    throw new ProblemError({
      type: problemTypes.payloadTooLarge,
      title: 'File too large',
      status: 413,
      detail: `${file.name} is larger than 25 MB, the most a message can carry.`,
    });
  }
  const response = await api.bytes('POST', '/blobs', {
    data: file,
    contentType: file.type || 'application/octet-stream',
  });
  const parsed = storedBlobSchema.safeParse(await response.json().catch(() => undefined));
  if (parsed.success) return parsed.data;
  throw new ProblemError({
    type: problemTypes.internal,
    title: 'Unexpected answer from the server',
    status: response.status,
    detail: 'The server did not say where it stored the file. Try again.',
  });
}

const blobUrls = new Map<string, Promise<string>>();

/**
 * A `blob:` URL for an attachment, fetched once per window with the bearer token (an `<img
 * src>` cannot send one). The URLs live as long as the signed-in session.
 */
export function blobUrl(hash: string, mimeType: string): Promise<string> {
  let url = blobUrls.get(hash);
  if (!url) {
    url = api
      .bytes('GET', `/blobs/${hash}`)
      .then((response) => response.blob())
      .then((blob) => URL.createObjectURL(new Blob([blob], { type: mimeType })));
    // A failure (offline, not allowed) must not stick: the next attempt asks again.
    url.catch(() => blobUrls.delete(hash));
    blobUrls.set(hash, url);
  }
  return url;
}

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

// Another account must never see this one's files, not even from a cache.
useSessionStore.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  for (const url of blobUrls.values()) {
    url.then((href) => URL.revokeObjectURL(href)).catch(() => undefined);
  }
  blobUrls.clear();
});
