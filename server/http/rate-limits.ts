import express, { type Request, type Router } from 'express';
import {
  ipKeyGenerator,
  type AugmentedRequest,
  type RateLimitInfo,
  rateLimit,
  type RateLimitRequestHandler,
  type Store,
} from 'express-rate-limit';
import type { Logger } from 'pino';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { problemTypes } from '../../shared/api/problem.ts';
import type { RateLimitBudget, RateLimitsConfig } from '../config.ts';
import { HttpProblem } from './problem.ts';
import type { Authenticate } from './route.ts';

/** Told once per window when an account's sign-in budget runs out (a lockout notice by email). */
export type SignInLimitedHook = (email: string, ipAddress: string | null) => void;

export interface RateLimits {
  /** Mounted after the body parsers (keys read the email from the body), before the routes. */
  router(authenticate: Authenticate): Router;
  /** Hook for the lockout notice; not set: only logged. */
  onSignInLimited: SignInLimitedHook | undefined;
  close(): Promise<void>;
}

export interface RateLimitOptions {
  config: RateLimitsConfig;
  /** Scale mode: counters live in Redis, so every instance spends one budget. */
  redis: { url: string; keyPrefix: string } | undefined;
  logger: Logger;
}

type LimiterName =
  'sign-in-account' | 'sign-in-ip' | 'two-factor-ip' | 'reset-email' | 'reset-ip' | 'api' | 'sync';

/** What ran out, in the words of the 429's detail. */
const exhausted: Record<LimiterName, string> = {
  'sign-in-account': 'Too many sign-in attempts for this account.',
  'sign-in-ip': 'Too many sign-in attempts from this network address.',
  'two-factor-ip': 'Too many sign-in codes from this network address.',
  'reset-email': 'Too many password reset requests for this email address.',
  'reset-ip': 'Too many password reset requests from this network address.',
  api: 'Too many requests.',
  sync: 'Too many sync requests.',
};

export async function createRateLimits(options: RateLimitOptions): Promise<RateLimits> {
  const { config, logger } = options;
  const redis = options.redis ? await connectRedis(options.redis.url, logger) : undefined;
  // One store per limiter: a shared one would count a request once for each limiter.
  const storeFor = (name: LimiterName): Store | undefined =>
    redis && options.redis
      ? new RedisStore({
          sendCommand: (...args: string[]) => redis.sendCommand(args),
          prefix: `${options.redis.keyPrefix}:rate-limit:${name}:`,
        })
      : undefined;

  const limits: RateLimits = {
    onSignInLimited: undefined,
    router(authenticate) {
      // One verification per request: the route reuses what the key generator established
      // (createApp memoises `authenticate` per request). No valid token: keyed by address.
      const userOrAddress = async (req: Request) => {
        if (req.get('authorization')) {
          try {
            return `user:${(await authenticate(req)).userId}`;
          } catch {
            // The route answers the 401; the attempt still counts, against the address.
          }
        }
        return `ip:${addressKey(req)}`;
      };
      const limiter = (
        name: LimiterName,
        budget: RateLimitBudget,
        key: (req: Request) => string | Promise<string>,
        skip: (req: Request) => boolean = () => false,
      ): RateLimitRequestHandler => {
        const store = storeFor(name);
        return rateLimit({
          windowMs: budget.windowMs,
          limit: budget.limit,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          identifier: name,
          keyGenerator: key,
          skip,
          ...(store ? { store } : {}),
          // Redis down: serve rather than fail every request; the error is logged.
          passOnStoreError: true,
          handler: (req, _res, next) => {
            // The limiter has just put its count on the request under `rateLimit`.
            const info: RateLimitInfo | undefined = (req as AugmentedRequest).rateLimit;
            if (name === 'sign-in-account' && info?.used === budget.limit + 1) {
              const email = emailOf(req) ?? '';
              logger.warn({ email, ip: req.ip }, 'sign-in limit reached for an account');
              limits.onSignInLimited?.(email, req.ip ?? null);
            }
            next(rateLimited(name, info?.resetTime, budget.windowMs));
          },
        });
      };

      const router = express.Router();
      router.post(
        '/api/v1/auth/login',
        limiter('sign-in-ip', config.signIn, addressKey),
        limiter(
          'sign-in-account',
          config.signIn,
          (req) => emailOf(req) ?? '',
          (req) => !emailOf(req),
        ),
      );
      // The second step takes six digits: guessable by volume, so it has the sign-in budget.
      router.post('/api/v1/auth/login/2fa', limiter('two-factor-ip', config.signIn, addressKey));
      router.post(
        '/api/v1/auth/password-reset/request',
        limiter('reset-ip', config.passwordReset, addressKey),
        limiter(
          'reset-email',
          config.passwordReset,
          (req) => emailOf(req) ?? '',
          (req) => !emailOf(req),
        ),
      );
      // Many devices of one person each pull every collection: sync gets its own budget so
      // a normal catch-up cannot starve the person's ordinary API calls (nor the reverse).
      router.use('/api/v1/sync', limiter('sync', config.sync, userOrAddress));
      router.use('/api/v1', limiter('api', config.api, userOrAddress, isOutsideApiBudget));
      return router;
    },
    async close() {
      await redis?.quit();
    },
  };
  return limits;
}

/**
 * Not counted against the API budget:
 * - Stripe webhooks: few senders, signature-checked before anything is done, and a refusal
 *   only makes Stripe retry (and later disable the endpoint) while money events pile up;
 * - the health check: load balancers probe it from one address far more than 100 times a minute;
 * - sync: its own budget above.
 */
function isOutsideApiBudget(req: Request): boolean {
  return /^\/(webhooks|sync)(\/|$)|^\/health$/.test(req.path);
}

/** IPv6 clients are keyed by their /56: one host can take as many addresses as it likes there. */
function addressKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown');
}

/** The email in the body, as the account lookup normalises it; none: the route answers 422. */
function emailOf(req: Request): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || !('email' in body)) return undefined;
  const { email } = body;
  if (typeof email !== 'string') return undefined;
  const normalised = email.trim().toLowerCase();
  return normalised.length > 0 && normalised.length <= 254 ? normalised : undefined;
}

function rateLimited(name: LimiterName, resetTime: Date | undefined, windowMs: number) {
  const waitMs = resetTime ? resetTime.getTime() - Date.now() : windowMs;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new HttpProblem(
    429,
    problemTypes.rateLimited,
    'Too many requests',
    `${exhausted[name]} Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { extensions: { retryAfterSeconds: seconds } },
  );
}

/**
 * Fails fast while Redis is away (no offline queue), so `passOnStoreError` serves the request
 * instead of holding it until Redis is back; the client reconnects on its own.
 */
async function connectRedis(url: string, logger: Logger) {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', (error: unknown) => {
    logger.warn({ err: error }, 'rate limit store: Redis connection error');
  });
  await client.connect();
  return client;
}
