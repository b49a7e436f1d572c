import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { requestIdOf } from './request-id.ts';
import {
  problemContentType,
  problemTypes,
  type FieldError,
  type Problem,
  type ProblemType,
} from '../../shared/api/problem.ts';

/** An error that knows the problem details it answers with. Services throw these. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly type: ProblemType;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  /** RFC 9457 extension members, e.g. `allowed` on an invalid transition. */
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    type: ProblemType,
    title: string,
    detail?: string,
    options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

const bearerChallenge = (error: string) => ({
  'WWW-Authenticate': `Bearer realm="megilance", error="${error}"`,
});

export const problems = {
  validation: (errors: FieldError[], where = 'request body') =>
    new HttpProblem(
      422,
      problemTypes.validation,
      'Invalid input',
      `The ${where} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`,
      { errors },
    ),
  notFound: (detail: string) => new HttpProblem(404, problemTypes.notFound, 'Not found', detail),
  forbidden: (detail: string) => new HttpProblem(403, problemTypes.forbidden, 'Forbidden', detail),
  unauthenticated: () =>
    new HttpProblem(
      401,
      problemTypes.unauthenticated,
      'Authentication required',
      'Send an access token as "Authorization: Bearer <token>".',
      { headers: bearerChallenge('invalid_request') },
    ),
  tokenExpired: () =>
    new HttpProblem(
      401,
      problemTypes.tokenExpired,
      'Access token expired',
      'Refresh the access token and try again.',
      {
        headers: bearerChallenge('invalid_token'),
      },
    ),
  tokenInvalid: (detail = 'The token is malformed, forged or unknown.') =>
    new HttpProblem(401, problemTypes.tokenInvalid, 'Invalid token', detail, {
      headers: bearerChallenge('invalid_token'),
    }),
  sessionRevoked: () =>
    new HttpProblem(
      401,
      problemTypes.sessionRevoked,
      'Session ended',
      'This session was signed out or has expired. Sign in again.',
      { headers: bearerChallenge('invalid_token') },
    ),
};

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}) {
  res.status(problem.status).set(headers).type(problemContentType).send(JSON.stringify(problem));
}

export const notFoundHandler: RequestHandler = (req) => {
  throw problems.notFound(`No route for ${req.method} ${req.path}.`);
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** Every error leaves as problem+json; unexpected ones are logged and told apart by request id. */
export const problemErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const base = { instance: req.originalUrl, requestId: requestIdOf(req) };
  if (error instanceof HttpProblem) {
    const problem: Problem = {
      // Extensions first: they may add members, never replace the standard ones.
      ...error.extensions,
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...base,
      ...(error.errors ? { errors: error.errors } : {}),
    };
    sendProblem(res, problem, error.headers);
    return;
  }
  const parserError = error as BodyParserError;
  if (parserError.type === 'entity.parse.failed') {
    sendProblem(res, {
      type: problemTypes.malformedJson,
      title: 'Malformed JSON',
      status: 400,
      detail: 'The request body is not valid JSON.',
      ...base,
    });
    return;
  }
  if (parserError.type === 'entity.too.large') {
    sendProblem(res, {
      type: problemTypes.payloadTooLarge,
      title: 'Payload too large',
      status: 413,
      detail: `The request body exceeds the limit of ${parserError.limit ?? 'unknown'} bytes.`,
      ...base,
    });
    return;
  }
  if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
    sendProblem(res, {
      type: problemTypes.unsupportedMediaType,
      title: 'Unsupported media type',
      status: 415,
      detail: 'Send the body as UTF-8 JSON.',
      ...base,
    });
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(res, {
    type: problemTypes.internal,
    title: 'Internal server error',
    status: 500,
    detail: 'Something went wrong on our side. Quote the request id when reporting it.',
    ...base,
  });
};
