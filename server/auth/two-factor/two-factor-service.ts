import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { toDataURL } from 'qrcode';
import type { AuthResult } from '../../../shared/accounts/auth.ts';
import type {
  BackupCodes,
  DisableTwoFactorInput,
  SecondStepInput,
  TwoFactorChallenge,
  TwoFactorSetup,
  TwoFactorStatus,
} from '../../../shared/accounts/two-factor.ts';
import { problemTypes } from '../../../shared/api/problem.ts';
import { recordAudit, type AuditAction } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import type { Database, TwoFactorTable, UsersTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import { verifyPassword } from '../passwords.ts';
import type { SessionService } from '../sessions.ts';
import { hashToken } from '../tokens.ts';
import { toUser } from '../users.ts';
import { BACKUP_CODE_COUNT, hashBackupCode, newBackupCode } from './backup-codes.ts';
import { twoFactorProblems } from './problems.ts';
import type { SecretBox } from './secret-box.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';

/** How long the password step stays good for the second step. */
export const CHALLENGE_TTL_SECONDS = 300;
/** Wrong codes a challenge survives; the last one ends it and the password is needed again. */
export const CHALLENGE_MAX_ATTEMPTS = 5;
const ISSUER = 'MegiLance';

type Factor = { code?: string | undefined; backupCode?: string | undefined };
type FactorOutcome =
  | { ok: true; method: 'totp' | 'backup_code'; step?: number }
  | { ok: false; reason: 'wrong' | 'replayed' | 'spent'; field: 'code' | 'backupCode' };

export interface TwoFactorOptions {
  box: SecretBox;
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number;
}

/**
 * Enrolment, the second sign-in step, backup codes and turning it off. Every code check that
 * succeeds spends something (a TOTP time step, a backup code) by a conditional update, so two
 * racing requests with one code cannot both get through.
 */
export class TwoFactorService {
  private readonly db: Db;
  private readonly sessions: SessionService;
  private readonly box: SecretBox;
  private readonly now: () => number;

  constructor(db: Db, sessions: SessionService, options: TwoFactorOptions) {
    this.db = db;
    this.sessions = sessions;
    this.box = options.box;
    this.now = options.now ?? Date.now;
  }

  async status(auth: AuthContext): Promise<TwoFactorStatus> {
    const enrolment = await this.enrolment(this.db.kysely, auth.userId);
    const left = await this.db.kysely
      .selectFrom('two_factor_backup_codes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('user_id', '=', auth.userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    const active = enrolment?.status === 'active' ? enrolment : null;
    return {
      enabled: active !== null,
      pending: enrolment?.status === 'pending',
      enabledAt: active?.enabled_at ?? null,
      backupCodesLeft: active ? Number(left.n) : 0,
    };
  }

  /** Issues a new secret, pending until confirmed; a previous unconfirmed one is replaced. */
  async setup(auth: AuthContext, meta: RequestMeta): Promise<TwoFactorSetup> {
    const user = await this.requireUser(this.db.kysely, auth.userId);
    const secret = newTotpSecret();
    await this.db.kysely.transaction().execute(async (trx) => {
      const existing = await this.enrolment(trx, auth.userId);
      if (existing?.status === 'active') throw twoFactorProblems.alreadyEnabled();
      const row = {
        secret_encrypted: this.box.seal(secret),
        status: 'pending' as const,
        last_used_step: null,
        created_at: this.nowIso(),
        enabled_at: null,
      };
      if (existing) {
        await trx
          .updateTable('two_factor')
          .set(row)
          .where('user_id', '=', auth.userId)
          .where('status', '=', 'pending')
          .execute();
      } else {
        await trx
          .insertInto('two_factor')
          .values({ user_id: auth.userId, ...row })
          .execute();
      }
      await this.audit(trx, meta, auth, 'two_factor.setup_started');
    });
    const otpauthUri = totpUri(secret, ISSUER, user.email);
    const qrCodeDataUrl = await toDataURL(otpauthUri, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 240,
    });
    return { secret, otpauthUri, qrCodeDataUrl };
  }

  /** Turns it on with a code from the pending secret; answers the backup codes, once. */
  async confirm(auth: AuthContext, code: string, meta: RequestMeta): Promise<BackupCodes> {
    const outcome = await this.db.kysely.transaction().execute(async (trx) => {
      const enrolment = await this.enrolment(trx, auth.userId);
      if (enrolment?.status === 'active') throw twoFactorProblems.alreadyEnabled();
      if (!enrolment) throw twoFactorProblems.noPendingSetup();
      const check = await checkTotp(
        this.box.open(enrolment.secret_encrypted),
        code,
        this.seconds(),
      );
      if (!check.valid) {
        await this.audit(trx, meta, auth, 'two_factor.code_rejected', { purpose: 'confirm' });
        return null;
      }
      const enabled = await trx
        .updateTable('two_factor')
        .set({ status: 'active', last_used_step: check.step, enabled_at: this.nowIso() })
        .where('user_id', '=', auth.userId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      // A racing confirm got there first: that one answered the codes.
      if (enabled.numUpdatedRows === 0n) throw twoFactorProblems.alreadyEnabled();
      const backupCodes = await this.replaceBackupCodes(trx, auth.userId);
      await this.audit(trx, meta, auth, 'two_factor.enabled');
      return { backupCodes };
    });
    if (!outcome) {
      throw twoFactorProblems.codeInvalid(
        403,
        'code',
        'The code does not match the secret just set up. Check the time on your phone and try the current code.',
      );
    }
    return outcome;
  }

  async regenerateBackupCodes(
    auth: AuthContext,
    code: string,
    meta: RequestMeta,
  ): Promise<BackupCodes> {
    const outcome = await this.db.kysely.transaction().execute(async (trx) => {
      const enrolment = await this.requireActive(trx, auth.userId);
      const used = await this.useFactor(trx, enrolment, { code });
      if (!used.ok) {
        await this.auditRefusal(trx, meta, auth, used, 'regenerate_backup_codes');
        return used;
      }
      const backupCodes = await this.replaceBackupCodes(trx, auth.userId);
      await this.audit(trx, meta, auth, 'two_factor.backup_codes_regenerated');
      return { backupCodes };
    });
    if ('ok' in outcome) throw refusal(403, outcome);
    return outcome;
  }

  /** Needs the password and a second factor: a stolen session alone cannot turn it off. */
  async disable(auth: AuthContext, input: DisableTwoFactorInput, meta: RequestMeta): Promise<void> {
    const user = await this.requireUser(this.db.kysely, auth.userId);
    if (!(await verifyPassword(user.password_hash, input.password))) {
      await this.audit(this.db.kysely, meta, auth, 'two_factor.disable_failed', {
        reason: 'wrong_password',
      });
      throw new HttpProblem(
        403,
        problemTypes.invalidCredentials,
        'Wrong password',
        'The password is incorrect.',
        { errors: [{ pointer: '/password', detail: 'is incorrect' }] },
      );
    }
    const refused = await this.db.kysely.transaction().execute(async (trx) => {
      const enrolment = await this.requireActive(trx, auth.userId);
      const used = await this.useFactor(trx, enrolment, input);
      if (!used.ok) {
        await this.auditRefusal(trx, meta, auth, used, 'disable');
        return used;
      }
      await trx.deleteFrom('two_factor_backup_codes').where('user_id', '=', auth.userId).execute();
      await trx.deleteFrom('two_factor').where('user_id', '=', auth.userId).execute();
      // Challenges already issued would otherwise outlive the factor they ask for.
      await trx
        .updateTable('two_factor_challenges')
        .set({ ended_at: this.nowIso() })
        .where('user_id', '=', auth.userId)
        .where('ended_at', 'is', null)
        .execute();
      await this.audit(trx, meta, auth, 'two_factor.disabled', { with: used.method });
      return null;
    });
    if (refused) throw refusal(403, refused);
  }

  /**
   * Called after a correct password: for an account with two-factor authentication on, a
   * challenge instead of a session. The token is random; only its SHA-256 is stored.
   */
  async challengeFor(
    user: Pick<Selectable<UsersTable>, 'id'>,
    deviceName: string,
    meta: RequestMeta,
  ): Promise<TwoFactorChallenge | null> {
    const enrolment = await this.enrolment(this.db.kysely, user.id);
    if (enrolment?.status !== 'active') return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db.kysely.transaction().execute(async (trx) => {
      // This user's dead challenges go as a new one comes: the table stays small, sweep-free.
      await trx
        .deleteFrom('two_factor_challenges')
        .where('user_id', '=', user.id)
        .where('expires_at', '<=', new Date(now).toISOString())
        .execute();
      await trx
        .insertInto('two_factor_challenges')
        .values({
          id: randomUUID(),
          token_hash: hashToken(token),
          user_id: user.id,
          device_name: deviceName,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + CHALLENGE_TTL_SECONDS * 1000).toISOString(),
          ended_at: null,
        })
        .execute();
      await recordAudit(trx, meta, { action: 'two_factor.challenge_issued', userId: user.id });
    });
    return {
      twoFactorRequired: true,
      challengeToken: token,
      methods: ['totp', 'backup_code'],
      expiresIn: CHALLENGE_TTL_SECONDS,
    };
  }

  /** The second sign-in step: a good code spends the challenge and opens the session. */
  async completeSignIn(input: SecondStepInput, meta: RequestMeta): Promise<AuthResult> {
    const outcome = await this.db.kysely.transaction().execute(async (trx) => {
      const nowIso = this.nowIso();
      const challenge = await trx
        .selectFrom('two_factor_challenges')
        .selectAll()
        .where('token_hash', '=', hashToken(input.challengeToken))
        .executeTakeFirst();
      if (!challenge || challenge.ended_at !== null || challenge.expires_at <= nowIso) {
        return { kind: 'invalid' } as const;
      }
      const actor = { userId: challenge.user_id, sessionId: null };
      const enrolment = await this.enrolment(trx, challenge.user_id);
      if (enrolment?.status !== 'active') return { kind: 'invalid' } as const;

      const used = await this.useFactor(trx, enrolment, input);
      if (!used.ok) {
        await trx
          .updateTable('two_factor_challenges')
          .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
          .where('id', '=', challenge.id)
          .execute();
        const { attempts } = await trx
          .selectFrom('two_factor_challenges')
          .select('attempts')
          .where('id', '=', challenge.id)
          .executeTakeFirstOrThrow();
        const triesLeft = Math.max(0, CHALLENGE_MAX_ATTEMPTS - attempts);
        await this.auditRefusal(trx, meta, actor, used, 'sign_in');
        if (triesLeft === 0) {
          await trx
            .updateTable('two_factor_challenges')
            .set({ ended_at: nowIso })
            .where('id', '=', challenge.id)
            .execute();
          await this.audit(trx, meta, actor, 'two_factor.challenge_exhausted');
        }
        return { kind: 'refused', refused: used, triesLeft } as const;
      }

      // Spent by a conditional update: of two racing requests with one token, one signs in.
      const spent = await trx
        .updateTable('two_factor_challenges')
        .set({ ended_at: nowIso })
        .where('id', '=', challenge.id)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (spent.numUpdatedRows === 0n) return { kind: 'invalid' } as const;
      const user = await this.requireUser(trx, challenge.user_id);
      const pair = await this.sessions.open(
        trx,
        user,
        input.deviceName ?? challenge.device_name,
        meta,
      );
      await recordAudit(trx, meta, {
        action: 'session.signed_in',
        userId: user.id,
        sessionId: pair.sessionId,
        details: { secondFactor: used.method },
      });
      const { sessionId: _sessionId, ...tokens } = pair;
      return { kind: 'ok', result: { user: toUser(user), ...tokens } } as const;
    });

    // Thrown after commit: the counted attempt and the audit entry must persist.
    switch (outcome.kind) {
      case 'ok':
        return outcome.result;
      case 'invalid':
        throw twoFactorProblems.challengeInvalid();
      case 'refused':
        if (outcome.triesLeft === 0) throw twoFactorProblems.challengeInvalid();
        throw refusal(401, outcome.refused, outcome.triesLeft);
    }
  }

  /**
   * Checks a TOTP code or a backup code and, when good, spends it: the code's time step becomes
   * the last one used (so it and older ones are refused), or the backup code is marked used.
   */
  private async useFactor(
    trx: Kysely<Database>,
    enrolment: Selectable<TwoFactorTable>,
    factor: Factor,
  ): Promise<FactorOutcome> {
    if (factor.code !== undefined) {
      const secret = this.box.open(enrolment.secret_encrypted);
      const check = await checkTotp(secret, factor.code, this.seconds());
      if (!check.valid) return { ok: false, reason: 'wrong', field: 'code' };
      const claimed = await trx
        .updateTable('two_factor')
        .set({ last_used_step: check.step })
        .where('user_id', '=', enrolment.user_id)
        .where((eb) =>
          eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', check.step)]),
        )
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) return { ok: false, reason: 'replayed', field: 'code' };
      return { ok: true, method: 'totp', step: check.step };
    }
    if (factor.backupCode !== undefined) {
      const codeHash = hashBackupCode(factor.backupCode);
      const spent = await trx
        .updateTable('two_factor_backup_codes')
        .set({ used_at: this.nowIso() })
        .where('user_id', '=', enrolment.user_id)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (spent.numUpdatedRows > 0n) return { ok: true, method: 'backup_code' };
      const known = await trx
        .selectFrom('two_factor_backup_codes')
        .select('id')
        .where('user_id', '=', enrolment.user_id)
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return { ok: false, reason: known ? 'spent' : 'wrong', field: 'backupCode' };
    }
    return { ok: false, reason: 'wrong', field: 'code' };
  }

  private async replaceBackupCodes(trx: Kysely<Database>, userId: string): Promise<string[]> {
    await trx.deleteFrom('two_factor_backup_codes').where('user_id', '=', userId).execute();
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    const now = this.nowIso();
    await trx
      .insertInto('two_factor_backup_codes')
      .values(
        codes.map((code) => ({
          id: randomUUID(),
          user_id: userId,
          code_hash: hashBackupCode(code),
          created_at: now,
          used_at: null,
        })),
      )
      .execute();
    return codes;
  }

  private auditRefusal(
    trx: Kysely<Database>,
    meta: RequestMeta,
    actor: Actor,
    refused: Extract<FactorOutcome, { ok: false }>,
    purpose: string,
  ): Promise<void> {
    const action: AuditAction =
      refused.reason === 'replayed' ? 'two_factor.code_replayed' : 'two_factor.code_rejected';
    return this.audit(trx, meta, actor, action, {
      purpose,
      factor: refused.field === 'code' ? 'totp' : 'backup_code',
      reason: refused.reason,
    });
  }

  private audit(
    db: Kysely<Database>,
    meta: RequestMeta,
    actor: Actor,
    action: AuditAction,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return recordAudit(db, meta, {
      action,
      userId: actor.userId,
      sessionId: actor.sessionId,
      ...(details ? { details } : {}),
    });
  }

  private enrolment(db: Kysely<Database>, userId: string) {
    return db.selectFrom('two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  private async requireActive(db: Kysely<Database>, userId: string) {
    const enrolment = await this.enrolment(db, userId);
    if (enrolment?.status !== 'active') throw twoFactorProblems.notEnabled();
    return enrolment;
  }

  private async requireUser(db: Kysely<Database>, userId: string) {
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw problems.sessionRevoked();
    return user;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }
}

type Actor = { userId: string; sessionId: string | null };

function refusal(
  status: 401 | 403,
  refused: Extract<FactorOutcome, { ok: false }>,
  triesLeft?: number,
): HttpProblem {
  if (refused.reason === 'replayed') return twoFactorProblems.codeReused(status);
  const tries =
    triesLeft === undefined ? '' : ` ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`;
  const detail =
    refused.reason === 'spent'
      ? 'That backup code was already used; each works once.'
      : refused.field === 'backupCode'
        ? 'That is not one of your backup codes.'
        : 'The code is wrong or expired. Enter the current code from your authenticator app.';
  return twoFactorProblems.codeInvalid(status, refused.field, detail + tries);
}
