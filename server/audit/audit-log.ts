import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';

export type AuditAction =
  | 'user.registered'
  | 'user.profile_updated'
  | 'user.password_changed'
  | 'user.password_change_failed'
  | 'user.email_verified'
  | 'user.verification_resent'
  | 'user.password_reset_requested'
  | 'user.password_reset'
  | 'session.signed_in'
  | 'session.sign_in_failed'
  | 'session.signed_out'
  | 'session.revoked'
  | 'session.others_revoked'
  | 'session.refresh_token_reused'
  | 'two_factor.setup_started'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'two_factor.disable_failed'
  | 'two_factor.backup_codes_regenerated'
  | 'two_factor.code_rejected'
  | 'two_factor.code_replayed'
  | 'two_factor.challenge_issued'
  | 'two_factor.challenge_exhausted'
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
  | 'project.attachment_removed'
  | 'escrow.funded'
  | 'escrow.payment_failed'
  | 'escrow.submitted'
  | 'escrow.released'
  | 'refund.requested'
  | 'refund.approved'
  | 'refund.rejected'
  | 'refund.succeeded'
  | 'refund.failed'
  | 'dispute.opened'
  | 'dispute.resolved'
  | 'chargeback.opened'
  | 'chargeback.closed'
  | 'payout_account.onboarding_started'
  | 'payment_method.added'
  | 'payment_method.removed'
  | 'invoice.created'
  | 'invoice.updated'
  | 'invoice.sent'
  | 'invoice.paid'
  | 'invoice.voided'
  | 'invoice.overdue';

export interface AuditEntry {
  action: AuditAction;
  userId: string | null;
  sessionId?: string | null;
  details?: Record<string, unknown>;
}

/** Who caused a change, carried from a route into the services that record it. */
export interface AuditActor {
  meta: RequestMeta | null;
  userId: string | null;
  sessionId: string | null;
}

export const actorOf = (auth: AuthContext, meta: RequestMeta): AuditActor => ({
  meta,
  userId: auth.userId,
  sessionId: auth.sessionId,
});

/** The server itself: a sweep or a webhook, on no one's request. */
export const automaticActor: AuditActor = { meta: null, userId: null, sessionId: null };

/** recordAudit for an actor: the entry names them, their session and their request. */
export function recordActorAudit(
  db: Kysely<Database>,
  actor: AuditActor,
  action: AuditAction,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(db, actor.meta, {
    action,
    userId: actor.userId,
    sessionId: actor.sessionId,
    details,
  });
}

/**
 * Written inside the caller's transaction, so the record and the change stand or fall together.
 * `meta` is null for what the server does by itself (sweeps, webhooks): no request, no caller.
 */
export async function recordAudit(
  db: Kysely<Database>,
  meta: RequestMeta | null,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: entry.userId,
      action: entry.action,
      session_id: entry.sessionId ?? null,
      ip_address: meta?.ipAddress ?? null,
      user_agent: meta?.userAgent ?? null,
      request_id: meta?.requestId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: new Date().toISOString(),
    })
    .execute();
}
