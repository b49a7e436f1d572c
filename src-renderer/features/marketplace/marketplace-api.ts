import { contractSchema } from '../../../shared/marketplace/contracts.ts';
import {
  projectPageSchema,
  projectSchema,
  type CreateProjectInput,
  type ProjectStatus,
  type UpdateProjectInput,
} from '../../../shared/marketplace/projects.ts';
import {
  proposalPageSchema,
  proposalSchema,
  type AcceptProposalInput,
  type CreateProposalInput,
  type UpdateProposalInput,
} from '../../../shared/marketplace/proposals.ts';
import { autocompleteSchema, projectSearchPageSchema } from '../../../shared/marketplace/search.ts';
import {
  favoriteFreelancerPageSchema,
  favoriteFreelancerSchema,
  favoriteProjectPageSchema,
  favoriteProjectSchema,
  followSchema,
  followStatsSchema,
} from '../../../shared/marketplace/engagement.ts';
import {
  freelancerProfileSchema,
  freelancerSearchPageSchema,
} from '../../../shared/marketplace/profiles.ts';
import { reviewPageSchema } from '../../../shared/marketplace/reviews.ts';
import {
  savedSearchPageSchema,
  savedSearchResultsSchema,
  savedSearchSchema,
  type SavedSearchFilters,
} from '../../../shared/marketplace/saved-searches.ts';
import { categoryTreeSchema, skillPageSchema } from '../../../shared/marketplace/taxonomy.ts';
import { api } from '../session/api.ts';
import type { FreelancerSearchRequest } from './freelancer-search-params.ts';
import type { SearchRequest } from './search-params.ts';

/**
 * The marketplace's REST calls (online only: the server answers, nothing here is synced).
 * Every answer is checked against the shared schema the server answers with.
 */

const id = encodeURIComponent;

/** `{a: 1, b: undefined}` → `?a=1`: unset filters are left out, not sent empty. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const fetchCategoryTree = () => api.json('GET', '/categories', categoryTreeSchema);

export const fetchSkills = (cursor?: string) =>
  api.json('GET', `/skills${queryString({ limit: 100, cursor })}`, skillPageSchema);

export const listProjects = (query: { categoryId?: string; mine?: boolean; cursor?: string }) =>
  api.json(
    'GET',
    `/projects${queryString({
      categoryId: query.categoryId,
      mine: query.mine ? 'true' : undefined,
      cursor: query.cursor,
      limit: 20,
    })}`,
    projectPageSchema,
  );

export const fetchProject = (projectId: string) =>
  api.json('GET', `/projects/${id(projectId)}`, projectSchema);

export const createProject = (input: CreateProjectInput) =>
  api.json('POST', '/projects', projectSchema, input);

export const updateProject = (projectId: string, input: UpdateProjectInput) =>
  api.json('PATCH', `/projects/${id(projectId)}`, projectSchema, input);

export const changeProjectStatus = (projectId: string, to: ProjectStatus) =>
  api.json('POST', `/projects/${id(projectId)}/status`, projectSchema, { to });

export const searchProjects = (request: SearchRequest) =>
  api.json(
    'GET',
    `/search/projects${queryString({ ...request, limit: 20 })}`,
    projectSearchPageSchema,
  );

export const autocomplete = (q: string) =>
  api.json('GET', `/search/autocomplete${queryString({ q })}`, autocompleteSchema);

export const createProposal = (projectId: string, input: CreateProposalInput) =>
  api.json('POST', `/projects/${id(projectId)}/proposals`, proposalSchema, input);

/** All of them for the project's client; the caller's own for anyone else. */
export const listProjectProposals = (projectId: string, cursor?: string) =>
  api.json(
    'GET',
    `/projects/${id(projectId)}/proposals${queryString({ cursor, limit: 50 })}`,
    proposalPageSchema,
  );

export const listMyProposals = (cursor?: string) =>
  api.json('GET', `/proposals/mine${queryString({ cursor, limit: 20 })}`, proposalPageSchema);

export const fetchProposal = (proposalId: string) =>
  api.json('GET', `/proposals/${id(proposalId)}`, proposalSchema);

