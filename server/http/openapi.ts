import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import { problemContentType, problemSchema } from '../../shared/api/problem.ts';
import type { AnyRoute } from './route.ts';

/** The OpenAPI 3.1 document of every route, generated from the same definitions Express mounts. */
export function buildOpenApiDocument(
  routes: AnyRoute[],
  version: string,
  otherPaths: Record<string, object> = {},
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes.filter((r) => !r.hidden)) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const operation: ZodOpenApiOperationObject = {
      summary: route.summary,
      tags: route.tags,
      ...(route.auth === true ? { security: [{ bearerAuth: [] }] } : {}),
      ...(route.auth === 'optional' ? { security: [{ bearerAuth: [] }, {}] } : {}),
      // Path and query schemas are zod objects by construction (see RouteDefinition).
      requestParams: {
        ...(route.params ? { path: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
      } as ZodOpenApiOperationObject['requestParams'],
      ...(route.body
        ? { requestBody: { content: { 'application/json': { schema: route.body } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.schema
                ? { content: { 'application/json': { schema: response.schema } } }
                : {}),
            },
          ]),
        ),
        default: {
          description: 'A problem (RFC 9457)',
          content: { [problemContentType]: { schema: problemSchema } },
        },
      },
    };
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'MegiLance sync server',
      version,
      description: 'Accounts, sync and marketplace API of MegiLance. Errors are RFC 9457 problems.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths: { ...paths, ...(otherPaths as ZodOpenApiPathsObject) },
  });
}
