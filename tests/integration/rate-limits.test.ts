import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { client, type HttpAnswer } from '../support/http.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const dialects: Dialect[] = ['sqlite', 'postgres'];
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const password = 'correct horse battery staple';
let counter = 0;
const unique = (label: string) => `${label}-${Date.now()}-${(counter += 1)}`;
const uniqueEmail = (label: string) => `${unique(label)}@example.com`;
/** The server trusts a loopback proxy: X-Forwarded-For is the client's address. */
let addressCounter = 0;
const newAddress = () => {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
};
const from = (address: string) => ({ 'x-forwarded-for': address });

/** Real budgets, short enough to reach in a test; the API budget is small on purpose. */
const realLimits = {
  RATE_LIMIT_SIGN_IN: '5',
  RATE_LIMIT_SIGN_IN_WINDOW_MS: '60000',
  RATE_LIMIT_PASSWORD_RESET: '3',
  RATE_LIMIT_PASSWORD_RESET_WINDOW_MS: '3600000',
  RATE_LIMIT_API: '10',
  RATE_LIMIT_API_WINDOW_MS: '60000',
  RATE_LIMIT_SYNC: '1000',
};

function expectRateLimited(answer: HttpAnswer<Problem>, detail: RegExp) {
  expect(answer.status).toBe(429);
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.body.type).toBe(problemTypes.rateLimited);
  expect(answer.body.detail).toMatch(detail);
  expect(answer.body.detail).toMatch(/Try again in \d+ seconds?\./);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  // IETF draft 8: the policy names the quota and window, the state what is left of it.
  expect(answer.headers.get('ratelimit-policy')).toMatch(/; q=\d+; w=\d+/);
  expect(answer.headers.get('ratelimit')).toMatch(/; r=0; t=\d+/);
}

