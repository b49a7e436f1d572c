import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { PASSWORD_HISTORY_SIZE } from '../../server/auth/password-history.ts';
import { client } from '../support/http.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const dialects: Dialect[] = ['sqlite', 'postgres'];
let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${(counter += 1)}@example.com`;

type WeakPasswordProblem = Problem & {
  score: number;
  warning: string | null;
  suggestions: string[];
};

describe.each(dialects)('password policy on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  const register = (email: string, password: string) =>
    api.post<AuthResult & WeakPasswordProblem>('/auth/register', {
      json: { email, password, name: 'Grace Hopper', role: 'freelancer' },
    });
  const changePassword = (token: string, currentPassword: string, newPassword: string) =>
    api.post<WeakPasswordProblem>('/auth/password', {
      token,
      json: { currentPassword, newPassword },
    });
  const userCount = async (email: string) =>
    (await server.db.kysely.selectFrom('users').select('id').where('email', '=', email).execute())
      .length;

  it('refuses a weak password at sign-up with zxcvbn feedback, and creates nothing', async () => {
    const email = uniqueEmail('weak');
    const answer = await register(email, 'password1234');
    expect(answer.status).toBe(422);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body.type).toBe(problemTypes.weakPassword);
    const [fieldError] = answer.body.errors ?? [];
    expect(fieldError?.pointer).toBe('/password');
    expect(fieldError?.detail).toMatch(/^is too easy to guess\. \S/);
    expect(answer.body.score).toBeLessThan(3);
    expect(answer.body.warning).toMatch(/commonly used password/);
    expect(answer.body.suggestions.length).toBeGreaterThan(0);
    expect(answer.body.detail).toContain(answer.body.warning);
    expect(await userCount(email)).toBe(0);
  });

  it('refuses a password made of the person’s own email', async () => {
    const email = uniqueEmail('grace.hopper');
    const answer = await register(email, email);
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe(problemTypes.weakPassword);
    expect(answer.body.warning).toMatch(/personal/);
    // The same string is fine for someone else: it is only guessable for its owner.
    const stranger = await register(uniqueEmail('stranger'), email);
    expect(stranger.status).toBe(201);
  });

  it('refuses a weak new password on change, and leaves the old one working', async () => {
    const email = uniqueEmail('changer');
    const password = 'compiler pioneer 1952';
    const { body } = await register(email, password);
    const answer = await changePassword(body.accessToken, password, 'qwerty123456');
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe(problemTypes.weakPassword);
    expect(answer.body.errors?.[0]?.pointer).toBe('/newPassword');
    const login = await api.post('/auth/login', { json: { email, password } });
    expect(login.status).toBe(200);
  });

  it(`refuses any of the last ${PASSWORD_HISTORY_SIZE} passwords and forgets older ones`, async () => {
    const email = uniqueEmail('history');
    const passwords = [
      'nanosecond wire length',
      'mark one relay moth',
      'cobol committee minutes',
      'univac tape drives hum',
      'flowmatic english verbs',
      'harvard mark two logbook',
    ];
    const [first] = passwords;
    if (first === undefined) throw new Error('no passwords');
    const { body } = await register(email, first);
    const token = body.accessToken;

    // The current password is one of the five.
    const same = await changePassword(token, first, first);
    expect(same.status).toBe(422);
    expect(same.body.type).toBe(problemTypes.passwordReused);
    expect(same.body.detail).toMatch(/last 5 passwords/);
    expect(same.body.errors).toEqual([
      { pointer: '/newPassword', detail: 'is one of your last 5 passwords' },
    ]);

    for (let index = 1; index < passwords.length; index += 1) {
      const answer = await changePassword(
        token,
        passwords[index - 1] ?? '',
        passwords[index] ?? '',
      );
      expect(answer.status).toBe(204);
    }
    const current = passwords.at(-1) ?? '';
    // The last five are #6 (current) and #5..#2: each is refused.
    for (const recent of passwords.slice(1)) {
      const answer = await changePassword(token, current, recent);
      expect(answer.status).toBe(422);
      expect(answer.body.type).toBe(problemTypes.passwordReused);
    }
    const history = await server.db.kysely
      .selectFrom('password_history')
      .innerJoin('users', 'users.id', 'password_history.user_id')
      .select('password_history.password_hash')
      .where('users.email', '=', email)
      .execute();
    expect(history).toHaveLength(PASSWORD_HISTORY_SIZE - 1);
    expect(history.every((row) => row.password_hash.startsWith('$argon2id$'))).toBe(true);

    // #1 is six passwords back: forgotten, and allowed again.
    const old = await changePassword(token, current, first);
    expect(old.status).toBe(204);
    const login = await api.post('/auth/login', { json: { email, password: first } });
    expect(login.status).toBe(200);
  });
});
