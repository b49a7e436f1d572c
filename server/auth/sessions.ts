import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import type { Session, TokenPair } from '../../shared/accounts/auth.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { generateRefreshToken, hashToken, type AccessTokens } from './tokens.ts';

const DAY_MS = 86_400_000;
// Writing last_seen on every request would turn every read into a write.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Sessions are refresh-token families: each refresh spends the presented token and issues
 * the next; presenting a spent token again means it was stolen or replayed, and the whole
 * family is revoked.
 */
export class SessionService {
  private readonly db: Db;
  private readonly tokens: AccessTokens;
  private readonly refreshTtlMs: number;

  /**
   * Told (after commit) whenever some of a user's sessions ended, so live connections made
   * with those sessions can be closed at once rather than when their token expires.
   */
  onSessionsEnded: (userId: string) => void = () => {};

  constructor(db: Db, tokens: AccessTokens, refreshTtlDays: number) {
    this.db = db;
    this.tokens = tokens;
    this.refreshTtlMs = refreshTtlDays * DAY_MS;
  }

  /** Opens a session inside the caller's transaction and returns its first token pair. */
  async open(
    trx: Transaction<Database>,
    user: { id: string; role: AuthContext['role'] },
    deviceName: string,
    meta: RequestMeta,
  ): Promise<TokenPair & { sessionId: string }> {
    const now = new Date();
    const sessionId = randomUUID();
    await trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        device_name: deviceName,
        user_agent: meta.userAgent,
        ip_address: meta.ipAddress,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.refreshTtlMs).toISOString(),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    const refreshToken = await this.issueRefreshToken(trx, sessionId, now);
    const accessToken = await this.tokens.sign({ userId: user.id, sessionId, role: user.role });
    return { sessionId, accessToken, refreshToken, expiresIn: this.tokens.ttlSeconds };
  }

  async refresh(presented: string, meta: RequestMeta): Promise<TokenPair> {
    const outcome = await this.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('refresh_tokens as t')
        .innerJoin('sessions as s', 's.id', 't.session_id')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select([
          't.id as tokenId',
          't.expires_at as tokenExpiresAt',
          's.id as sessionId',
          's.revoked_at as revokedAt',
          's.expires_at as sessionExpiresAt',
          'u.id as userId',
          'u.role as role',
        ])
        .where('t.token_hash', '=', hashToken(presented))
        .executeTakeFirst();
      if (!row) return { kind: 'unknown' } as const;

      const now = new Date();
      // Spending is a conditional update, so two racing refreshes cannot both succeed.
      const spent = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: now.toISOString() })
        .where('id', '=', row.tokenId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (spent.numUpdatedRows === 0n) {
        if (row.revokedAt === null) {
          await this.endSessions(trx, row.userId, { only: row.sessionId }, 'refresh_token_reused');
          await recordAudit(trx, meta, {
            action: 'session.refresh_token_reused',
            userId: row.userId,
            sessionId: row.sessionId,
          });
        }
        return { kind: 'reused', userId: row.userId } as const;
      }
      if (row.revokedAt !== null) return { kind: 'revoked' } as const;
      if (row.tokenExpiresAt <= now.toISOString() || row.sessionExpiresAt <= now.toISOString()) {
        return { kind: 'expired' } as const;
      }
      const refreshToken = await this.issueRefreshToken(trx, row.sessionId, now);
      await trx
        .updateTable('sessions')
        .set({
          last_seen_at: now.toISOString(),
          expires_at: new Date(now.getTime() + this.refreshTtlMs).toISOString(),
          ip_address: meta.ipAddress,
        })
        .where('id', '=', row.sessionId)
        .execute();
      const accessToken = await this.tokens.sign({
        userId: row.userId,
        sessionId: row.sessionId,
        role: row.role,
      });
      return {
        kind: 'ok',
        pair: { accessToken, refreshToken, expiresIn: this.tokens.ttlSeconds },
      } as const;
    });

    // Decided after commit: the revocation above must persist even though the caller fails.
    switch (outcome.kind) {
      case 'ok':
        return outcome.pair;
      case 'unknown':
        throw problems.tokenInvalid('The refresh token is not one this server issued.');
      case 'reused':
        this.onSessionsEnded(outcome.userId);
        throw new HttpProblem(
          401,
          problemTypes.refreshTokenReused,
          'Refresh token reused',
          'This refresh token was already used. The session has been revoked; sign in again.',
        );
      case 'revoked':
      case 'expired':
        throw problems.sessionRevoked();
    }
  }

  /** Establishes who is calling: a valid access token whose session is still live. */
  async authenticate(accessToken: string): Promise<AuthContext> {
    const context = await this.tokens.verify(accessToken);
    const session = await this.db.kysely
      .selectFrom('sessions')
      .select(['revoked_at', 'expires_at', 'last_seen_at'])
      .where('id', '=', context.sessionId)
      .where('user_id', '=', context.userId)
      .executeTakeFirst();
    const now = new Date();
    if (!session || session.revoked_at !== null || session.expires_at <= now.toISOString()) {
      throw problems.sessionRevoked();
    }
    if (now.getTime() - Date.parse(session.last_seen_at) > LAST_SEEN_RESOLUTION_MS) {
      await this.db.kysely
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id', '=', context.sessionId)
        .execute();
    }
    return context;
  }

  async list(auth: AuthContext): Promise<Session[]> {
    const rows = await this.db.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', auth.userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date().toISOString())
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      deviceName: row.device_name,
      userAgent: row.user_agent,
      ipAddress: row.ip_address,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      current: row.id === auth.sessionId,
    }));
  }

  async revoke(auth: AuthContext, sessionId: string, meta: RequestMeta): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const revoked = await this.endSessions(
        trx,
        auth.userId,
        { only: sessionId },
        'revoked_by_user',
      );
      // Another user's session answers exactly like a missing one: ids reveal nothing.
      if (revoked === 0) throw problems.notFound('There is no active session with that id.');
      await recordAudit(trx, meta, {
        action: sessionId === auth.sessionId ? 'session.signed_out' : 'session.revoked',
        userId: auth.userId,
        sessionId,
      });
    });
    this.onSessionsEnded(auth.userId);
  }

  async revokeOthers(auth: AuthContext, meta: RequestMeta): Promise<number> {
    const revoked = await this.db.kysely.transaction().execute(async (trx) => {
      const revoked = await this.endSessions(
        trx,
        auth.userId,
        { except: auth.sessionId },
        'revoked_by_user',
      );
      await recordAudit(trx, meta, {
        action: 'session.others_revoked',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { revoked },
      });
      return revoked;
    });
    this.onSessionsEnded(auth.userId);
    return revoked;
  }

  /** Signs out the session a refresh token belongs to, for a client whose access token is gone. */
  async revokeByRefreshToken(presented: string, meta: RequestMeta): Promise<void> {
    const userId = await this.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('refresh_tokens as t')
        .innerJoin('sessions as s', 's.id', 't.session_id')
        .select(['s.id as sessionId', 's.user_id as userId'])
        .where('t.token_hash', '=', hashToken(presented))
        .where('s.revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      await this.endSessions(trx, row.userId, { only: row.sessionId }, 'signed_out');
      await recordAudit(trx, meta, {
        action: 'session.signed_out',
        userId: row.userId,
        sessionId: row.sessionId,
      });
      return row.userId;
    });
    if (userId) this.onSessionsEnded(userId);
  }

  /**
   * Ends the live sessions of one user that match: one session, or all but one (`except`).
   * Returns how many it ended.
   */
  async endSessions(
    trx: Kysely<Database>,
    userId: string,
    which: { only: string } | { except: string | null },
    reason: string,
  ): Promise<number> {
    let query = trx
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString(), revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if ('only' in which) query = query.where('id', '=', which.only);
    else if (which.except) query = query.where('id', '!=', which.except);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private async issueRefreshToken(trx: Kysely<Database>, sessionId: string, now: Date) {
    const token = generateRefreshToken();
    await trx
      .insertInto('refresh_tokens')
      .values({
        id: randomUUID(),
        session_id: sessionId,
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.refreshTtlMs).toISOString(),
        used_at: null,
      })
      .execute();
    return token;
  }
}
