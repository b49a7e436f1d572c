import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, Session, TokenPair } from '../../shared/accounts/auth.ts';
import type { User } from '../../shared/accounts/user.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { Health } from '../../shared/api/health.ts';
import { client } from '../support/http.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const dialects: Dialect[] = ['sqlite', 'postgres'];
const password = 'correct horse battery staple';
let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${(counter += 1)}@example.com`;

describe.each(dialects)('accounts on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServer({ dialect, appOrigins: ['app://megilance'] });
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function register(label: string, extra: Record<string, unknown> = {}) {
    const email = uniqueEmail(label);
    const answer = await api.post<AuthResult>('/auth/register', {
      json: { email, password, name: `${label} Person`, role: 'freelancer', ...extra },
    });
    expect(answer.status).toBe(201);
    return { email, ...answer.body };
  }

  /** Every row a failed request could have touched; the audit log may grow on purpose. */
  async function snapshot() {
    const db = server.db.kysely;
    return {
      users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
      sessions: await db.selectFrom('sessions').selectAll().orderBy('id').execute(),
      refreshTokens: await db.selectFrom('refresh_tokens').selectAll().orderBy('id').execute(),
    };
  }

  async function auditActions(userId: string) {
    const rows = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((row) => row.action);
  }

  it('reports health with the database in use', async () => {
    const answer = await api.get<Health>('/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', db: dialect });
  });

  it('registers, then serves the user to its token and never leaks the hash', async () => {
    const account = await register('ann', { email: '  Ann.Smith@Example.COM ' });
    expect(account.user).toMatchObject({
      email: 'ann.smith@example.com',
      role: 'freelancer',
      hourlyRate: null,
    });
    expect(JSON.stringify(account)).not.toContain('argon2');
    expect(account.expiresIn).toBe(900);

    const me = await api.get<User>('/auth/me', { token: account.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(account.user);
    expect(await auditActions(account.user.id)).toEqual(['user.registered']);
  });

  it('signs in with the right password only, with the same answer for unknown emails', async () => {
    const account = await register('ben');
    const ok = await api.post<AuthResult>('/auth/login', {
      json: { email: account.email.toUpperCase(), password, deviceName: 'Desk' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(account.user.id);

    const before = await snapshot();
    const wrong = await api.post<Problem>('/auth/login', {
      json: { email: account.email, password: 'nope-nope-nope' },
    });
    const unknown = await api.post<Problem>('/auth/login', {
      json: { email: uniqueEmail('nobody'), password },
    });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({
        type: problemTypes.invalidCredentials,
        detail: 'Email or password is incorrect.',
      });
    }
    expect(await snapshot()).toEqual(before);
    expect(await auditActions(account.user.id)).toEqual([
      'user.registered',
      'session.signed_in',
      'session.sign_in_failed',
    ]);
  });

  it('rotates the refresh token on every use and revokes the family on replay', async () => {
    const account = await register('cid');
    const first = await api.post<TokenPair>('/auth/refresh', {
      json: { refreshToken: account.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(account.refreshToken);
    const second = await api.post<TokenPair>('/auth/refresh', {
      json: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);

    // The thief replays the first token: the whole family dies, the legitimate holder too.
    const replay = await api.post<Problem>('/auth/refresh', {
      json: { refreshToken: account.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe(problemTypes.refreshTokenReused);
    const latest = await api.post<Problem>('/auth/refresh', {
      json: { refreshToken: second.body.refreshToken },
    });
    expect(latest.status).toBe(401);
    expect(latest.body.type).toBe(problemTypes.sessionRevoked);
    const me = await api.get<Problem>('/auth/me', { token: second.body.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.type).toBe(problemTypes.sessionRevoked);
    expect(await auditActions(account.user.id)).toContain('session.refresh_token_reused');
  });

  it('lets exactly one of two simultaneous refreshes with one token win', async () => {
    const account = await register('dee');
    const answers = await Promise.all(
      [1, 2].map(() => api.post('/auth/refresh', { json: { refreshToken: account.refreshToken } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('refuses unknown refresh tokens without touching anything', async () => {
    const before = await snapshot();
    const answer = await api.post<Problem>('/auth/refresh', {
      json: { refreshToken: 'made-up-token' },
    });
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe(problemTypes.tokenInvalid);
    expect(await snapshot()).toEqual(before);
  });

  it('signs out by access token and by refresh token alone', async () => {
    const byAccess = await register('eve');
    expect((await api.post('/auth/logout', { token: byAccess.accessToken })).status).toBe(204);
    expect((await api.get<Problem>('/auth/me', { token: byAccess.accessToken })).body.type).toBe(
      problemTypes.sessionRevoked,
    );
    expect(
      (await api.post('/auth/refresh', { json: { refreshToken: byAccess.refreshToken } })).status,
    ).toBe(401);

    const byRefresh = await register('fay');
    expect(
      (await api.post('/auth/logout', { json: { refreshToken: byRefresh.refreshToken } })).status,
    ).toBe(204);
    expect((await api.get('/auth/me', { token: byRefresh.accessToken })).status).toBe(401);

    const neither = await api.post<Problem>('/auth/logout');
    expect(neither.status).toBe(401);
    expect(neither.body.type).toBe(problemTypes.unauthenticated);
  });

  it('lists sessions per device and revokes one, or all others', async () => {
    const account = await register('gus', { deviceName: 'Studio iMac' });
    const laptop = await api.post<AuthResult>('/auth/login', {
      json: { email: account.email, password, deviceName: 'Work laptop' },
      headers: { 'user-agent': 'MegiLance/0.1 (Linux)' },
    });
    await api.post('/auth/login', {
      json: { email: account.email, password, deviceName: 'Phone' },
    });

    const listed = await api.get<Session[]>('/auth/sessions', { token: account.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.map((s) => s.deviceName).sort()).toEqual([
      'Phone',
      'Studio iMac',
      'Work laptop',
    ]);
    expect(listed.body.filter((s) => s.current).map((s) => s.deviceName)).toEqual(['Studio iMac']);
    const laptopSession = listed.body.find((s) => s.deviceName === 'Work laptop');
    expect(laptopSession?.userAgent).toBe('MegiLance/0.1 (Linux)');

    expect(
      (await api.delete(`/auth/sessions/${laptopSession?.id}`, { token: account.accessToken }))
        .status,
    ).toBe(204);
    expect((await api.get('/auth/me', { token: laptop.body.accessToken })).status).toBe(401);
    expect(
      (await api.post('/auth/refresh', { json: { refreshToken: laptop.body.refreshToken } }))
        .status,
    ).toBe(401);

    const again = await api.delete<Problem>(`/auth/sessions/${laptopSession?.id}`, {
      token: account.accessToken,
    });
    expect(again.status).toBe(404);

    const others = await api.post<{ revoked: number }>('/auth/sessions/revoke-others', {
      token: account.accessToken,
    });
    expect(others.body).toEqual({ revoked: 1 });
    const remaining = await api.get<Session[]>('/auth/sessions', { token: account.accessToken });
    expect(remaining.body.map((s) => s.deviceName)).toEqual(['Studio iMac']);
    expect(await auditActions(account.user.id)).toEqual(
      expect.arrayContaining(['session.revoked', 'session.others_revoked']),
    );
  });

  it("cannot see or revoke another user's sessions", async () => {
    const owner = await register('hal');
    const intruder = await register('ivy');
    const [ownerSession] = (
      await api.get<Session[]>('/auth/sessions', { token: owner.accessToken })
    ).body;
    const before = await snapshot();
    const answer = await api.delete<Problem>(`/auth/sessions/${ownerSession?.id}`, {
      token: intruder.accessToken,
    });
    expect(answer.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await api.get('/auth/me', { token: owner.accessToken })).status).toBe(200);
    const listed = await api.get<Session[]>('/auth/sessions', { token: intruder.accessToken });
    expect(listed.body.every((s) => s.id !== ownerSession?.id)).toBe(true);
  });

  it('updates the profile, money in minor units, and refuses bad fields without a change', async () => {
    const account = await register('jo');
    const updated = await api.patch<User>('/auth/me', {
      token: account.accessToken,
      json: {
        name: 'Jo Example',
        headline: 'Rust and TypeScript',
        country: 'DE',
        timezone: 'Europe/Berlin',
        hourlyRate: { amountMinor: 8500, currency: 'EUR' },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Jo Example',
      country: 'DE',
      timezone: 'Europe/Berlin',
      hourlyRate: { amountMinor: 8500, currency: 'EUR' },
    });

    const before = await snapshot();
    const bad = await api.patch<Problem>('/auth/me', {
      token: account.accessToken,
      json: {
        country: 'Germany',
        timezone: 'Mars/Olympus',
        hourlyRate: { amountMinor: 85.5, currency: 'EURO' },
        role: 'admin',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.pointer).sort()).toEqual([
      '/country',
      '/hourlyRate/amountMinor',
      '/hourlyRate/currency',
      '/role',
      '/timezone',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an hourly rate of nothing at its field, and still clears a rate with null', async () => {
    for (const role of ['freelancer', 'client']) {
      const account = await register(`rate-${role}`, { role });
      const edit = (hourlyRate: unknown) =>
        api.patch<User & Problem>('/auth/me', {
          token: account.accessToken,
          json: { hourlyRate },
        });
      expect((await edit({ amountMinor: 4_000, currency: 'EUR' })).status).toBe(200);
      const before = await snapshot();
      for (const amountMinor of [0, -1]) {
        const refused = await edit({ amountMinor, currency: 'EUR' });
        expect(refused.status).toBe(422);
        expect(refused.body.errors).toEqual([
          { pointer: '/hourlyRate/amountMinor', detail: 'must be more than 0' },
        ]);
      }
      expect(await snapshot()).toEqual(before);
      expect((await edit({ amountMinor: 1, currency: 'JPY' })).body.hourlyRate).toEqual({
        amountMinor: 1,
        currency: 'JPY',
      });
      const cleared = await edit(null);
      expect(cleared.status).toBe(200);
      expect(cleared.body.hourlyRate).toBeNull();
    }
  });

  it('changes the password, signing out every other session', async () => {
    const account = await register('kim');
    const other = await api.post<AuthResult>('/auth/login', {
      json: { email: account.email, password },
    });

    const before = await snapshot();
    const wrong = await api.post<Problem>('/auth/password', {
      token: account.accessToken,
      json: { currentPassword: 'not my password', newPassword: 'another long passphrase' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors).toEqual([{ pointer: '/currentPassword', detail: 'is incorrect' }]);
    const weak = await api.post<Problem>('/auth/password', {
      token: account.accessToken,
      json: { currentPassword: password, newPassword: 'short' },
    });
    expect(weak.status).toBe(422);
    expect(await snapshot()).toEqual(before);

    const changed = await api.post('/auth/password', {
      token: account.accessToken,
      json: { currentPassword: password, newPassword: 'another long passphrase' },
    });
    expect(changed.status).toBe(204);
    expect((await api.get('/auth/me', { token: account.accessToken })).status).toBe(200);
    expect((await api.get('/auth/me', { token: other.body.accessToken })).status).toBe(401);
    expect(
      (await api.post('/auth/login', { json: { email: account.email, password } })).status,
    ).toBe(401);
    expect(
      (
        await api.post('/auth/login', {
          json: { email: account.email, password: 'another long passphrase' },
        })
      ).status,
    ).toBe(200);
    expect(await auditActions(account.user.id)).toEqual(
      expect.arrayContaining(['user.password_change_failed', 'user.password_changed']),
    );
  });

  describe('bad input gets a precise problem and changes nothing', () => {
    it.each([
      [
        'malformed JSON',
        { raw: '{"email": ', headers: { 'content-type': 'application/json' } },
        400,
        problemTypes.malformedJson,
      ],
      [
        'a non-JSON body',
        { raw: 'email=a@b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        problemTypes.unsupportedMediaType,
      ],
      ['missing fields', { json: {} }, 422, problemTypes.validation],
      [
        'wrong types',
        { json: { email: 42, password: true, name: ['x'], role: 'freelancer' } },
        422,
        problemTypes.validation,
      ],
      [
        'an admin sign-up',
        { json: { email: 'x@example.com', password, name: 'X', role: 'admin' } },
        422,
        problemTypes.validation,
      ],
      [
        'an oversize body',
        { json: { email: 'x@example.com', password, name: 'x'.repeat(200_000), role: 'client' } },
        413,
        problemTypes.payloadTooLarge,
      ],
    ] as const)('%s', async (_label, options, status, type) => {
      const before = await snapshot();
      const answer = await api.post<Problem>('/auth/register', options);
      expect(answer.status).toBe(status);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type, status, instance: '/api/v1/auth/register' });
      expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
      expect(await snapshot()).toEqual(before);
    });

    it('names each invalid field with a JSON pointer', async () => {
      const answer = await api.post<Problem>('/auth/register', {
        json: { email: 'not-an-email', password: 'short', role: 'client' },
      });
      expect(answer.body.errors).toEqual([
        { pointer: '/email', detail: 'must be an email address' },
        { pointer: '/password', detail: 'must be at least 10 characters' },
        { pointer: '/name', detail: 'Invalid input: expected string, received undefined' },
      ]);
    });

    it('refuses a duplicate email, also when two sign-ups race', async () => {
      const account = await register('lea');
      const before = await snapshot();
      const duplicate = await api.post<Problem>('/auth/register', {
        json: { email: account.email.toUpperCase(), password, name: 'Other', role: 'client' },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.type).toBe(problemTypes.emailTaken);
      expect(await snapshot()).toEqual(before);

      const email = uniqueEmail('race');
      const racing = await Promise.all(
        [1, 2].map(() =>
          api.post('/auth/register', { json: { email, password, name: 'Racer', role: 'client' } }),
        ),
      );
      expect(racing.map((a) => a.status).sort()).toEqual([201, 409]);
    });

    it('tells expired, forged, malformed and missing access tokens apart', async () => {
      const account = await register('max');
      const key = await server.db.kysely
        .selectFrom('server_secrets')
        .select('value')
        .where('name', '=', 'jwt-signing-key')
        .executeTakeFirstOrThrow();
      const [, payload] = account.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as {
        sid: string;
        sub: string;
      };
      const sign = (secret: string, expiresAt: number) =>
        new SignJWT({ sid: claims.sid, role: 'freelancer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(claims.sub)
          .setIssuer('megilance')
          .setAudience('megilance-api')
          .setIssuedAt(expiresAt - 900)
          .setExpirationTime(expiresAt)
          .sign(new TextEncoder().encode(secret));
      const now = Math.floor(Date.now() / 1000);
      const expired = await sign(key.value, now - 60);
      const forged = await sign('a-different-secret-that-is-long-enough', now + 600);

      const before = await snapshot();
      const cases: Array<[string | undefined, string, string | undefined]> = [
        [expired, problemTypes.tokenExpired, undefined],
        [forged, problemTypes.tokenInvalid, undefined],
        [undefined, problemTypes.tokenInvalid, 'Bearer not-a-jwt'],
        [undefined, problemTypes.unauthenticated, undefined],
      ];
      for (const [token, type, header] of cases) {
        const answer = await api.patch<Problem>('/auth/me', {
          token,
          headers: header ? { authorization: header } : {},
          json: { name: 'Changed' },
        });
        expect(answer.status).toBe(401);
        expect(answer.body.type).toBe(type);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="megilance"/);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('answers unknown routes and bad path parameters with problems', async () => {
      const account = await register('ned');
      const missing = await api.get<Problem>('/no/such/route');
      expect(missing.status).toBe(404);
      expect(missing.body.type).toBe(problemTypes.notFound);
      const badId = await api.delete<Problem>('/auth/sessions/not-a-uuid', {
        token: account.accessToken,
      });
      expect(badId.status).toBe(422);
      expect(badId.body.errors?.[0]?.pointer).toBe('/id');
    });
  });

  it('allows CORS for the app origins only', async () => {
    const allowed = await api.get('/health', { headers: { origin: 'app://megilance' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('app://megilance');
    const foreign = await api.get('/health', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a sane request id and sets security headers', async () => {
    const answer = await api.get('/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(answer.headers.get('x-request-id')).toBe('trace-123');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    const insane = await api.get('/health', { headers: { 'x-request-id': 'a b<script>' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3.1 document of every route', async () => {
    const answer = await api.get<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>('/openapi.json');
    expect(answer.body.openapi).toBe('3.1.0');
    const operations = Object.entries(answer.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'DELETE /api/v1/auth/sessions/{id}',
        'GET /api/v1/auth/me',
        'GET /api/v1/auth/sessions',
        'GET /api/v1/health',
        'PATCH /api/v1/auth/me',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/password',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/register',
        'POST /api/v1/auth/sessions/revoke-others',
        // Email verification, password reset, the outbox (server/auth/account-email*, server/email/)
        'POST /api/v1/auth/verify-email',
        'POST /api/v1/auth/verify-email/resend',
        'POST /api/v1/auth/password-reset/request',
        'POST /api/v1/auth/password-reset',
        'GET /api/v1/admin/email-jobs',
        // Two-factor authentication (server/auth/two-factor/)
        'GET /api/v1/auth/2fa',
        'POST /api/v1/auth/2fa/setup',
        'POST /api/v1/auth/2fa/confirm',
        'POST /api/v1/auth/2fa/backup-codes/regenerate',
        'POST /api/v1/auth/2fa/disable',
        'POST /api/v1/auth/login/2fa',
        ...[
          'conversations',
          'messages',
          'notifications',
          'settings',
          'contracts',
          'milestones',
          'timeEntries',
          'screenshots',
          'workLogs',
          'timeReviews',
          'escrows',
          'invoices',
        ].flatMap((c) => [`GET /api/v1/sync/${c}/pull`, `POST /api/v1/sync/${c}/push`]),
        'GET /api/v1/users/lookup',
        'GET /api/v1/categories',
        'POST /api/v1/categories',
        'PATCH /api/v1/categories/{id}',
        'GET /api/v1/skills',
        'POST /api/v1/skills',
        'GET /api/v1/tags',
        'POST /api/v1/tags',
        'GET /api/v1/projects',
        'POST /api/v1/projects',
        'GET /api/v1/projects/{id}',
        'PATCH /api/v1/projects/{id}',
        'POST /api/v1/projects/{id}/status',
        'GET /api/v1/search/projects',
        'GET /api/v1/search/autocomplete',
        'GET /api/v1/projects/{id}/proposals',
        'POST /api/v1/projects/{id}/proposals',
        'GET /api/v1/proposals/mine',
        'GET /api/v1/proposals/{id}',
        'PATCH /api/v1/proposals/{id}',
        'POST /api/v1/proposals/{id}/withdraw',
        'POST /api/v1/proposals/{id}/shortlist',
        'POST /api/v1/proposals/{id}/reject',
        'POST /api/v1/proposals/{id}/accept',
        'GET /api/v1/contracts',
        'GET /api/v1/contracts/{id}',
        'PATCH /api/v1/contracts/{id}/status',
        'PATCH /api/v1/contracts/{id}/settings',
        'GET /api/v1/freelancers/{id}',
        'PATCH /api/v1/me/profile',
        'POST /api/v1/me/portfolio',
        'PATCH /api/v1/me/portfolio/{id}',
        'DELETE /api/v1/me/portfolio/{id}',
        'GET /api/v1/search/freelancers',
        'POST /api/v1/contracts/{id}/reviews',
        'GET /api/v1/contracts/{id}/reviews',
        'GET /api/v1/users/{id}/reviews',
        'GET /api/v1/blobs/{hash}',
        'PUT /api/v1/blobs/{hash}',
        'HEAD /api/v1/blobs/{hash}',
        'POST /api/v1/blobs',
        ...['projects', 'freelancers'].flatMap((kind) => [
          `PUT /api/v1/me/favorites/${kind}/{id}`,
          `DELETE /api/v1/me/favorites/${kind}/{id}`,
          `GET /api/v1/me/favorites/${kind}`,
        ]),
        'PUT /api/v1/me/following/{id}',
        'DELETE /api/v1/me/following/{id}',
        'GET /api/v1/me/following',
        'GET /api/v1/me/followers',
        'GET /api/v1/me/following/projects',
        'GET /api/v1/users/{id}/follow-stats',
        'POST /api/v1/me/saved-searches',
        'GET /api/v1/me/saved-searches',
        'PATCH /api/v1/me/saved-searches/{id}',
        'DELETE /api/v1/me/saved-searches/{id}',
        'GET /api/v1/me/saved-searches/{id}/results',
        'GET /api/v1/projects/trending',
        'GET /api/v1/projects/{id}/attachments',
        'POST /api/v1/projects/{id}/attachments',
        'DELETE /api/v1/projects/{id}/attachments/{hash}',
        // Escrow (server/money/escrow/routes.ts)
        'POST /api/v1/escrows',
        'POST /api/v1/escrows/{id}/payments',
        'POST /api/v1/escrows/{id}/submit',
        'POST /api/v1/escrows/{id}/release',
        'GET /api/v1/escrows/{id}',
        'GET /api/v1/contracts/{id}/escrows',
        'GET /api/v1/wallet',
        'GET /api/v1/wallet/transactions',
        // Invoices (server/money/invoices/routes.ts)
        'POST /api/v1/invoices',
        'GET /api/v1/invoices',
        'GET /api/v1/invoices/{id}',
        'PATCH /api/v1/invoices/{id}',
        'POST /api/v1/invoices/{id}/transition',
        'GET /api/v1/invoices/{id}/pdf',
        // Payment accounts and webhooks (server/money/payment-accounts/, server/money/webhooks/)
        'GET /api/v1/payments/rail',
        'GET /api/v1/payments/methods',
        'DELETE /api/v1/payments/methods/{id}',
        'POST /api/v1/payments/methods/setup',
        'POST /api/v1/payments/sandbox/cards',
        'GET /api/v1/payments/payout-account',
        'POST /api/v1/payments/payout-account/onboarding',
        'GET /api/v1/payments/payouts',
        'POST /api/v1/webhooks/stripe',
        // Refunds and disputes (server/money/refunds/, server/money/disputes/)
        'POST /api/v1/escrows/{id}/refunds',
        'POST /api/v1/escrows/{id}/refunds/{refundId}/approve',
        'POST /api/v1/escrows/{id}/refunds/{refundId}/reject',
        'POST /api/v1/escrows/{id}/disputes',
        'POST /api/v1/admin/escrows/{id}/dispute/resolve',
      ].sort(),
    );
  });
});