export const updateProposal = (proposalId: string, input: UpdateProposalInput) =>
  api.json('PATCH', `/proposals/${id(proposalId)}`, proposalSchema, input);

export type ProposalDecision = 'withdraw' | 'shortlist' | 'reject';

export const decideProposal = (proposalId: string, decision: ProposalDecision) =>
  api.json('POST', `/proposals/${id(proposalId)}/${decision}`, proposalSchema);

/** Creates the contract (exactly once, however often it is clicked). */
export const acceptProposal = (proposalId: string, input: AcceptProposalInput) =>
  api.json('POST', `/proposals/${id(proposalId)}/accept`, contractSchema, input);

/** Open public projects ranked by the last week's viewers and proposals. */
export const listTrendingProjects = (cursor?: string) =>
  api.json('GET', `/projects/trending${queryString({ cursor, limit: 5 })}`, projectPageSchema);

export const fetchFreelancer = (freelancerId: string) =>
  api.json('GET', `/freelancers/${id(freelancerId)}`, freelancerProfileSchema);

export const searchFreelancers = (request: FreelancerSearchRequest) =>
  api.json(
    'GET',
    `/search/freelancers${queryString({ ...request, limit: 20 })}`,
    freelancerSearchPageSchema,
  );

/** Public reviews someone received, with their average. */
export const listUserReviews = (userId: string, cursor?: string) =>
  api.json(
    'GET',
    `/users/${id(userId)}/reviews${queryString({ cursor, limit: 10 })}`,
    reviewPageSchema,
  );

export const favoriteProject = (projectId: string) =>
  api.json('PUT', `/me/favorites/projects/${id(projectId)}`, favoriteProjectSchema);

export const unfavoriteProject = (projectId: string) =>
  api.send('DELETE', `/me/favorites/projects/${id(projectId)}`);

export const listFavoriteProjects = (cursor?: string) =>
  api.json(
    'GET',
    `/me/favorites/projects${queryString({ cursor, limit: 20 })}`,
    favoriteProjectPageSchema,
  );

export const favoriteFreelancer = (freelancerId: string) =>
  api.json('PUT', `/me/favorites/freelancers/${id(freelancerId)}`, favoriteFreelancerSchema);

export const unfavoriteFreelancer = (freelancerId: string) =>
  api.send('DELETE', `/me/favorites/freelancers/${id(freelancerId)}`);

export const listFavoriteFreelancers = (cursor?: string) =>
  api.json(
    'GET',
    `/me/favorites/freelancers${queryString({ cursor, limit: 20 })}`,
    favoriteFreelancerPageSchema,
  );

/** Follow a client or freelancer (idempotent). */
export const followUser = (userId: string) =>
  api.json('PUT', `/me/following/${id(userId)}`, followSchema);

export const unfollowUser = (userId: string) => api.send('DELETE', `/me/following/${id(userId)}`);

/** How many follow someone, how many they follow, and whether I do. */
export const fetchFollowStats = (userId: string) =>
  api.json('GET', `/users/${id(userId)}/follow-stats`, followStatsSchema);

/** Open projects of the clients I follow, most recently published first. */
export const listFollowedClientsProjects = (cursor?: string) =>
  api.json('GET', `/me/following/projects${queryString({ cursor, limit: 5 })}`, projectPageSchema);

export const saveSearch = (name: string, query: Partial<SavedSearchFilters>) =>
  api.json('POST', '/me/saved-searches', savedSearchSchema, { name, query });

export const listSavedSearches = (cursor?: string) =>
  api.json('GET', `/me/saved-searches${queryString({ cursor, limit: 20 })}`, savedSearchPageSchema);

export const deleteSavedSearch = (savedSearchId: string) =>
  api.send('DELETE', `/me/saved-searches/${id(savedSearchId)}`);

/** Runs a saved search: its first page (without a cursor) counts as a run. */
export const runSavedSearch = (savedSearchId: string, cursor?: string) =>
  api.json(
    'GET',
    `/me/saved-searches/${id(savedSearchId)}/results${queryString({ cursor, limit: 20 })}`,
    savedSearchResultsSchema,
  );
