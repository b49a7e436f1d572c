import {
  freelancerSearchSorts,
  type FreelancerSearchSort,
} from '../../../shared/marketplace/profiles.ts';
import { isKnownCurrency } from '../../../shared/money/money.ts';
import { minorFromAddress } from './search-params.ts';

/** The query string of `GET /search/freelancers`. */
export type FreelancerSearchRequest = {
  q?: string;
  skills?: string;
  rateMin?: number;
  rateMax?: number;
  currency?: string;
  country?: string;
  minRating?: number;
  sort?: 'relevance' | 'rating' | 'rate_low' | 'rate_high' | 'newest';
  cursor?: string;
};

/** The freelancer search's state, kept in the address like the project search's. */
export type FreelancerSearchParams = {
  q?: string;
  /** Skill names, comma-separated: freelancers with every one of them. */
  skills?: string;
  /** Minor units of `currency`. */
  rateMin?: number;
  rateMax?: number;
  currency?: string;
  minRating?: number;
  sort?: FreelancerSearchSort;
};

export function validateFreelancerSearch(search: Record<string, unknown>): FreelancerSearchParams {
  const rating = Number(search.minRating);
  const params: FreelancerSearchParams = {
    q: typeof search.q === 'string' && search.q.trim() ? search.q.slice(0, 200) : undefined,
    skills:
      typeof search.skills === 'string' && search.skills.trim()
        ? search.skills.slice(0, 2000)
        : undefined,
    rateMin: minorFromAddress(search.rateMin),
    rateMax: minorFromAddress(search.rateMax),
    currency:
      typeof search.currency === 'string' && isKnownCurrency(search.currency)
        ? search.currency
        : undefined,
    minRating: rating >= 1 && rating <= 5 ? rating : undefined,
    sort: freelancerSearchSorts.find((sort) => sort === search.sort),
  };
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
}

/** Rates compare only within one currency: asking by rate brings the currency along. */
export function freelancerSearchRequest(params: FreelancerSearchParams): FreelancerSearchRequest {
  const byRate =
    params.rateMin !== undefined ||
    params.rateMax !== undefined ||
    params.sort === 'rate_low' ||
    params.sort === 'rate_high';
  return {
    q: params.q,
    skills: params.skills,
    rateMin: params.rateMin,
    rateMax: params.rateMax,
    currency: byRate ? (params.currency ?? 'USD') : params.currency,
    minRating: params.minRating,
    sort: params.sort,
  };
}
