/**
 * Email verification over real HTTP and a real SMTP server: sign-up mails a link, the test
 * reads it out of the received message and follows it (page and API); the token works once,
 * expires, and a resend replaces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/accounts/user.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { client } from '../support/http.ts';
import { createCategory, projectInput, signUpAs } from '../support/marketplace-fixtures.ts';
import { deliveredTo, postForm, roomyLimits, signUp } from '../support/mail-flows.ts';
import { linkIn, startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const subject = 'Confirm your email address';

describe.each(['sqlite', 'postgres'] as Dialect[])('email verification on %s', (dialect) => {
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
  const verifyLink = (mail: Parameters<typeof linkIn>[0]) =>
    linkIn(mail, `${server.baseUrl}/account/verify-email?token=`);

  it('mails a link on sign-up; following it verifies the address once', async () => {
    const person = await signUp(server);
    expect(person.user.emailVerified).toBe(false);
    const [mail] = await deliveredTo(server, sink, person.email, subject);
    if (!mail) throw new Error('no verification mail');
    const link = verifyLink(mail);
    const token = link.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[\w-]{43}$/);
    // Only the hash is stored.
    const stored = await server.db.kysely.selectFrom('account_tokens').selectAll().execute();
    expect(stored.some((row) => row.token_hash.includes(token))).toBe(false);

    // Opening the link (as a mail scanner would) changes nothing; it shows a button.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/account/verify-email">');
    const me = await api().get<User>('/auth/me', { token: person.accessToken });
    expect(me.body.emailVerified).toBe(false);

    const verified = await api().post<User>('/auth/verify-email', { json: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: person.user.id, emailVerified: true });
    expect(
      (await api().get<User>('/auth/me', { token: person.accessToken })).body.emailVerified,
    ).toBe(true);

    const again = await api().post<Problem>('/auth/verify-email', { json: { token } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      type: problemTypes.accountTokenInvalid,
      detail: 'This verification link was already used or replaced by a newer one.',
    });
    const audit = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', person.user.id)
      .execute();
    expect(audit.map((row) => row.action)).toContain('user.email_verified');

    // Verified: nothing to resend.
    const resend = await api().post<Problem>('/auth/verify-email/resend', {
      token: person.accessToken,
    });
    expect(resend.status).toBe(409);
  });

  it('verifies through the page the link opens, by its button', async () => {
    const person = await signUp(server);
    const [mail] = await deliveredTo(server, sink, person.email, subject);
    if (!mail) throw new Error('no verification mail');
    const link = verifyLink(mail);
    const confirmed = await postForm(`${server.baseUrl}/account/verify-email`, {
      token: link.searchParams.get('token') ?? '',
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Email address confirmed');
    expect(
      (await api().get<User>('/auth/me', { token: person.accessToken })).body.emailVerified,
    ).toBe(true);
    const reused = await postForm(`${server.baseUrl}/account/verify-email`, {
      token: link.searchParams.get('token') ?? '',
    });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('already used');
  });

  it('resends a new link that replaces the old one', async () => {
    const person = await signUp(server);
    const [first] = await deliveredTo(server, sink, person.email, subject);
    if (!first) throw new Error('no verification mail');
    expect((await api().post('/auth/verify-email/resend')).status).toBe(401);
    const resend = await api().post('/auth/verify-email/resend', { token: person.accessToken });
    expect(resend.status).toBe(202);
    const mails = await deliveredTo(server, sink, person.email, subject);
    expect(mails).toHaveLength(2);
    const [oldToken, newToken] = mails.map(
      (mail) => verifyLink(mail).searchParams.get('token') ?? '',
    );
    expect(newToken).not.toBe(oldToken);
    const old = await api().post<Problem>('/auth/verify-email', { json: { token: oldToken } });
    expect(old.status).toBe(400);
    expect(old.body.type).toBe(problemTypes.accountTokenInvalid);
    const fresh = await api().post<User>('/auth/verify-email', { json: { token: newToken } });
    expect(fresh.body.emailVerified).toBe(true);
  });

  it('refuses an expired link and an unknown one', async () => {
    const person = await signUp(server);
    const [mail] = await deliveredTo(server, sink, person.email, subject);
    if (!mail) throw new Error('no verification mail');
    const token = verifyLink(mail).searchParams.get('token') ?? '';
    const row = await server.db.kysely
      .selectFrom('account_tokens')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', person.user.id)
      .executeTakeFirstOrThrow();
    // Valid for 24 hours.
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(24 * 60 * 60 * 1000);
    await server.db.kysely
      .updateTable('account_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', person.user.id)
      .execute();
    const expired = await api().post<Problem>('/auth/verify-email', { json: { token } });
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toBe('This verification link has expired. Ask for a new one.');
    const unknown = await api().post<Problem>('/auth/verify-email', {
      json: { token: 'x'.repeat(43) },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe('This verification link is not valid. Ask for a new one.');
    expect(
      (await api().get<User>('/auth/me', { token: person.accessToken })).body.emailVerified,
    ).toBe(false);
  });

  it('keeps an unconfirmed account from proposals and money until it confirms', async () => {
    const admin = await signUpAs(server, 'admin');
    const owner = await signUpAs(server, 'client');
    const category = await createCategory(server, admin);
    const project = await api().post<{ id: string }>('/projects', {
      token: owner.token,
      json: projectInput(category.id, { publish: true }),
    });
    expect(project.status).toBe(201);
    const freelancer = await signUp(server, 'Katherine Johnson', 'freelancer');
    const payer = await signUp(server, 'Dorothy Vaughan', 'client');
    const proposal = {
      coverLetter: 'I can do this.',
      bid: { type: 'fixed', amount: { amountMinor: 150_000, currency: 'EUR' } },
      durationDays: 14,
    };
    const refusal = {
      status: 403,
      type: problemTypes.emailNotVerified,
      detail:
        'Verify your email address first: open the link in the email we sent you, or ask for a new one.',
    };
    const propose = () =>
      api().post<Problem>(`/projects/${project.body.id}/proposals`, {
        token: freelancer.accessToken,
        json: proposal,
      });
    const refused = await propose();
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject(refusal);
    for (const path of ['/payments/methods/setup', '/payments/payout-account/onboarding']) {
      const money = await api().post<Problem>(path, { token: payer.accessToken });
      expect(money.status, path).toBe(403);
      expect(money.body).toMatchObject(refusal);
    }
    // Reading stays open: only the listed commands wait for the address.
    expect((await api().get('/payments/methods', { token: payer.accessToken })).status).toBe(200);
    expect(
      await server.db.kysely
        .selectFrom('proposals')
        .select('id')
        .where('freelancer_id', '=', freelancer.user.id)
        .execute(),
    ).toEqual([]);

    const [mail] = await deliveredTo(server, sink, freelancer.email, subject);
    if (!mail) throw new Error('no verification mail');
    const token = verifyLink(mail).searchParams.get('token') ?? '';
    expect((await api().post('/auth/verify-email', { json: { token } })).status).toBe(200);
    expect((await propose()).status).toBe(201);
  });
});