describe.each(dialects)('rate limits on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServer({ dialect, env: realLimits });
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (email: string, address: string, secret = password) =>
    api.post<Problem & AuthResult>('/auth/login', {
      json: { email, password: secret },
      headers: from(address),
    });

  async function register(label: string, address = newAddress()) {
    const email = uniqueEmail(label);
    const answer = await api.post<AuthResult>('/auth/register', {
      json: { email, password, name: `${label} Person`, role: 'client' },
      headers: from(address),
    });
    expect(answer.status).toBe(201);
    return { email, ...answer.body };
  }

  it('answers the 6th sign-in for one account in a minute with 429, from any address', async () => {
    const { email } = await register('target');
    const first = await signIn(email, newAddress());
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toMatch(/"sign-in-account"; q=5; w=60/);
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      // Right or wrong password: every attempt counts.
      const answer = await signIn(email, newAddress(), attempt % 2 ? password : 'wrong password!');
      expect(answer.status).not.toBe(429);
    }
    const sixth = await signIn(email, newAddress());
    expectRateLimited(sixth, /^Too many sign-in attempts for this account\./);
    // The correct password does not get through either, and another account is unaffected.
    const other = await register('bystander');
    expect((await signIn(other.email, newAddress())).status).toBe(200);
    // Case and spaces do not make a fresh budget.
    const disguised = await signIn(`  ${email.toUpperCase()} `, newAddress());
    expect(disguised.status).toBe(429);
  });

  it('answers the 6th sign-in from one address with 429, whichever accounts it tries', async () => {
    const address = newAddress();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await signIn(uniqueEmail('guess'), address, 'a guessed password');
      expect(answer.status).toBe(401);
    }
    const sixth = await signIn(uniqueEmail('guess'), address);
    expectRateLimited(sixth, /^Too many sign-in attempts from this network address\./);
    expect(sixth.headers.get('ratelimit-policy')).toMatch(/"sign-in-ip"; q=5; w=60/);
    // Someone elsewhere still signs in.
    const { email } = await register('elsewhere');
    expect((await signIn(email, newAddress())).status).toBe(200);
  });

  it('answers the 6th second-step code from one address with 429', async () => {
    const address = newAddress();
    const code = () =>
      api.post<Problem>('/auth/login/2fa', {
        json: { challengeToken: 'not-a-challenge', code: '000000' },
        headers: from(address),
      });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await code();
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).not.toBe(429);
    }
    expectRateLimited(await code(), /^Too many sign-in codes from this network address\./);
  });

  it('allows three password reset requests an hour per email and per address', async () => {
    const requestReset = (email: string, address: string) =>
      api.post<Problem>('/auth/password-reset/request', {
        json: { email },
        headers: from(address),
      });
    const email = uniqueEmail('forgetful');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await requestReset(email, newAddress())).status).not.toBe(429);
    }
    const fourth = await requestReset(email, newAddress());
    expectRateLimited(fourth, /^Too many password reset requests for this email address\./);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(3500);

    const address = newAddress();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await requestReset(uniqueEmail('sprayed'), address)).status).not.toBe(429);
    }
    expectRateLimited(
      await requestReset(uniqueEmail('sprayed'), address),
      /^Too many password reset requests from this network address\./,
    );
  });

  it('counts API calls per signed-in user, wherever they come from', async () => {
    const shared = newAddress();
    const ann = await register('ann', shared);
    const ben = await register('ben', shared);
    const me = (token: string, address: string) =>
      api.get<Problem>('/auth/me', { token, headers: from(address) });
    for (let call = 1; call <= 10; call += 1) {
      const answer = await me(ann.accessToken, call % 2 ? shared : newAddress());
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit')).toMatch(new RegExp(`"api"; r=${10 - call}; t=\\d+`));
    }
    const refused = await api.get<Problem>('/auth/me', {
      token: ann.accessToken,
      headers: { ...from(newAddress()), origin: 'app://megilance' },
    });
    expectRateLimited(refused, /^Too many requests\./);
    // The desktop renderer is a browser: it may only read the headers CORS exposes.
    expect(refused.headers.get('access-control-expose-headers')).toMatch(
      /Retry-After,RateLimit,RateLimit-Policy/,
    );
    // Ben shares Ann's address but not her budget.
    expect((await me(ben.accessToken, shared)).status).toBe(200);
    // Sync has its own budget, and the health check none.
    const pull = await api.get('/sync/messages/pull?limit=10', { token: ann.accessToken });
    expect(pull.status).toBe(200);
    expect(pull.headers.get('ratelimit-policy')).toMatch(/"sync"; q=1000/);
    const health = await api.get('/health', { headers: from(shared) });
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit')).toBeNull();
  });

  it('counts calls with an invalid token against the address and still answers 401', async () => {
    const address = newAddress();
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const answers: number[] = [];
    for (let call = 1; call <= 11; call += 1) {
      answers.push((await api.get('/auth/me', { token: forged, headers: from(address) })).status);
    }
    expect(answers.slice(0, 10)).toEqual(Array<number>(10).fill(401));
    expect(answers[10]).toBe(429);
  });

  it('lets requests through again once the window has passed', async () => {
    const quick = await startTestServer({
      dialect,
      env: { ...realLimits, RATE_LIMIT_SIGN_IN: '2', RATE_LIMIT_SIGN_IN_WINDOW_MS: '1500' },
    });
    try {
      const quickApi = client(quick.baseUrl);
      const address = newAddress();
      const attempt = () =>
        quickApi.post<Problem>('/auth/login', {
          json: { email: 'nobody@example.com', password: 'a guessed password' },
          headers: from(address),
        });
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      await sleep(1700);
      expect((await attempt()).status).toBe(401);
    } finally {
      await quick.close();
    }
  });
});

describe.each(dialects)('rate limits in scale mode (Redis) on %s', (dialect) => {
  const prefix = `test:${unique('rate-limits')}`;
  const env = { ...realLimits, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startTestServer({ dialect, env });
    second = await startTestServer({ dialect, env });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` })) {
        if (keys.length > 0) await redis.del(keys);
      }
    } finally {
      await redis.quit();
    }
  });

  it('spends one sign-in budget across two instances', async () => {
    const email = uniqueEmail('roaming');
    const attempt = (server: TestServer) =>
      client(server.baseUrl).post<Problem>('/auth/login', {
        json: { email, password: 'a guessed password' },
        headers: from(newAddress()),
      });
    for (const server of [first, second, first, second, first]) {
      expect((await attempt(server)).status).toBe(401);
    }
    expectRateLimited(await attempt(second), /^Too many sign-in attempts for this account\./);
    expect((await attempt(first)).status).toBe(429);

    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({
        MATCH: `${prefix}:rate-limit:sign-in-account:*`,
      })) {
        keys.push(...batch);
      }
      expect(keys).toEqual([`${prefix}:rate-limit:sign-in-account:${email}`]);
    } finally {
      await redis.quit();
    }
  });
});
