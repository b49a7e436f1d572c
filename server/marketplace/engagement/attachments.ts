import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import {
  MAX_PROJECT_ATTACHMENTS,
  type AddProjectAttachmentInput,
  type ProjectAttachment,
} from '../../../shared/marketplace/attachments.ts';
import { editableStatuses, type ProjectStatus } from '../../../shared/marketplace/projects.ts';
import { attachmentSchema } from '../../../shared/sync/documents.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import type { Database, ProjectAttachmentsTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import type { ProjectService } from '../projects.ts';
import { lockRow } from './row-lock.ts';

type AttachmentRow = Selectable<ProjectAttachmentsTable>;

const conflict = (title: string, detail: string, extensions: Record<string, unknown> = {}) =>
  new HttpProblem(409, problemTypes.conflict, title, detail, { extensions });

const notEditable = (status: ProjectStatus) =>
  conflict(
    'Project can no longer be edited',
    `A ${status.replace('_', ' ')} project's files cannot change; only draft and open ones can.`,
  );

/** Status is read again under the row lock: a project closing meanwhile takes no more files. */
async function requireEditable(trx: Kysely<Database>, projectId: string): Promise<void> {
  const { status } = await trx
    .selectFrom('projects')
    .select('status')
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
  if (!editableStatuses.includes(status)) throw notEditable(status);
}

/** A project's files, in order: for its answers and its attachment list. */
export async function attachmentsOf(db: Db, projectId: string): Promise<ProjectAttachment[]> {
  const rows = await db.kysely
    .selectFrom('project_attachments')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('position')
    .execute();
  return rows.map(present);
}

/**
 * Files on a project: blobs its client uploaded, named and ordered. Whoever can see the
 * project sees the list (and may download the bytes, see the blob endpoint); only its client
 * changes it, and only while the project itself can still be edited.
 */
export class ProjectAttachmentService {
  private readonly db: Db;
  private readonly projects: ProjectService;

  constructor(db: Db, projects: ProjectService) {
    this.db = db;
    this.projects = projects;
  }

  async list(auth: AuthContext, projectId: string): Promise<ProjectAttachment[]> {
    await this.projects.visibleRow(auth, projectId);
    return attachmentsOf(this.db, projectId);
  }

  async add(
    auth: AuthContext,
    projectId: string,
    input: AddProjectAttachmentInput,
    meta: RequestMeta,
  ): Promise<ProjectAttachment> {
    await this.editableProject(auth, projectId);
    // The blob must be one this client uploaded: a hash seen elsewhere grants nothing.
    const blob = await this.db.kysely
      .selectFrom('blobs as b')
      .innerJoin('blob_uploads as u', 'u.hash', 'b.hash')
      .select(['b.hash', 'b.size', 'b.mime_type'])
      .where('b.hash', '=', input.hash)
      .where('u.user_id', '=', auth.userId)
      .executeTakeFirst();
    if (!blob) {
      throw problems.validation([
        { pointer: '/hash', detail: 'is not a file you uploaded (POST /api/v1/blobs first)' },
      ]);
    }
    // The same size limit as a message attachment.
    if (!attachmentSchema.shape.size.safeParse(Number(blob.size)).success) {
      throw problems.validation([{ pointer: '/hash', detail: 'names a file that is too large' }]);
    }
    const row = await this.db.kysely.transaction().execute(async (trx) => {
      // Held until commit: two additions racing at 9 cannot both pass the cap.
      await lockRow(trx, this.db.dialect, 'projects', projectId);
      await requireEditable(trx, projectId);
      const existing = await trx
        .selectFrom('project_attachments')
        .select(['blob_hash', 'position'])
        .where('project_id', '=', projectId)
        .execute();
      if (existing.some((a) => a.blob_hash === input.hash)) {
        throw conflict('Already attached', 'That file is already attached to this project.');
      }
      if (existing.length >= MAX_PROJECT_ATTACHMENTS) {
        throw conflict(
          'Too many attachments',
          `A project holds at most ${MAX_PROJECT_ATTACHMENTS} files; remove one first.`,
          { limit: MAX_PROJECT_ATTACHMENTS },
        );
      }
      const now = new Date().toISOString();
      const added: AttachmentRow = {
        project_id: projectId,
        blob_hash: blob.hash,
        name: input.name,
        size: Number(blob.size),
        mime_type: blob.mime_type,
        position: Math.max(-1, ...existing.map((a) => a.position)) + 1,
        created_at: now,
      };
      await trx.insertInto('project_attachments').values(added).execute();
      await trx
        .updateTable('projects')
        .set({ updated_at: now })
        .where('id', '=', projectId)
        .execute();
      await recordAudit(trx, meta, {
        action: 'project.attachment_added',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { projectId, hash: blob.hash },
      });
      return added;
    });
    return present(row);
  }

  async remove(auth: AuthContext, projectId: string, hash: string, meta: RequestMeta) {
    await this.editableProject(auth, projectId);
    await this.db.kysely.transaction().execute(async (trx) => {
      await lockRow(trx, this.db.dialect, 'projects', projectId);
      await requireEditable(trx, projectId);
      const deleted = await trx
        .deleteFrom('project_attachments')
        .where('project_id', '=', projectId)
        .where('blob_hash', '=', hash)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) {
        throw problems.notFound('That file is not attached to this project.');
      }
      await trx
        .updateTable('projects')
        .set({ updated_at: new Date().toISOString() })
        .where('id', '=', projectId)
        .execute();
      await recordAudit(trx, meta, {
        action: 'project.attachment_removed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { projectId, hash },
      });
    });
  }

  /** 404 for who cannot see it, 403 for who is not its client, 409 once past editing. */
  private async editableProject(auth: AuthContext, projectId: string) {
    const row = await this.projects.visibleRow(auth, projectId);
    if (row.client_id !== auth.userId) {
      throw problems.forbidden('Only the client who posted a project may change its files.');
    }
    if (!editableStatuses.includes(row.status)) throw notEditable(row.status);
    return row;
  }
}

function present(row: AttachmentRow): ProjectAttachment {
  return {
    hash: row.blob_hash,
    name: row.name,
    size: Number(row.size),
    mimeType: row.mime_type,
    position: row.position,
    createdAt: row.created_at,
  };
}
