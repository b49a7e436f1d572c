import {
  autocompleteQuerySchema,
  autocompleteSchema,
  projectSearchPageSchema,
  projectSearchQuerySchema,
} from '../../../shared/marketplace/search.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { ProjectSearch } from './project-search.ts';

const tags = ['Marketplace'];

export function searchRoutes(search: ProjectSearch): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/search/projects',
      summary:
        'Full-text search of open public projects with filters, by relevance, newest or budget',
      tags,
      auth: true,
      query: projectSearchQuerySchema,
      responses: {
        200: { description: 'A page of matching projects', schema: projectSearchPageSchema },
      },
      handle: async ({ query }) => ({ status: 200, body: await search.search(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/search/autocomplete',
      summary: 'Up to 8 categories, skills and project titles for what has been typed so far',
      tags,
      auth: true,
      query: autocompleteQuerySchema,
      responses: { 200: { description: 'Suggestions', schema: autocompleteSchema } },
      handle: async ({ query }) => ({
        status: 200,
        body: { suggestions: await search.autocomplete(query.q) },
      }),
    }),
  ];
}
