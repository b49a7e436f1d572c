import { z } from 'zod';
import { emailSchema, roleSchema } from '../../shared/accounts/user.ts';
import type { Db } from '../db/database.ts';
import { problems } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';

export const publicUserSchema = z
  .object({ id: z.uuid(), name: z.string(), role: roleSchema })
  .meta({ id: 'PublicUser' });

/** Finding a person to talk to by their exact email: nothing is listed or searched. */
export function userRoutes(db: Db): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users/lookup',
      summary: 'A user by exact email address',
      tags: ['Accounts'],
      auth: true,
      query: z.object({ email: emailSchema }),
      responses: { 200: { description: 'The user', schema: publicUserSchema } },
      handle: async ({ query }) => {
        const user = await db.kysely
          .selectFrom('users')
          .select(['id', 'name', 'role'])
          .where('email', '=', query.email)
          .executeTakeFirst();
        if (!user) throw problems.notFound('Nobody has signed up with that email address.');
        return { status: 200, body: user };
      },
    }),
  ];
}
