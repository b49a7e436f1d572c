import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  AuthResult,
  ChangePasswordInput,
  LoginInput,
  RegisterInput,
} from '../../shared/accounts/auth.ts';
import type { TwoFactorChallenge } from '../../shared/accounts/two-factor.ts';
import type { UpdateProfileInput, User } from '../../shared/accounts/user.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { Database, UsersTable } from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { assertPasswordNotRecent, rememberReplacedPassword } from './password-history.ts';
import { assertStrongPassword } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { SessionService } from './sessions.ts';
import { isUniqueViolation, profileChanges, toUser } from './users.ts';

const emailTaken = () =>
  new HttpProblem(
    409,
    problemTypes.emailTaken,
    'Email already registered',
    'An account with this email already exists. Sign in instead.',
    {
      errors: [{ pointer: '/email', detail: 'is already registered' }],
    },
  );

const invalidCredentials = () =>
  new HttpProblem(
    401,
    problemTypes.invalidCredentials,
    'Invalid credentials',
    'Email or password is incorrect.',
  );

export type SecondStep = (
  user: Pick<UsersTable, 'id'>,
  deviceName: string,
  meta: RequestMeta,
) => Promise<TwoFactorChallenge | null>;

export class AccountService {
  private readonly db: Db;
  private readonly sessions: SessionService;

  constructor(db: Db, sessions: SessionService) {
    this.db = db;
    this.sessions = sessions;
  }

  /** Runs in sign-up's transaction (server/auth/account-email.ts: welcome and verification mail). */
  onRegistered: ((trx: Kysely<Database>, user: UsersTable) => Promise<void>) | null = null;

  async register(input: RegisterInput, meta: RequestMeta): Promise<AuthResult> {
    assertStrongPassword(input.password, { email: input.email, name: input.name });
    const existing = await this.findByEmail(input.email);
    if (existing) throw emailTaken();
    const row = await newUserRow(input);
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        const pair = await this.sessions.open(trx, row, deviceName(input.deviceName, meta), meta);
        await recordAudit(trx, meta, {
          action: 'user.registered',
          userId: row.id,
          sessionId: pair.sessionId,
          details: { role: row.role },
        });
        await this.onRegistered?.(trx, row);
        return { user: toUser(row), ...withoutSessionId(pair) };
      });
    } catch (error) {
      // Two sign-ups racing for one address: the unique index decides, the loser hears 409.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  /**
   * Asked after a correct password (server/auth/two-factor/): a challenge instead of a
   * session when the account has a second factor; null signs in at once.
   */
  secondStep: SecondStep | null = null;

  async login(input: LoginInput, meta: RequestMeta): Promise<AuthResult | TwoFactorChallenge> {
    const user = await this.findByEmail(input.email);
    const valid = await verifyPassword(user?.password_hash ?? null, input.password);
    if (!user || !valid) {
      await recordAudit(this.db.kysely, meta, {
        action: 'session.sign_in_failed',
        userId: user?.id ?? null,
        details: { email: input.email, reason: user ? 'wrong_password' : 'unknown_email' },
      });
      throw invalidCredentials();
    }
    const challenge = await this.secondStep?.(user, deviceName(input.deviceName, meta), meta);
    if (challenge) return challenge;
    return this.db.kysely.transaction().execute(async (trx) => {
      const pair = await this.sessions.open(trx, user, deviceName(input.deviceName, meta), meta);
      await recordAudit(trx, meta, {
        action: 'session.signed_in',
        userId: user.id,
        sessionId: pair.sessionId,
      });
      return { user: toUser(user), ...withoutSessionId(pair) };
    });
  }

  async me(auth: AuthContext): Promise<User> {
    return toUser(await this.requireUser(auth.userId));
  }

  async updateProfile(
    auth: AuthContext,
    input: UpdateProfileInput,
    meta: RequestMeta,
  ): Promise<User> {
    const changes = profileChanges(input);
    return this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ ...changes, updated_at: new Date().toISOString() })
        .where('id', '=', auth.userId)
        .execute();
      await recordAudit(trx, meta, {
        action: 'user.profile_updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { fields: Object.keys(input) },
      });
      const row = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', auth.userId)
        .executeTakeFirstOrThrow();
      return toUser(row);
    });
  }

  /** A new password ends every other session: whoever knew the old one is signed out. */
  async changePassword(
    auth: AuthContext,
    input: ChangePasswordInput,
    meta: RequestMeta,
  ): Promise<void> {
    const user = await this.requireUser(auth.userId);
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await recordAudit(this.db.kysely, meta, {
        action: 'user.password_change_failed',
        userId: auth.userId,
        sessionId: auth.sessionId,
      });
      throw new HttpProblem(
        403,
        problemTypes.invalidCredentials,
        'Wrong password',
        'The current password is incorrect.',
        {
          errors: [{ pointer: '/currentPassword', detail: 'is incorrect' }],
        },
      );
    }
    assertStrongPassword(input.newPassword, { email: user.email, name: user.name }, '/newPassword');
    await assertPasswordNotRecent(this.db.kysely, user, input.newPassword);
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
        .where('id', '=', auth.userId)
        .execute();
      await rememberReplacedPassword(trx, auth.userId, user.password_hash);
      const revoked = await this.sessions.endSessions(
        trx,
        auth.userId,
        { except: auth.sessionId },
        'password_changed',
      );
      await recordAudit(trx, meta, {
        action: 'user.password_changed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { otherSessionsRevoked: revoked },
      });
      this.sessions.onSessionsEnded(auth.userId);
    });
  }

  private findByEmail(email: string) {
    return this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
  }

  private async requireUser(userId: string) {
    const user = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw problems.sessionRevoked();
    return user;
  }
}

/** The row of a new account; the password is hashed here and nowhere else. */
export async function newUserRow(
  input: Pick<RegisterInput, 'email' | 'password' | 'name'> & { role: UsersTable['role'] },
): Promise<UsersTable> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    email: input.email,
    password_hash: await hashPassword(input.password),
    name: input.name,
    role: input.role,
    headline: null,
    bio: null,
    country: null,
    timezone: null,
    hourly_rate_minor: null,
    hourly_rate_currency: null,
    email_verified_at: null,
    created_at: now,
    updated_at: now,
  };
}

function deviceName(given: string | undefined, meta: RequestMeta): string {
  return given ?? (meta.userAgent ? meta.userAgent.slice(0, 100) : 'Unknown device');
}

function withoutSessionId<T extends { sessionId: string }>(pair: T): Omit<T, 'sessionId'> {
  const { sessionId: _sessionId, ...rest } = pair;
  return rest;
}
