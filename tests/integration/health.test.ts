import { describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { client } from '../support/http.ts';
import { startTestServer } from '../support/test-server.ts';

describe('health', () => {
  it.each(['sqlite', 'postgres'] as const)(
    'answers 503 with a problem when %s is unreachable',
    async (dialect) => {
      const server = await startTestServer({ dialect });
      try {
        const api = client(server.baseUrl);
        expect((await api.get('/health')).status).toBe(200);
        await server.db.kysely.destroy();
        const answer = await api.get<Problem>('/health');
        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({
          type: problemTypes.unavailable,
          title: 'Database unreachable',
        });
      } finally {
        await server.close();
      }
    },
  );
});
