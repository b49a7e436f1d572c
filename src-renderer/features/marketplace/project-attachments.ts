import { ProblemError, problemTypes } from '../../../shared/api/problem.ts';
import { MAX_PROJECT_ATTACHMENTS } from '../../../shared/marketplace/attachments.ts';
import { readableError } from '../../api/problems.ts';

/** What the blob endpoint takes in one upload (`MAX_BLOB_BYTES` on the server). */
export const maxProjectFileBytes = 25 * 1024 * 1024;

/**
 * The name a file is attached under: the server refuses control characters and more than 255
 * characters, so a file whose name has them still attaches, named readably.
 */
export function attachmentNameOf(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const name = fileName.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return name.slice(0, 255).trim() || 'file';
}

/**
 * Which picked files can go on a project that already has `attached` files (and `pending`
 * being added), and why each of the others cannot. Checked before any upload, so a file the
 * server would refuse is never sent.
 */
export function sortPickedFiles<F extends { name: string; size: number }>(
  files: readonly F[],
  attached: number,
): { accepted: F[]; refusals: string[] } {
  const accepted: F[] = [];
  const refusals: string[] = [];
  for (const file of files) {
    if (file.size === 0) refusals.push(`${file.name} is empty.`);
    else if (file.size > maxProjectFileBytes) {
      refusals.push(`${file.name} is larger than 25 MB, the most a project file can be.`);
    } else if (attached + accepted.length >= MAX_PROJECT_ATTACHMENTS) {
      refusals.push(
        `${file.name} was not added: a project holds at most ${MAX_PROJECT_ATTACHMENTS} files.`,
      );
    } else accepted.push(file);
  }
  return { accepted, refusals };
}

/**
 * Why a file could not be attached or removed, in a person's words: the server's own detail
 * for its conflicts (too many files, the project no longer editable) names the rule.
 */
export function attachmentFailure(action: string, error: unknown): string {
  if (error instanceof ProblemError) {
    const { problem } = error;
    if (problem.type === problemTypes.payloadTooLarge) {
      return `${action}: the file is larger than 25 MB, the most a project file can be.`;
    }
    if (problem.type === problemTypes.conflict && problem.detail) {
      return `${action}: ${problem.detail}`;
    }
    if (problem.type === problemTypes.forbidden) {
      return `${action}: only the client who posted the project may change its files.`;
    }
  }
  return `${action}: ${readableError(error)}`;
}

const typeNames: Record<string, string> = {
  'application/pdf': 'PDF document',
  'application/zip': 'ZIP archive',
  'application/json': 'JSON file',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation':
    'PowerPoint presentation',
  'text/plain': 'Text file',
  'text/csv': 'CSV file',
  'text/markdown': 'Markdown file',
};

/** `image/png` → `PNG image`, `application/pdf` → `PDF document`; unknown types as they are. */
export function fileTypeLabel(mimeType: string): string {
  const known = typeNames[mimeType];
  if (known) return known;
  const [kind, subtype = ''] = mimeType.split('/');
  const short = subtype.replace(/^x-/, '').split(/[.+]/)[0]?.toUpperCase() ?? '';
  if (kind === 'image' && short) return `${short} image`;
  if (kind === 'video' && short) return `${short} video`;
  if (kind === 'audio' && short) return `${short} audio`;
  if (mimeType === 'application/octet-stream') return 'File';
  return mimeType;
}
