import { projectSearchSorts, type ProjectSearchSort } from '../../../shared/marketplace/search.ts';
import { isKnownCurrency } from '../../../shared/money/money.ts';

/** The query string of `GET /search/projects`, as the search screen's filters build it. */
export type SearchRequest = {
  q?: string;
  categoryId?: string;
  skills?: string;
  budgetMin?: number;
  budgetMax?: number;
  currency?: string;
  type?: 'fixed' | 'hourly';
  postedSince?: string;
  sort?: 'relevance' | 'newest' | 'budget';
  cursor?: string;
};

/**
 * The search screen's state lives in the address (`#/marketplace/search?q=…&type=hourly`), so
 * Back returns to the same results and a search can be kept or shared. Anything malformed in
 * it is dropped rather than sent to the server.
 */
export type SearchParams = {
  q?: string;
  category?: string;
  /** Skill names, comma-separated. */
  skills?: string;
  /** Minor units of `currency`. */
  budgetMin?: number;
  budgetMax?: number;
  currency?: string;
  type?: 'fixed' | 'hourly';
  /** Posted within this many days. */
  since?: PostedWithin;
  sort?: ProjectSearchSort;
};

export const postedWithinOptions = [
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
] as const;
export type PostedWithin = (typeof postedWithinOptions)[number]['value'];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() && value.length <= max ? value : undefined;

/** An amount in minor units from the address, or undefined when it is not one. */
export const minorFromAddress = (value: unknown) => {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0
    ? number
    : undefined;
};

export function validateSearchParams(search: Record<string, unknown>): SearchParams {
  const params: SearchParams = {
    q: text(search.q, 200),
    category:
      typeof search.category === 'string' && uuid.test(search.category)
        ? search.category
        : undefined,
    skills: text(search.skills, 2000),
    budgetMin: minorFromAddress(search.budgetMin),
    budgetMax: minorFromAddress(search.budgetMax),
    currency:
      typeof search.currency === 'string' && isKnownCurrency(search.currency)
        ? search.currency
        : undefined,
    type: search.type === 'fixed' || search.type === 'hourly' ? search.type : undefined,
    since: postedWithinOptions.find((option) => option.value === String(search.since))?.value,
    sort: projectSearchSorts.find((sort) => sort === search.sort),
  };
  // Unset keys stay out of the address altogether.
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
}

/** A stable text of the filters: the list reloads exactly when it changes. */
export function searchKey(params: SearchParams): string {
  return JSON.stringify(validateSearchParams(params));
}

export function searchRequest(params: SearchParams, now = Date.now()): SearchRequest {
  return {
    q: params.q,
    categoryId: params.category,
    skills: params.skills,
    budgetMin: params.budgetMin,
    budgetMax: params.budgetMax,
    // A budget is money: an amount means nothing without its currency.
    currency:
      params.budgetMin !== undefined || params.budgetMax !== undefined
        ? (params.currency ?? 'USD')
        : params.currency,
    type: params.type,
    postedSince: params.since
      ? new Date(now - Number(params.since) * 24 * 60 * 60 * 1000).toISOString()
      : undefined,
    sort: params.sort,
  };
}

export function skillList(skills: string | undefined): string[] {
  return (skills ?? '')
    .split(',')
    .map((skill) => skill.trim())
    .filter(Boolean);
}

export function hasFilters(params: SearchParams): boolean {
  return Boolean(
    params.category ||
    params.skills ||
    params.budgetMin !== undefined ||
    params.budgetMax !== undefined ||
    params.type ||
    params.since,
  );
}
