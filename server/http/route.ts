import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { problemTypes } from '../../shared/api/problem.ts';
import { fieldErrors } from '../../shared/api/field-errors.ts';
import { HttpProblem, problems } from './problem.ts';
import { requestIdOf } from './request-id.ts';

/** Who is calling, established from the bearer token and its live session. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  role: 'client' | 'freelancer' | 'admin';
  /** When the presented access token expires (epoch seconds); long-lived sockets end then. */
  expiresAt?: number;
}

export interface RequestMeta {
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string;
}

/** `true`: a live session is required; `'optional'`: used when a bearer token is sent. */
export type AuthRequirement = boolean | 'optional';

export interface RouteContext<P, Q, B, A extends AuthRequirement> {
  params: P;
  query: Q;
  body: B;
  auth: A extends true ? AuthContext : A extends 'optional' ? AuthContext | null : null;
  meta: RequestMeta;
  log: Logger;
  /** A request header's value (case-insensitive name), e.g. `Idempotency-Key`. */
  header(name: string): string | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Response headers to set besides the body's content type. */
  headers?: Record<string, string>;
}

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
}

/**
 * One declaration per endpoint: Express mounts it and the OpenAPI document is generated
 * from it, so the two can never disagree.
 */
export interface RouteDefinition<
  P = unknown,
  Q = unknown,
  B = unknown,
  A extends AuthRequirement = AuthRequirement,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  auth: A;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Left out of the OpenAPI document (catch-alls that only answer problems). */
  hidden?: boolean;
  /** Successful answers; problems (4xx/5xx) are documented for every route. */
  responses: Record<number, RouteResponse>;
  handle(context: RouteContext<P, Q, B, A>): Promise<RouteResult>;
}

export function defineRoute<
  P = undefined,
  Q = undefined,
  B = undefined,
  const A extends AuthRequirement = false,
>(route: RouteDefinition<P, Q, B, A>): RouteDefinition<P, Q, B, A> {
  return route;
}

export type Authenticate = (req: Request) => Promise<AuthContext>;

// The registry holds routes of many shapes; each was checked where it was defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any, any, AuthRequirement>;

export function mountRoutes(router: Router, routes: AnyRoute[], authenticate: Authenticate): void {
  for (const route of routes) {
    router[route.method](route.path, routeHandler(route, authenticate));
  }
}

function routeHandler(route: AnyRoute, authenticate: Authenticate): RequestHandler {
  return async (req: Request, res: Response) => {
    const wantsAuth =
      route.auth === true || (route.auth === 'optional' && req.get('authorization'));
    const auth = wantsAuth ? await authenticate(req) : null;
    const params: unknown = route.params ? parse(route.params, req.params, 'path') : undefined;
    const query: unknown = route.query ? parse(route.query, req.query, 'query string') : undefined;
    const body: unknown = route.body ? parse(route.body, jsonBody(req), 'request body') : undefined;
    const result = await route.handle({
      params,
      query,
      body,
      auth,
      meta: requestMeta(req),
      log: req.log,
      header: (name) => req.get(name),
    });
    if (result.headers) res.set(result.headers);
    const response = route.responses[result.status];
    if (result.body === undefined) {
      res.status(result.status).end();
      return;
    }
    // The response schema is an allow-list: fields it does not name never leave the server.
    res
      .status(result.status)
      .json(response?.schema ? response.schema.parse(result.body) : result.body);
  };
}

function jsonBody(req: Request): unknown {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'];
  if (hasBody && !req.is('application/json')) {
    throw new HttpProblem(
      415,
      problemTypes.unsupportedMediaType,
      'Unsupported media type',
      'Send the body as application/json.',
    );
  }
  return req.body ?? {};
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(fieldErrors(result.error), where);
  return result.data;
}

export function requestMeta(req: Request): RequestMeta {
  return {
    ipAddress: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
    requestId: requestIdOf(req),
  };
}
