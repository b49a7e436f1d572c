import cors from 'cors';
import express, { type Express, type Request, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { assignRequestId } from './request-id.ts';
import { notFoundHandler, problemErrorHandler, problems } from './problem.ts';
import { mountRoutes, type AnyRoute, type Authenticate } from './route.ts';

export interface AppOptions {
  routes: AnyRoute[];
  openApiDocument: unknown;
  authenticateBearer: (token: string) => ReturnType<Authenticate>;
  appOrigins: string[];
  logger: Logger;
  /** Routers that are not JSON routes (raw bodies, streams), given the same authentication. */
  routers?: (authenticate: Authenticate) => Router[];
  /** Routers of plain pages served outside the API (e.g. the dev mailbox at /dev/mailbox). */
  pages?: Router[];
  /** Rate limiters (server/http/rate-limits.ts), mounted after the body parsers. */
  rateLimits?: (authenticate: Authenticate) => Router;
}

export const JSON_BODY_LIMIT = '100kb';
/** A sync push may carry up to 500 documents of up to 10 kB of text each. */
export const SYNC_BODY_LIMIT = '8mb';

/** Assembles middleware and routes; knows nothing about any one capability. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: assignRequestId,
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(helmet());
  app.use(
    cors({
      // No Origin header: not a browser (desktop main process, CLI, server-to-server).
      origin: (origin, callback) => callback(null, !origin || options.appOrigins.includes(origin)),
      // Browser clients may read when to retry after a 429 (server/http/rate-limits.ts).
      exposedHeaders: [
        'X-Request-Id',
        'WWW-Authenticate',
        'Retry-After',
        'RateLimit',
        'RateLimit-Policy',
      ],
      maxAge: 600,
    }),
  );
  // The first parser that matches reads the body; the others see it is done.
  // Webhook signatures cover the exact bytes: their routers get the body unparsed.
  app.use('/api/v1/webhooks', express.raw({ type: 'application/json', limit: '1mb' }));
  app.use('/api/v1/sync', express.json({ limit: SYNC_BODY_LIMIT, strict: true }));
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));

  const api = express.Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(options.openApiDocument);
  });
  const verifyBearer: Authenticate = (req) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header) : null;
    if (!header) return Promise.reject(problems.unauthenticated());
    if (!match?.[1]) {
      return Promise.reject(
        problems.tokenInvalid('The Authorization header is not "Bearer <jwt>".'),
      );
    }
    return options.authenticateBearer(match[1]);
  };
  // Once per request: the rate limiter keys by user and the route needs the same answer.
  const verified = new WeakMap<Request, ReturnType<Authenticate>>();
  const authenticate: Authenticate = (req) => {
    const known = verified.get(req);
    if (known) return known;
    const outcome = verifyBearer(req);
    verified.set(req, outcome);
    return outcome;
  };
  if (options.rateLimits) app.use(options.rateLimits(authenticate));
  for (const router of options.routers?.(authenticate) ?? []) api.use(router);
  mountRoutes(api, options.routes, authenticate);
  app.use('/api/v1', api);
  for (const router of options.pages ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return app;
}
