import type { Kysely, Selectable } from 'kysely';
import { passwordResetRequestedMessage } from '../../shared/accounts/email-links.ts';
import type { User } from '../../shared/accounts/user.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { Database, UsersTable } from '../db/schema.ts';
import { enqueueEmail } from '../email/email-jobs.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { consumeAccountToken, issueAccountToken, usableTokenOwner } from './account-tokens.ts';
import { assertPasswordNotRecent, rememberReplacedPassword } from './password-history.ts';
import { assertStrongPassword } from './password-policy.ts';
import { hashPassword } from './passwords.ts';
import type { SessionService } from './sessions.ts';
import { hashToken } from './tokens.ts';
import { toUser } from './users.ts';

const HOUR_MS = 60 * 60 * 1000;
export const verificationTtlMs = 24 * HOUR_MS;
export const passwordResetTtlMs = HOUR_MS;

/** Browser pages the mailed links open (server/auth/email-link-pages.ts). */
export const verifyEmailPath = '/account/verify-email';
export const resetPasswordPath = '/account/reset-password';

/**
 * The account flows that go through the user's mailbox: verifying the address and resetting a
 * forgotten password. Every mail is queued in the transaction of the change that causes it.
 */
export class AccountEmailService {
  private readonly db: Db;
  private readonly sessions: SessionService;
  private readonly publicUrl: () => string;

  constructor(db: Db, sessions: SessionService, publicUrl: () => string) {
    this.db = db;
    this.sessions = sessions;
    this.publicUrl = publicUrl;
  }

  /** Part of sign-up's transaction: the welcome mail and the first verification link. */
  async onRegistered(trx: Kysely<Database>, user: Selectable<UsersTable>): Promise<void> {
    await enqueueEmail(trx, {
      to: user.email,
      template: 'welcome',
      data: { name: user.name },
      dedupeKey: `welcome:${user.id}`,
    });
    await this.sendVerification(trx, user);
  }

  async resendVerification(auth: AuthContext, meta: RequestMeta): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', auth.userId)
        .executeTakeFirst();
      if (!user) throw problems.sessionRevoked();
      if (user.email_verified_at !== null) {
        throw new HttpProblem(
          409,
          problemTypes.conflict,
          'Already verified',
          'Your email address is already verified.',
        );
      }
      await this.sendVerification(trx, user);
      await recordAudit(trx, meta, {
        action: 'user.verification_resent',
        userId: user.id,
        sessionId: auth.sessionId,
      });
    });
  }

  async verifyEmail(token: string, meta: RequestMeta): Promise<User> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const userId = await consumeAccountToken(trx, token, 'verify_email');
      const now = new Date().toISOString();
      await trx
        .updateTable('users')
        .set({ email_verified_at: now, updated_at: now })
        .where('id', '=', userId)
        .where('email_verified_at', 'is', null)
        .execute();
      await recordAudit(trx, meta, { action: 'user.email_verified', userId });
      return toUser(
        await trx
          .selectFrom('users')
          .selectAll()
          .where('id', '=', userId)
          .executeTakeFirstOrThrow(),
      );
    });
  }

  /** The same answer whether or not the address has an account; only a real one gets mail. */
  async requestPasswordReset(email: string, meta: RequestMeta): Promise<{ message: string }> {
    const user = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    await this.db.kysely.transaction().execute(async (trx) => {
      if (user) {
        const token = await issueAccountToken(trx, user.id, 'password_reset', passwordResetTtlMs);
        await enqueueEmail(trx, {
          to: user.email,
          template: 'password-reset',
          data: {
            name: user.name,
            link: this.link(resetPasswordPath, token),
            expiresInMinutes: passwordResetTtlMs / 60_000,
          },
          dedupeKey: `password-reset:${hashToken(token)}`,
        });
      }
      await recordAudit(trx, meta, {
        action: 'user.password_reset_requested',
        userId: user?.id ?? null,
        details: user ? {} : { email, reason: 'unknown_email' },
      });
    });
    return { message: passwordResetRequestedMessage };
  }

  /**
   * Sets a new password from a reset link and ends every session: whoever had the old password
   * is out. Following the link also proves the address, so it counts as verified.
   */
  async resetPassword(token: string, newPassword: string, meta: RequestMeta): Promise<void> {
    // Checked before the slow work; spent (and checked again) in the transaction below.
    const { userId } = await usableTokenOwner(this.db.kysely, token, 'password_reset');
    const user = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assertStrongPassword(newPassword, { email: user.email, name: user.name }, '/newPassword');
    await assertPasswordNotRecent(this.db.kysely, user, newPassword);
    const passwordHash = await hashPassword(newPassword);
    await this.db.kysely.transaction().execute(async (trx) => {
      const owner = await consumeAccountToken(trx, token, 'password_reset');
      const now = new Date().toISOString();
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', owner)
        .execute();
      await rememberReplacedPassword(trx, owner, user.password_hash);
      await trx
        .updateTable('users')
        .set({ email_verified_at: now })
        .where('id', '=', owner)
        .where('email_verified_at', 'is', null)
        .execute();
      const revoked = await this.sessions.endSessions(
        trx,
        owner,
        { except: null },
        'password_reset',
      );
      await recordAudit(trx, meta, {
        action: 'user.password_reset',
        userId: owner,
        details: { sessionsRevoked: revoked },
      });
    });
    this.sessions.onSessionsEnded(userId);
  }

  private async sendVerification(trx: Kysely<Database>, user: Selectable<UsersTable>) {
    const token = await issueAccountToken(trx, user.id, 'verify_email', verificationTtlMs);
    await enqueueEmail(trx, {
      to: user.email,
      template: 'verify-email',
      data: {
        name: user.name,
        link: this.link(verifyEmailPath, token),
        expiresInHours: verificationTtlMs / HOUR_MS,
      },
      dedupeKey: `verify-email:${hashToken(token)}`,
    });
  }

  private link(path: string, token: string): string {
    return `${this.publicUrl()}${path}?token=${encodeURIComponent(token)}`;
  }
}
