/**
 * Password reset over real HTTP and a real SMTP server: the same answer for known and unknown
 * addresses (mail only for known ones), the link read out of the received mail and followed,
 * the token single-use and expiring, and a reset that signs out every session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, TokenPair } from '../../shared/accounts/auth.ts';
import type { User } from '../../shared/accounts/user.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { client } from '../support/http.ts';
import { deliveredTo, postForm, roomyLimits, signUp, testPassword } from '../support/mail-flows.ts';
import { linkIn, startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const subject = 'Reset your MegiLance password';
const newPassword = 'violet tapestry lanterns 1987!';

describe.each(['sqlite', 'postgres'] as Dialect[])('password reset on %s', (dialect) => {
  let sink: SmtpSink;
  let server: TestServer;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({
      dialect,
      env: { SMTP_URL: sink.url, EMAIL_WORKER_INTERVAL_MS: '0', ...roomyLimits },
    });
  });
  afterAll(async () => {
    await server.close();
    await sink.stop();
  });

  const api = () => client(server.baseUrl);
  const resetToken = async (email: string) => {
    const request = await api().post('/auth/password-reset/request', { json: { email } });
    expect(request.status).toBe(202);
    const mails = await deliveredTo(server, sink, email, subject);
    const last = mails.at(-1);
    if (!last) throw new Error('no reset mail');
    return linkIn(last, `${server.baseUrl}/account/reset-password?token=`);
  };

  it('answers the same for an unknown address and mails only a known one', async () => {
    const person = await signUp(server);
    const jobsBefore = await server.db.kysely.selectFrom('email_jobs').select('id').execute();
    const unknown = await api().post('/auth/password-reset/request', {
      json: { email: 'nobody-here@example.com' },
    });
    const jobsAfter = await server.db.kysely.selectFrom('email_jobs').select('id').execute();
    expect(jobsAfter).toHaveLength(jobsBefore.length);
    const known = await api().post('/auth/password-reset/request', {
      json: { email: person.email.toUpperCase() },
    });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.body).toEqual({
      message: 'If an account uses this address, a link to reset its password is on its way.',
    });
    const mails = await deliveredTo(server, sink, person.email, subject);
    expect(mails).toHaveLength(1);
    expect(sink.received.some((mail) => mail.recipients.includes('nobody-here@example.com'))).toBe(
      false,
    );
    expect(mails[0]?.html).toContain('/account/reset-password?token=');
  });

  it('resets with the mailed token, once, and signs out every session', async () => {
    const person = await signUp(server);
    const second = await api().post<AuthResult>('/auth/login', {
      json: { email: person.email, password: testPassword },
    });
    expect(second.status).toBe(200);
    const link = await resetToken(person.email);
    const token = link.searchParams.get('token') ?? '';

    const reset = await api().post('/auth/password-reset', { json: { token, newPassword } });
    expect(reset.status).toBe(204);

    // Both sessions are over: access tokens and refresh tokens alike.
    expect((await api().get('/auth/me', { token: person.accessToken })).status).toBe(401);
    if (!('accessToken' in second.body)) throw new Error('no session');
    expect((await api().get('/auth/me', { token: second.body.accessToken })).status).toBe(401);
    const refreshed = await api().post<TokenPair>('/auth/refresh', {
      json: { refreshToken: person.refreshToken },
    });
    expect(refreshed.status).toBe(401);

    const oldLogin = await api().post('/auth/login', {
      json: { email: person.email, password: testPassword },
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await api().post<AuthResult>('/auth/login', {
      json: { email: person.email, password: newPassword },
    });
    expect(newLogin.status).toBe(200);
    // Following the link proved the address too.
    expect((newLogin.body as { user: User }).user.emailVerified).toBe(true);

    const reuse = await api().post<Problem>('/auth/password-reset', {
      json: { token, newPassword: 'another fine passphrase 2044' },
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({
      type: problemTypes.accountTokenInvalid,
      detail: 'This password reset link was already used or replaced by a newer one.',
    });
    const audit = await server.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('user_id', '=', person.user.id)
      .where('action', '=', 'user.password_reset')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toEqual({ sessionsRevoked: 2 });
  });

  it('refuses an expired token and keeps a token usable after a refused password', async () => {
    const person = await signUp(server);
    const link = await resetToken(person.email);
    const token = link.searchParams.get('token') ?? '';
    const row = await server.db.kysely
      .selectFrom('account_tokens')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', person.user.id)
      .where('purpose', '=', 'password_reset')
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(60 * 60 * 1000);

    // The current password is refused (history), and the token survives that refusal.
    const same = await api().post<Problem>('/auth/password-reset', {
      json: { token, newPassword: testPassword },
    });
    expect(same.status).toBe(422);

    await server.db.kysely
      .updateTable('account_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', person.user.id)
      .where('purpose', '=', 'password_reset')
      .execute();
    const expired = await api().post<Problem>('/auth/password-reset', {
      json: { token, newPassword },
    });
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toBe('This password reset link has expired. Ask for a new one.');
    expect((await api().get('/auth/me', { token: person.accessToken })).status).toBe(200);
  });

  it('a newer request replaces the older link; the page the link opens resets', async () => {
    const person = await signUp(server);
    const older = (await resetToken(person.email)).searchParams.get('token') ?? '';
    const link = await resetToken(person.email);
    const token = link.searchParams.get('token') ?? '';
    expect(token).not.toBe(older);
    const stale = await api().post<Problem>('/auth/password-reset', {
      json: { token: older, newPassword },
    });
    expect(stale.status).toBe(400);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="newPassword"');
    const short = await postForm(`${server.baseUrl}/account/reset-password`, {
      token,
      newPassword: 'short',
    });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('at least 10 characters');
    const done = await postForm(`${server.baseUrl}/account/reset-password`, {
      token,
      newPassword,
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Password changed');
    const login = await api().post('/auth/login', {
      json: { email: person.email, password: newPassword },
    });
    expect(login.status).toBe(200);
  });
});
