/**
 * Two-factor authentication over real HTTP on both dialects: enrolment that takes effect only
 * with a confirming code, the two-step sign-in whose challenge token opens nothing else, each
 * TOTP time step usable once (a replay is refused and audited), single-use backup codes, the
 * challenge's try limit and expiry, and turning it off with password and code.
 *
 * Codes are computed the way an authenticator app does, from the secret the setup showed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type {
  BackupCodes,
  TwoFactorChallenge,
  TwoFactorSetup,
  TwoFactorStatus,
} from '../../shared/accounts/two-factor.ts';
import type { User } from '../../shared/accounts/user.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { totpCode } from '../../server/auth/two-factor/totp.ts';
import { createMemoryKeychain } from '../../src-main/keychain/keychain.ts';
import { createSessionService, keychainAccount } from '../../src-main/session/session-service.ts';
import { ProblemError } from '../../shared/api/problem.ts';
import { client } from '../support/http.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const password = 'correct horse battery staple 1843';
let counter = 0;

/** The code an app shows `offset` steps from now (0 now, -1 the previous one). */
const codeAt = (secret: string, offset: number) =>
  totpCode(secret, Math.floor(Date.now() / 1000) + offset * 30);

/**
 * Codes computed now must still be inside the ±1 step window when the server checks them:
 * never start a sequence in the last seconds of a step.
 */
async function awayFromStepEdge(): Promise<void> {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 24) await sleep((30 - intoStep) * 1000 + 100);
}

