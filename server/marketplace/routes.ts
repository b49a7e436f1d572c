import {
  changeStatusInputSchema,
  createProjectInputSchema,
  projectIdParamsSchema,
  projectListQuerySchema,
  projectPageSchema,
  projectSchema,
  updateProjectInputSchema,
} from '../../shared/marketplace/projects.ts';
import {
  categoryIdParamsSchema,
  categoryRowSchema,
  categoryTreeSchema,
  createCategoryInputSchema,
  createTermInputSchema,
  skillPageSchema,
  skillSchema,
  tagSchema,
  tagPageSchema,
  termListQuerySchema,
  updateCategoryInputSchema,
} from '../../shared/marketplace/taxonomy.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { ProjectService } from './projects.ts';
import type { TaxonomyService } from './taxonomy.ts';

const tags = ['Marketplace'];

export function marketplaceRoutes(taxonomy: TaxonomyService, projects: ProjectService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/categories',
      summary: 'The category tree with open public project counts per subtree',
      tags,
      auth: 'optional',
      responses: {
        200: { description: 'Root categories and their children', schema: categoryTreeSchema },
      },
      handle: async ({ auth }) => ({
        status: 200,
        body: { categories: await taxonomy.tree(auth) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/categories',
      summary: 'Create a category (administrators)',
      tags,
      auth: true,
      body: createCategoryInputSchema,
      responses: { 201: { description: 'Created', schema: categoryRowSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: await taxonomy.createCategory(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/categories/:id',
      summary: 'Rename, move, reorder or (de)activate a category (administrators)',
      tags,
      auth: true,
      params: categoryIdParamsSchema,
      body: updateCategoryInputSchema,
      responses: { 200: { description: 'Updated', schema: categoryRowSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await taxonomy.updateCategory(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/skills',
      summary: 'Skills by slug, a page at a time',
      tags,
      auth: 'optional',
      query: termListQuerySchema,
      responses: { 200: { description: 'A page of skills', schema: skillPageSchema } },
      handle: async ({ query }) => ({ status: 200, body: await taxonomy.listSkills(query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/skills',
      summary: 'Create a skill (administrators)',
      tags,
      auth: true,
      body: createTermInputSchema,
      responses: { 201: { description: 'Created', schema: skillSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: await taxonomy.createTerm(auth, 'skills', body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/tags',
      summary: 'Tags by slug with how many projects use each, a page at a time',
      tags,
      auth: 'optional',
      query: termListQuerySchema,
      responses: { 200: { description: 'A page of tags', schema: tagPageSchema } },
      handle: async ({ query }) => ({ status: 200, body: await taxonomy.listTags(query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tags',
      summary: 'Create a tag (administrators)',
      tags,
      auth: true,
      body: createTermInputSchema,
      responses: { 201: { description: 'Created', schema: tagSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: { ...(await taxonomy.createTerm(auth, 'tags', body, meta)), usageCount: 0 },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/projects',
      summary: 'Post a project (clients): a draft, or open at once with `publish`',
      tags,
      auth: true,
      body: createProjectInputSchema,
      responses: { 201: { description: 'Created', schema: projectSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: await projects.create(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects',
      summary: 'Open public projects newest first, or with `mine=true` your own in every status',
      tags,
      auth: true,
      query: projectListQuerySchema,
      responses: { 200: { description: 'A page of projects', schema: projectPageSchema } },
      handle: async ({ auth, query }) => ({ status: 200, body: await projects.list(auth, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id',
      summary: 'A project; viewing another client’s project counts one view per viewer',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      responses: { 200: { description: 'The project', schema: projectSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await projects.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/projects/:id',
      summary: 'Edit your project while it is a draft or open',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      body: updateProjectInputSchema,
      responses: { 200: { description: 'The updated project', schema: projectSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await projects.update(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/projects/:id/status',
      summary: 'Move your project along its lifecycle (409 names the allowed statuses)',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      body: changeStatusInputSchema,
      responses: { 200: { description: 'The project in its new status', schema: projectSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await projects.changeStatus(auth, params.id, body.to, meta),
      }),
    }),
  ];
}
