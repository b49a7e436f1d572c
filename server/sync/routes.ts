import { z } from 'zod';
import { wireSchemas } from '../../shared/sync/documents.ts';
import {
  pullQuerySchema,
  pullResponseSchema,
  pushBodySchema,
  syncCollections,
  type SyncCollection,
} from '../../shared/sync/protocol.ts';
import { problems } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { PushRow, SyncService } from './sync-service.ts';

const tags = ['Sync'];

/** Two routes per collection, so each has its own exact schema in validation and OpenAPI. */
export function syncRoutes(sync: SyncService): AnyRoute[] {
  return [
    ...syncCollections.flatMap((collection) => collectionRoutes(sync, collection)),
    // Any other collection: a problem naming the ones that exist, not a bare 404.
    ...(['get', 'post'] as const).map((method) =>
      defineRoute({
        method,
        path: '/sync/:collection/:operation',
        summary: 'Any other collection: not synced',
        tags,
        auth: true,
        hidden: true,
        params: z.object({ collection: z.string(), operation: z.string() }),
        responses: {},
        handle: ({ params }) => Promise.reject(unknownCollection(params.collection)),
      }),
    ),
  ];
}

function unknownCollection(name: string) {
  return problems.notFound(
    `"${name}" is not a synced collection; these are: ${syncCollections.join(', ')}.`,
  );
}

function collectionRoutes<C extends SyncCollection>(sync: SyncService, collection: C): AnyRoute[] {
  const document = wireSchemas[collection];
  return [
    defineRoute({
      method: 'get',
      path: `/sync/${collection}/pull`,
      summary: `Changes to ${collection} after a checkpoint, for the signed-in user`,
      tags,
      auth: true,
      query: pullQuerySchema,
      responses: {
        200: {
          description: 'Documents and the new checkpoint',
          schema: pullResponseSchema(document),
        },
      },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await sync.pull(collection, auth, query.checkpoint, query.limit),
      }),
    }),
    defineRoute({
      method: 'post',
      path: `/sync/${collection}/push`,
      summary: `Write ${collection} documents; answers the masters of the rows in conflict`,
      tags,
      auth: true,
      body: pushBodySchema(document),
      responses: {
        200: {
          description: 'Master documents in conflict (empty: all written)',
          schema: z.array(document),
        },
      },
      handle: async ({ auth, body }) => ({
        status: 200,
        body: await sync.push(collection, auth, body as PushRow<C>[]),
      }),
    }),
  ];
}