describe.each(['sqlite', 'postgres'] as Dialect[])('two-factor authentication on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  type Person = { id: string; email: string; token: string };

  async function signUp(): Promise<Person> {
    counter += 1;
    const email = `two-factor-${dialect}-${Date.now()}-${counter}@example.com`;
    const answer = await api.post<AuthResult>('/auth/register', {
      json: { email, password, name: `Two Factor ${counter}`, role: 'freelancer' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return { id: answer.body.user.id, email, token: answer.body.accessToken };
  }

  /** Signed up and enrolled with the previous step's code, leaving now and next for the test. */
  async function enrolled(): Promise<Person & { secret: string; backupCodes: string[] }> {
    const person = await signUp();
    const setup = await api.post<TwoFactorSetup>('/auth/2fa/setup', { token: person.token });
    expect(setup.status).toBe(200);
    await awayFromStepEdge();
    const confirmed = await api.post<BackupCodes>('/auth/2fa/confirm', {
      token: person.token,
      json: { code: await codeAt(setup.body.secret, -1) },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    return { ...person, secret: setup.body.secret, backupCodes: confirmed.body.backupCodes };
  }

  const login = (email: string) =>
    api.post<TwoFactorChallenge & Problem>('/auth/login', {
      json: { email, password, deviceName: 'Integration laptop' },
    });

  const secondStep = (json: Record<string, unknown>) =>
    api.post<AuthResult & Problem>('/auth/login/2fa', { json });

  const liveSessions = async (userId: string) =>
    (
      await server.db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute()
    ).length;

  const auditActions = async (userId: string) =>
    (
      await server.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute()
    ).map((row) => ({
      action: row.action,
      details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
    }));

  it('takes effect only after a confirming code, and never shows the secret again', async () => {
    const person = await signUp();
    const setup = await api.post<TwoFactorSetup>('/auth/2fa/setup', { token: person.token });
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setup.body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(setup.body.secret);
    expect(decodeURIComponent(uri.pathname)).toContain(person.email);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(setup.body.qrCodeDataUrl.split(',')[1] ?? '', 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');

    // Stored encrypted: the row does not contain the secret.
    const row = await server.db.kysely
      .selectFrom('two_factor')
      .selectAll()
      .where('user_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.secret_encrypted).not.toContain(setup.body.secret);

    // Pending is not on: the password alone still signs in.
    let status = await api.get<TwoFactorStatus>('/auth/2fa', { token: person.token });
    expect(status.body).toEqual({
      enabled: false,
      pending: true,
      enabledAt: null,
      backupCodesLeft: 0,
    });
    const beforeConfirm = await login(person.email);
    expect(beforeConfirm.status).toBe(200);
    expect(beforeConfirm.body).toHaveProperty('accessToken');
    expect(beforeConfirm.body).not.toHaveProperty('twoFactorRequired');

    // A wrong code does not turn it on.
    await awayFromStepEdge();
    const right = await codeAt(setup.body.secret, 0);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await api.post<Problem>('/auth/2fa/confirm', {
      token: person.token,
      json: { code: wrong },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe(problemTypes.twoFactorCodeInvalid);
    expect(refused.body.errors).toEqual([{ pointer: '/code', detail: 'is not valid' }]);
    const malformed = await api.post<Problem>('/auth/2fa/confirm', {
      token: person.token,
      json: { code: '12ab' },
    });
    expect(malformed.status).toBe(422);
    status = await api.get<TwoFactorStatus>('/auth/2fa', { token: person.token });
    expect(status.body.enabled).toBe(false);

    const confirmed = await api.post<BackupCodes>('/auth/2fa/confirm', {
      token: person.token,
      json: { code: right },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.backupCodes).toHaveLength(10);
    expect(new Set(confirmed.body.backupCodes).size).toBe(10);
    for (const code of confirmed.body.backupCodes)
      expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){2}$/);
    // Hashed at rest.
    const stored = await server.db.kysely
      .selectFrom('two_factor_backup_codes')
      .select('code_hash')
      .where('user_id', '=', person.id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) {
      expect(confirmed.body.backupCodes.some((code) => code_hash.includes(code))).toBe(false);
    }

    status = await api.get<TwoFactorStatus>('/auth/2fa', { token: person.token });
    expect(status.body).toMatchObject({ enabled: true, pending: false, backupCodesLeft: 10 });
    expect(status.body.enabledAt).not.toBeNull();
    expect(JSON.stringify(status.body)).not.toContain(setup.body.secret);
    // Setting up again while on is refused: the secret cannot be read back or swapped.
    const again = await api.post<Problem>('/auth/2fa/setup', { token: person.token });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(setup.body.secret);

    const actions = (await auditActions(person.id)).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'two_factor.setup_started',
        'two_factor.code_rejected',
        'two_factor.enabled',
      ]),
    );
  });

  it('creates a session only after the second step; the challenge token opens nothing else', async () => {
    const person = await enrolled();
    const sessionsBefore = await liveSessions(person.id);

    const first = await login(person.email);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      twoFactorRequired: true,
      methods: ['totp', 'backup_code'],
      expiresIn: 300,
    });
    expect(first.body).not.toHaveProperty('accessToken');
    expect(first.body).not.toHaveProperty('refreshToken');
    const challengeToken = first.body.challengeToken;
    expect(await liveSessions(person.id)).toBe(sessionsBefore);

    // Not an access token, nor a refresh token, anywhere.
    const me = await api.get<Problem>('/auth/me', { token: challengeToken });
    expect(me.status).toBe(401);
    expect(me.body.type).toBe(problemTypes.tokenInvalid);
    const status = await api.get<Problem>('/auth/2fa', { token: challengeToken });
    expect(status.status).toBe(401);
    const sessions = await api.get<Problem>('/auth/sessions', { token: challengeToken });
    expect(sessions.status).toBe(401);
    const refresh = await api.post<Problem>('/auth/refresh', {
      json: { refreshToken: challengeToken },
    });
    expect(refresh.status).toBe(401);
    const sync = await api.get<Problem>('/sync/user_settings/pull', { token: challengeToken });
    expect(sync.status).toBe(401);

    // A wrong code counts against the challenge and says how many tries are left.
    await awayFromStepEdge();
    const now = await codeAt(person.secret, 0);
    const wrong = String((Number(now) + 1) % 1_000_000).padStart(6, '0');
    const refused = await secondStep({ challengeToken, code: wrong });
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe(problemTypes.twoFactorCodeInvalid);
    expect(refused.body.detail).toContain('4 tries left');
    expect(await liveSessions(person.id)).toBe(sessionsBefore);

    const signedIn = await secondStep({ challengeToken, code: now });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.user.id).toBe(person.id);
    expect(await liveSessions(person.id)).toBe(sessionsBefore + 1);
    const meNow = await api.get<User>('/auth/me', { token: signedIn.body.accessToken });
    expect(meNow.status).toBe(200);
    // The device name given at the password step names the session.
    const listed = await api.get<Array<{ deviceName: string; current: boolean }>>(
      '/auth/sessions',
      { token: signedIn.body.accessToken },
    );
    expect(listed.body.find((session) => session.current)?.deviceName).toBe('Integration laptop');
    // The refresh token of the new session works like any other.
    const refreshed = await api.post('/auth/refresh', {
      json: { refreshToken: signedIn.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);

    // Single use: the spent challenge cannot sign in again, even with the next code.
    const reused = await secondStep({ challengeToken, code: await codeAt(person.secret, 1) });
    expect(reused.status).toBe(401);
    expect(reused.body.type).toBe(problemTypes.twoFactorChallengeInvalid);
    expect(await liveSessions(person.id)).toBe(sessionsBefore + 1);
  });

  it('refuses a replayed code (same time step) and writes it to the audit log', async () => {
    const person = await enrolled();
    await awayFromStepEdge();
    const code = await codeAt(person.secret, 0);
    const first = await login(person.email);
    const signedIn = await secondStep({ challengeToken: first.body.challengeToken, code });
    expect(signedIn.status).toBe(200);

    const second = await login(person.email);
    const replayed = await secondStep({ challengeToken: second.body.challengeToken, code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.type).toBe(problemTypes.twoFactorCodeReused);
    // An older code than the one used is refused the same way.
    const older = await secondStep({
      challengeToken: second.body.challengeToken,
      code: await codeAt(person.secret, -1),
    });
    expect(older.body.type).toBe(problemTypes.twoFactorCodeReused);

    const audit = await auditActions(person.id);
    const replays = audit.filter((entry) => entry.action === 'two_factor.code_replayed');
    expect(replays).toHaveLength(2);
    expect(replays[0]?.details).toEqual({ purpose: 'sign_in', factor: 'totp', reason: 'replayed' });

    // The next step's code still works on the same challenge (2 of 5 tries used).
    const next = await secondStep({
      challengeToken: second.body.challengeToken,
      code: await codeAt(person.secret, 1),
    });
    expect(next.status).toBe(200);
  });

  it('takes each backup code once, and regenerating replaces them all', async () => {
    const person = await enrolled();
    const [backup, other] = person.backupCodes;
    if (!backup || !other) throw new Error('no backup codes');

    const first = await login(person.email);
    // Typed loosely: upper case and without dashes is the same code.
    const signedIn = await secondStep({
      challengeToken: first.body.challengeToken,
      backupCode: backup.replaceAll('-', ' ').toUpperCase(),
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    const status = await api.get<TwoFactorStatus>('/auth/2fa', {
      token: signedIn.body.accessToken,
    });
    expect(status.body.backupCodesLeft).toBe(9);

    const second = await login(person.email);
    const spent = await secondStep({
      challengeToken: second.body.challengeToken,
      backupCode: backup,
    });
    expect(spent.status).toBe(401);
    expect(spent.body.type).toBe(problemTypes.twoFactorCodeInvalid);
    expect(spent.body.detail).toContain('already used');
    const both = await secondStep({
      challengeToken: second.body.challengeToken,
      backupCode: other,
      code: '123456',
    });
    expect(both.status).toBe(422);

    await awayFromStepEdge();
    const regenerated = await api.post<BackupCodes>('/auth/2fa/backup-codes/regenerate', {
      token: person.token,
      json: { code: await codeAt(person.secret, 0) },
    });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.backupCodes).toHaveLength(10);
    expect(regenerated.body.backupCodes).not.toContain(other);
    const old = await secondStep({ challengeToken: second.body.challengeToken, backupCode: other });
    expect(old.status).toBe(401);
    expect(old.body.detail).toContain('not one of your backup codes');
    const fresh = await secondStep({
      challengeToken: second.body.challengeToken,
      backupCode: regenerated.body.backupCodes[0],
    });
    expect(fresh.status).toBe(200);
    const actions = (await auditActions(person.id)).map((entry) => entry.action);
    expect(actions).toContain('two_factor.backup_codes_regenerated');
  });

  it('ends a challenge after five wrong codes, and when it expires', async () => {
    const person = await enrolled();
    const first = await login(person.email);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const refused = await secondStep({
        challengeToken: first.body.challengeToken,
        backupCode: 'aaaa-aaaa-aaaa',
      });
      expect(refused.body.type).toBe(problemTypes.twoFactorCodeInvalid);
      expect(refused.body.detail).toContain(
        `${5 - attempt} ${attempt === 4 ? 'try' : 'tries'} left`,
      );
    }
    const fifth = await secondStep({
      challengeToken: first.body.challengeToken,
      backupCode: 'aaaa-aaaa-aaaa',
    });
    expect(fifth.status).toBe(401);
    expect(fifth.body.type).toBe(problemTypes.twoFactorChallengeInvalid);
    // Dead now, even for a right code.
    const late = await secondStep({
      challengeToken: first.body.challengeToken,
      backupCode: person.backupCodes[0],
    });
    expect(late.body.type).toBe(problemTypes.twoFactorChallengeInvalid);
    expect((await auditActions(person.id)).map((entry) => entry.action)).toContain(
      'two_factor.challenge_exhausted',
    );

    // Expiry: five minutes after the password step the token is worthless.
    const second = await login(person.email);
    await server.db.kysely
      .updateTable('two_factor_challenges')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', person.id)
      .where('ended_at', 'is', null)
      .execute();
    const expired = await secondStep({
      challengeToken: second.body.challengeToken,
      backupCode: person.backupCodes[0],
    });
    expect(expired.status).toBe(401);
    expect(expired.body.type).toBe(problemTypes.twoFactorChallengeInvalid);
    // The backup code was not spent by the refused attempts.
    const third = await login(person.email);
    const ok = await secondStep({
      challengeToken: third.body.challengeToken,
      backupCode: person.backupCodes[0],
    });
    expect(ok.status).toBe(200);

    const unknown = await secondStep({ challengeToken: 'not-a-challenge', code: '123456' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.type).toBe(problemTypes.twoFactorChallengeInvalid);
  });

  it('turns off only with the password and a code', async () => {
    const person = await enrolled();
    await awayFromStepEdge();
    const code = await codeAt(person.secret, 0);

    const wrongPassword = await api.post<Problem>('/auth/2fa/disable', {
      token: person.token,
      json: { password: 'not the password at all', code },
    });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body.type).toBe(problemTypes.invalidCredentials);
    const noCode = await api.post<Problem>('/auth/2fa/disable', {
      token: person.token,
      json: { password },
    });
    expect(noCode.status).toBe(422);
    const wrongCode = await api.post<Problem>('/auth/2fa/disable', {
      token: person.token,
      json: { password, code: String((Number(code) + 7) % 1_000_000).padStart(6, '0') },
    });
    expect(wrongCode.status).toBe(403);
    expect(wrongCode.body.type).toBe(problemTypes.twoFactorCodeInvalid);
    expect(
      (await api.get<TwoFactorStatus>('/auth/2fa', { token: person.token })).body.enabled,
    ).toBe(true);

    // A challenge issued before turning off dies with it.
    const pending = await login(person.email);
    const disabled = await api.post('/auth/2fa/disable', {
      token: person.token,
      json: { password, code },
    });
    expect(disabled.status).toBe(204);
    expect(await api.get<TwoFactorStatus>('/auth/2fa', { token: person.token })).toMatchObject({
      body: { enabled: false, pending: false, backupCodesLeft: 0 },
    });
    const stale = await secondStep({
      challengeToken: pending.body.challengeToken,
      backupCode: person.backupCodes[1],
    });
    expect(stale.body.type).toBe(problemTypes.twoFactorChallengeInvalid);

    const plain = await login(person.email);
    expect(plain.body).toHaveProperty('accessToken');
    const actions = (await auditActions(person.id)).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['two_factor.disable_failed', 'two_factor.disabled']),
    );

    // And it can be set up again from scratch.
    const setup = await api.post<TwoFactorSetup>('/auth/2fa/setup', { token: person.token });
    expect(setup.status).toBe(200);
  });

  it('signs the desktop host in with both steps, keeping nothing until the second', async () => {
    const person = await enrolled();
    const keychain = createMemoryKeychain();
    const desktop = createSessionService({
      serverUrl: server.baseUrl,
      keychain,
      deviceName: 'Desktop host',
      profile: 'two-factor',
    });
    const stored = () => keychain.get(keychainAccount('two-factor', server.baseUrl));

    const outcome = await desktop.signIn({ email: person.email, password });
    if (!('twoFactorRequired' in outcome)) throw new Error('expected a challenge');
    expect(await stored()).toBeNull();

    const refused: unknown = await desktop
      .completeSignIn({ challengeToken: outcome.challengeToken, backupCode: 'aaaa-aaaa-aaaa' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).problem.type).toBe(problemTypes.twoFactorCodeInvalid);
    expect(await stored()).toBeNull();

    await awayFromStepEdge();
    const signedIn = await desktop.completeSignIn({
      challengeToken: outcome.challengeToken,
      code: await codeAt(person.secret, 0),
    });
    expect(signedIn.user.id).toBe(person.id);
    expect(await stored()).toEqual(expect.any(String));
    // The keychain's refresh token restores the session on the next start.
    const restored = await desktop.restore();
    expect(restored?.user.id).toBe(person.id);
    const listed = await api.get<Array<{ deviceName: string; current: boolean }>>(
      '/auth/sessions',
      { token: signedIn.accessToken },
    );
    expect(listed.body.find((session) => session.current)?.deviceName).toBe('Desktop host');
  });

  it('answers the endpoints only to a signed-in user, and only when it applies', async () => {
    const person = await signUp();
    expect((await api.get<Problem>('/auth/2fa')).status).toBe(401);
    expect((await api.post<Problem>('/auth/2fa/setup')).status).toBe(401);
    const confirm = await api.post<Problem>('/auth/2fa/confirm', {
      token: person.token,
      json: { code: '123456' },
    });
    expect(confirm.status).toBe(409);
    const regenerate = await api.post<Problem>('/auth/2fa/backup-codes/regenerate', {
      token: person.token,
      json: { code: '123456' },
    });
    expect(regenerate.status).toBe(409);
    const disable = await api.post<Problem>('/auth/2fa/disable', {
      token: person.token,
      json: { password, code: '123456' },
    });
    expect(disable.status).toBe(409);
  });
});
