import { problemTypes } from '../../shared/api/problem.ts';
import { healthSchema } from '../../shared/api/health.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';

export function healthRoutes(db: Db, version: string): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness and database reachability',
      tags: ['Operations'],
      auth: false,
      responses: { 200: { description: 'Healthy', schema: healthSchema } },
      handle: async ({ log }) => {
        try {
          await db.ping();
        } catch (error) {
          log.error({ err: error }, 'health check: database unreachable');
          throw new HttpProblem(
            503,
            problemTypes.unavailable,
            'Database unreachable',
            'The server cannot reach its database.',
          );
        }
        return {
          status: 200,
          body: {
            status: 'ok',
            db: db.dialect,
            version,
            uptimeSeconds: Math.round(process.uptime()),
          },
        };
      },
    }),
  ];
}
