import {
  addProjectAttachmentInputSchema,
  projectAttachmentListSchema,
  projectAttachmentParamsSchema,
  projectAttachmentSchema,
} from '../../../shared/marketplace/attachments.ts';
import {
  engagementPageQuerySchema,
  favoriteFreelancerPageSchema,
  favoriteFreelancerSchema,
  favoriteProjectPageSchema,
  favoriteProjectSchema,
  followPageSchema,
  followSchema,
  followStatsSchema,
  userIdParamsSchema,
} from '../../../shared/marketplace/engagement.ts';
import { projectIdParamsSchema, projectPageSchema } from '../../../shared/marketplace/projects.ts';
import {
  createSavedSearchInputSchema,
  renameSavedSearchInputSchema,
  savedSearchIdParamsSchema,
  savedSearchPageSchema,
  savedSearchResultsQuerySchema,
  savedSearchResultsSchema,
  savedSearchSchema,
} from '../../../shared/marketplace/saved-searches.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { ProjectAttachmentService } from './attachments.ts';
import type { FavoriteService } from './favorites.ts';
import type { FollowService } from './follows.ts';
import type { SavedSearchService } from './saved-searches.ts';
import type { TrendingService } from './trending.ts';

const tags = ['Marketplace'];
const removed = { 204: { description: 'Gone (or was never there)' } };

export interface EngagementServices {
  favorites: FavoriteService;
  follows: FollowService;
  savedSearches: SavedSearchService;
  trending: TrendingService;
  attachments: ProjectAttachmentService;
}

/**
 * Favorites, follows, saved searches, trending projects and project files. Mounted before the
 * project routes, so `/projects/trending` is not taken for a project id.
 */
export function engagementRoutes(services: EngagementServices): AnyRoute[] {
  const { favorites, follows, savedSearches, trending, attachments } = services;
  return [
    defineRoute({
      method: 'put',
      path: '/me/favorites/projects/:id',
      summary: 'Keep a project you can see among your favorites (idempotent)',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      responses: { 200: { description: 'The favorite', schema: favoriteProjectSchema } },
      handle: async ({ auth, params, meta }) => ({
        status: 200,
        body: await favorites.addProject(auth, params.id, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/favorites/projects/:id',
      summary: 'Drop a project from your favorites (idempotent)',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      responses: removed,
      handle: async ({ auth, params, meta }) => {
        await favorites.removeProject(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/favorites/projects',
      summary: 'Your favorite projects you can still see, most recently added first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: { 200: { description: 'A page of favorites', schema: favoriteProjectPageSchema } },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await favorites.listProjects(auth, query),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/me/favorites/freelancers/:id',
      summary: 'Keep a freelancer among your favorites (idempotent)',
      tags,
      auth: true,
      params: userIdParamsSchema,
      responses: { 200: { description: 'The favorite', schema: favoriteFreelancerSchema } },
      handle: async ({ auth, params, meta }) => ({
        status: 200,
        body: await favorites.addFreelancer(auth, params.id, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/favorites/freelancers/:id',
      summary: 'Drop a freelancer from your favorites (idempotent)',
      tags,
      auth: true,
      params: userIdParamsSchema,
      responses: removed,
      handle: async ({ auth, params, meta }) => {
        await favorites.removeFreelancer(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/favorites/freelancers',
      summary: 'Your favorite freelancers, most recently added first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: {
        200: { description: 'A page of favorites', schema: favoriteFreelancerPageSchema },
      },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await favorites.listFreelancers(auth, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/me/following/projects',
      summary: 'Open projects of the clients you follow, most recently published first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: { 200: { description: 'A page of projects', schema: projectPageSchema } },
      handle: async ({ auth, query }) => ({ status: 200, body: await follows.feed(auth, query) }),
    }),
    defineRoute({
      method: 'put',
      path: '/me/following/:id',
      summary: 'Follow a client or freelancer (idempotent; not yourself)',
      tags,
      auth: true,
      params: userIdParamsSchema,
      responses: { 200: { description: 'The follow', schema: followSchema } },
      handle: async ({ auth, params, meta }) => ({
        status: 200,
        body: await follows.follow(auth, params.id, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/following/:id',
      summary: 'Stop following someone (idempotent)',
      tags,
      auth: true,
      params: userIdParamsSchema,
      responses: removed,
      handle: async ({ auth, params, meta }) => {
        await follows.unfollow(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/following',
      summary: 'Whom you follow, most recent first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: { 200: { description: 'A page of people', schema: followPageSchema } },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await follows.list(auth, 'following', query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/me/followers',
      summary: 'Who follows you, most recent first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: { 200: { description: 'A page of people', schema: followPageSchema } },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await follows.list(auth, 'followers', query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/users/:id/follow-stats',
      summary: 'How many follow a client or freelancer, how many they follow, and whether you do',
      tags,
      auth: true,
      params: userIdParamsSchema,
      responses: { 200: { description: 'The counts', schema: followStatsSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await follows.stats(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/me/saved-searches',
      summary: 'Save a project search under a name (at most 50 each)',
      tags,
      auth: true,
      body: createSavedSearchInputSchema,
      responses: { 201: { description: 'Saved', schema: savedSearchSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 201,
        body: await savedSearches.create(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/me/saved-searches',
      summary: 'Your saved searches, newest first',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: {
        200: { description: 'A page of saved searches', schema: savedSearchPageSchema },
      },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await savedSearches.list(auth, query),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/me/saved-searches/:id',
      summary: 'Rename a saved search',
      tags,
      auth: true,
      params: savedSearchIdParamsSchema,
      body: renameSavedSearchInputSchema,
      responses: { 200: { description: 'Renamed', schema: savedSearchSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await savedSearches.rename(auth, params.id, body.name, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/saved-searches/:id',
      summary: 'Delete a saved search',
      tags,
      auth: true,
      params: savedSearchIdParamsSchema,
      responses: { 204: { description: 'Deleted' } },
      handle: async ({ auth, params, meta }) => {
        await savedSearches.remove(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/saved-searches/:id/results',
      summary: 'Run a saved search: a page of results, and how many are new since the last run',
      tags,
      auth: true,
      params: savedSearchIdParamsSchema,
      query: savedSearchResultsQuerySchema,
      responses: { 200: { description: 'The results', schema: savedSearchResultsSchema } },
      handle: async ({ auth, params, query }) => ({
        status: 200,
        body: await savedSearches.results(auth, params.id, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/trending',
      summary: 'Open public projects ranked by the last week’s viewers and proposals, by age',
      tags,
      auth: true,
      query: engagementPageQuerySchema,
      responses: { 200: { description: 'A page of projects', schema: projectPageSchema } },
      handle: async ({ query }) => ({ status: 200, body: await trending.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id/attachments',
      summary: 'The files of a project you can see, in order',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      responses: { 200: { description: 'The files', schema: projectAttachmentListSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: { items: await attachments.list(auth, params.id) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/projects/:id/attachments',
      summary: 'Attach a file you uploaded to your project (at most 10; draft or open)',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      body: addProjectAttachmentInputSchema,
      responses: { 201: { description: 'Attached', schema: projectAttachmentSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 201,
        body: await attachments.add(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/projects/:id/attachments/:hash',
      summary: 'Remove a file from your project',
      tags,
      auth: true,
      params: projectAttachmentParamsSchema,
      responses: { 204: { description: 'Removed' } },
      handle: async ({ auth, params, meta }) => {
        await attachments.remove(auth, params.id, params.hash, meta);
        return { status: 204 };
      },
    }),
  ];
}
