import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RequestMeta } from '../http/route.ts';

export type AuditAction =
  | 'user.registered'
  | 'user.profile_updated'
  | 'user.password_changed'
  | 'user.password_change_failed'
  | 'session.signed_in'
  | 'session.sign_in_failed'
  | 'session.signed_out'
  | 'session.revoked'
  | 'session.others_revoked'
  | 'session.refresh_token_reused'
  | 'category.created'
  | 'category.updated'
  | 'skill.created'
  | 'tag.created'
  | 'project.created'
  | 'project.updated'
  | 'project.status_changed'
  | 'proposal.submitted'
  | 'proposal.updated'
  | 'proposal.withdrawn'
  | 'proposal.shortlisted'
  | 'proposal.rejected'
  | 'proposal.accepted'
  | 'contract.created'
  | 'contract.status_changed'
  | 'contract.settings_changed'
  | 'profile.updated'
  | 'portfolio.item_added'
  | 'portfolio.item_updated'
  | 'portfolio.item_removed'
  | 'review.submitted'
  | 'favorite.added'
  | 'favorite.removed'
  | 'follow.added'
  | 'follow.removed'
  | 'saved_search.created'
  | 'saved_search.renamed'
  | 'saved_search.deleted'
  | 'project.attachment_added'
  | 'project.attachment_removed';

export interface AuditEntry {
  action: AuditAction;
  userId: string | null;
  sessionId?: string | null;
  details?: Record<string, unknown>;
}

/** Written inside the caller's transaction, so the record and the change stand or fall together. */
export async function recordAudit(
  db: Kysely<Database>,
  meta: RequestMeta,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: entry.userId,
      action: entry.action,
      session_id: entry.sessionId ?? null,
      ip_address: meta.ipAddress,
      user_agent: meta.userAgent,
      request_id: meta.requestId,
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: new Date().toISOString(),
    })
    .execute();
}
