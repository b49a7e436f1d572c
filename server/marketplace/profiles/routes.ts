import {
  createPortfolioItemInputSchema,
  freelancerIdParamsSchema,
  freelancerProfileSchema,
  freelancerSearchPageSchema,
  freelancerSearchQuerySchema,
  portfolioItemIdParamsSchema,
  portfolioItemSchema,
  updateFreelancerProfileInputSchema,
  updatePortfolioItemInputSchema,
} from '../../../shared/marketplace/profiles.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { FreelancerSearch } from './freelancer-search.ts';
import type { PortfolioService } from './portfolio.ts';
import type { ProfileService } from './profile-service.ts';

const tags = ['Marketplace'];

export function profileRoutes(
  profiles: ProfileService,
  portfolio: PortfolioService,
  search: FreelancerSearch,
): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/freelancers/:id',
      summary:
        'A freelancer’s profile: skills with levels, portfolio, public stats, and whether you favorite and follow them',
      tags,
      auth: true,
      params: freelancerIdParamsSchema,
      responses: { 200: { description: 'The profile', schema: freelancerProfileSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await profiles.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/me/profile',
      summary: 'Edit your freelancer profile: headline, bio, hourly rate, skills with levels',
      tags,
      auth: true,
      body: updateFreelancerProfileInputSchema,
      responses: { 200: { description: 'Your profile', schema: freelancerProfileSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 200,
        body: await profiles.update(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/me/portfolio',
      summary: 'Add a piece of work to your portfolio (freelancers; at most 50)',
      tags,
      auth: true,
      body: createPortfolioItemInputSchema,
      responses: { 201: { description: 'Added, last in order', schema: portfolioItemSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: await portfolio.add(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/me/portfolio/:id',
      summary: 'Edit or move an item of your portfolio',
      tags,
      auth: true,
      params: portfolioItemIdParamsSchema,
      body: updatePortfolioItemInputSchema,
      responses: { 200: { description: 'The item', schema: portfolioItemSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await portfolio.update(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/portfolio/:id',
      summary: 'Remove an item from your portfolio',
      tags,
      auth: true,
      params: portfolioItemIdParamsSchema,
      responses: { 204: { description: 'Removed' } },
      handle: async ({ auth, params, meta }) => {
        await portfolio.remove(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/search/freelancers',
      summary:
        'Full-text search of freelancers with skill, rate, country and rating filters, by relevance, rating, rate or newest',
      tags,
      auth: true,
      query: freelancerSearchQuerySchema,
      responses: {
        200: { description: 'A page of matching freelancers', schema: freelancerSearchPageSchema },
      },
      handle: async ({ query }) => ({ status: 200, body: await search.search(query) }),
    }),
  ];
}
