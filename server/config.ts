import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes from the environment; every value has a default that needs nothing,
 * so `npm run server` on a fresh clone starts on an embedded SQLite file.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4780),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data/server'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public'),
  /** Scale mode: with Redis, several instances deliver each other's live events. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Keeps deployments (and test runs) sharing one Redis apart. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits or _ : . -')
    .default('megilance'),
  /** Comma-separated origins allowed by CORS: the desktop app's and the browser host's. */
  APP_ORIGINS: z
    .string()
    .default('app://megilance,http://127.0.0.1:5180,http://localhost:5180')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /** Signing key for access tokens; when absent one is generated once and kept in the database. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How often sent invoices past their due date are marked overdue; 0 turns the sweep off. */
  INVOICE_OVERDUE_SWEEP_MS: z.coerce.number().int().min(0).default(900_000),
  /** The platform's fee on each escrow release, in basis points (1000 = 10 %). */
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Days a client has to review submitted work (and an hourly week) before auto release. */
  ESCROW_REVIEW_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** How often the auto-release sweep runs; 0 turns it off (tests call it directly). */
  ESCROW_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Stripe secret key; without one the clearly labelled sandbox rail moves no real money. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_test_…, sk_live_…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Signing secret of the Stripe webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'must be a webhook signing secret (whsec_…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Another Stripe API base URL (tests point the SDK at a local fake). */
  STRIPE_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * The server's externally reachable base URL (behind a proxy, a TLS terminator): where
   * browsers return after Stripe Checkout and onboarding, and the sandbox onboarding page.
   * Default: the listen address (`http://HOST:PORT`).
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((value) => {
      const url = URL.parse(value);
      return url !== null && !/[?#]/.test(value) && url.username === '' && url.password === '';
    }, 'must be a plain base URL (no query, fragment or credentials)')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Outgoing mail server (smtp://user:pass@host:port, smtps://…); without it mail goes to DATA_DIR/mail. */
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMTP_FROM: z.string().min(3).default('MegiLance <no-reply@megilance.local>'),
  /** How often the email worker looks for due jobs; 0 turns it off (tests call runOnce). */
  EMAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  /** Attempts before a mail is dead-lettered. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay; each further one doubles (capped at 6 hours). */
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Country of new freelancer payout accounts (ISO 3166-1 alpha-2). */
  PAYOUT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US')
    .default('US'),
  /**
   * Rate limits: requests allowed per window (server/http/rate-limits.ts). Sign-in counts per
   * account and per IP; password reset requests per email and per IP; the API per user (per
   * IP before sign-in); sync has its own budget per user, as every device pulls each collection.
   */
  RATE_LIMIT_SIGN_IN: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_SIGN_IN_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  RATE_LIMIT_PASSWORD_RESET: z.coerce.number().int().min(1).default(3),
  RATE_LIMIT_PASSWORD_RESET_WINDOW_MS: z.coerce.number().int().min(100).default(3_600_000),
  RATE_LIMIT_API: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_API_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  RATE_LIMIT_SYNC: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_SYNC_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  appOrigins: string[];
  redis: { url: string; keyPrefix: string } | undefined;
  jwtSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  shutdownGraceMs: number;
  invoiceOverdueSweepMs: number;
  escrow: { platformFeeBps: number; reviewDays: number; sweepIntervalMs: number };
  stripe:
    | { secretKey: string; webhookSecret: string | undefined; apiUrl: string | undefined }
    | undefined;
  payoutCountry: string;
  /** Base URL browsers reach the server at (no trailing slash); undefined: the listen address. */
  publicUrl: string | undefined;
  rateLimits: RateLimitsConfig;
  email: {
    smtpUrl: string | undefined;
    from: string;
    workerIntervalMs: number;
    maxAttempts: number;
    retryBaseMs: number;
  };
};

export interface RateLimitBudget {
  limit: number;
  windowMs: number;
}

export interface RateLimitsConfig {
  signIn: RateLimitBudget;
  passwordReset: RateLimitBudget;
  api: RateLimitBudget;
  sync: RateLimitBudget;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA }
      : { kind: 'sqlite', file: resolve(dataDir, 'megilance.sqlite') },
    appOrigins: e.APP_ORIGINS,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    invoiceOverdueSweepMs: e.INVOICE_OVERDUE_SWEEP_MS,
    escrow: {
      platformFeeBps: e.PLATFORM_FEE_BPS,
      reviewDays: e.ESCROW_REVIEW_DAYS,
      sweepIntervalMs: e.ESCROW_SWEEP_INTERVAL_MS,
    },
    stripe: e.STRIPE_SECRET_KEY
      ? {
          secretKey: e.STRIPE_SECRET_KEY,
          webhookSecret: e.STRIPE_WEBHOOK_SECRET,
          apiUrl: e.STRIPE_API_URL,
        }
      : undefined,
    payoutCountry: e.PAYOUT_COUNTRY,
    publicUrl: e.PUBLIC_URL,
    email: {
      smtpUrl: e.SMTP_URL,
      from: e.SMTP_FROM,
      workerIntervalMs: e.EMAIL_WORKER_INTERVAL_MS,
      maxAttempts: e.EMAIL_MAX_ATTEMPTS,
      retryBaseMs: e.EMAIL_RETRY_BASE_MS,
    },
    rateLimits: {
      signIn: { limit: e.RATE_LIMIT_SIGN_IN, windowMs: e.RATE_LIMIT_SIGN_IN_WINDOW_MS },
      passwordReset: {
        limit: e.RATE_LIMIT_PASSWORD_RESET,
        windowMs: e.RATE_LIMIT_PASSWORD_RESET_WINDOW_MS,
      },
      api: { limit: e.RATE_LIMIT_API, windowMs: e.RATE_LIMIT_API_WINDOW_MS },
      sync: { limit: e.RATE_LIMIT_SYNC, windowMs: e.RATE_LIMIT_SYNC_WINDOW_MS },
    },
  };
}
