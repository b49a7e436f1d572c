import {
  freelancerProfileSchema,
  portfolioItemSchema,
  type CreatePortfolioItemInput,
  type FreelancerProfile,
  type UpdateFreelancerProfileInput,
  type UpdatePortfolioItemInput,
} from '../../../shared/marketplace/profiles.ts';
import { api } from '../session/api.ts';
import { setUser, useSessionStore } from '../session/session-store.ts';

/**
 * A freelancer's own marketplace profile: read as everyone reads it (`GET /freelancers/:id`),
 * written through `/me/profile` and `/me/portfolio`. Online only, like the rest of the
 * marketplace. Every answer is checked against the shared schema.
 */

const id = encodeURIComponent;

export const fetchOwnProfile = (userId: string) =>
  api.json('GET', `/freelancers/${id(userId)}`, freelancerProfileSchema);

/**
 * Headline, about text and rate are the account's own columns: the signed-in user the rest
 * of the app shows (dashboard, defaults) takes the saved values at once.
 */
export async function saveFreelancerProfile(
  input: UpdateFreelancerProfileInput,
): Promise<FreelancerProfile> {
  const profile = await api.json('PATCH', '/me/profile', freelancerProfileSchema, input);
  const user = useSessionStore.getState().user;
  if (user?.id === profile.id) {
    setUser({
      ...user,
      headline: profile.headline,
      bio: profile.bio,
      hourlyRate: profile.hourlyRate,
      updatedAt: profile.updatedAt,
    });
  }
  return profile;
}

export const addPortfolioItem = (input: CreatePortfolioItemInput) =>
  api.json('POST', '/me/portfolio', portfolioItemSchema, input);

/** Edits an item, or moves it (`{position}`) with the others shifting to make room. */
export const updatePortfolioItem = (itemId: string, input: UpdatePortfolioItemInput) =>
  api.json('PATCH', `/me/portfolio/${id(itemId)}`, portfolioItemSchema, input);

export const removePortfolioItem = (itemId: string) =>
  api.send('DELETE', `/me/portfolio/${id(itemId)}`);
