import { z } from 'zod';
import { emailJobQuerySchema, emailJobSchema } from '../../shared/email/email-jobs.ts';
import type { Db } from '../db/database.ts';
import { problems } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';

/** Admins watch the outbox: what is waiting, what failed and why. */
export function emailAdminRoutes(db: Db): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/admin/email-jobs',
      summary: 'Email jobs, newest first (admins only)',
      tags: ['Admin'],
      auth: true,
      query: emailJobQuerySchema,
      responses: { 200: { description: 'Email jobs', schema: z.array(emailJobSchema) } },
      handle: async ({ auth, query }) => {
        if (auth.role !== 'admin') throw problems.forbidden('Only an admin sees the email jobs.');
        let select = db.kysely.selectFrom('email_jobs').selectAll();
        if (query.status) select = select.where('status', '=', query.status);
        const rows = await select
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(query.limit)
          .execute();
        return {
          status: 200,
          body: rows.map((row) => ({
            id: row.id,
            to: row.recipient,
            template: row.template,
            status: row.status,
            attempts: row.attempts,
            nextAttemptAt: row.next_attempt_at,
            lastError: row.last_error,
            createdAt: row.created_at,
            sentAt: row.sent_at,
          })),
        };
      },
    }),
  ];
}
