import type {
  SavedSearch,
  SavedSearchFilters,
} from '../../../shared/marketplace/saved-searches.ts';
import { budgetTypeLabel } from './marketplace-format.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { skillList, validateSearchParams, type SearchParams } from './search-params.ts';

/**
 * What a saved search keeps of the search screen's filters. "Posted within" is left out: a
 * saved search already tells which results are new since it last ran.
 */
export function savedFiltersOf(params: SearchParams): Partial<SavedSearchFilters> {
  const skills = skillList(params.skills);
  const byBudget = params.budgetMin !== undefined || params.budgetMax !== undefined;
  return {
    q: params.q ?? '',
    ...(params.category ? { categoryId: params.category } : {}),
    ...(skills.length ? { skills } : {}),
    ...(params.budgetMin !== undefined ? { budgetMin: params.budgetMin } : {}),
    ...(params.budgetMax !== undefined ? { budgetMax: params.budgetMax } : {}),
    ...(params.currency || byBudget ? { currency: params.currency ?? 'USD' } : {}),
    ...(params.type ? { type: params.type } : {}),
    ...(params.sort ? { sort: params.sort } : {}),
  };
}

/** A saved search back on the search screen. */
export function searchParamsOf(search: SavedSearch): SearchParams {
  const query = search.query;
  return validateSearchParams({
    q: query.q,
    category: query.categoryId,
    skills: query.skills?.join(','),
    budgetMin: query.budgetMin,
    budgetMax: query.budgetMax,
    currency: query.currency,
    type: query.type,
    sort: query.sort,
  });
}

/** "“react” · Hourly · from $50.00 · React, TypeScript": what a saved search looks for. */
export function describeFilters(search: SavedSearch, categoryName?: string): string {
  const query = search.query;
  const parts: string[] = [];
  if (query.q) parts.push(`“${query.q}”`);
  if (categoryName) parts.push(categoryName);
  if (query.type) parts.push(budgetTypeLabel(query.type));
  const currency = query.currency ?? 'USD';
  if (query.budgetMin !== undefined && query.budgetMax !== undefined) {
    parts.push(
      `${formatMoney({ amountMinor: query.budgetMin, currency })} – ${formatMoney({ amountMinor: query.budgetMax, currency })}`,
    );
  } else if (query.budgetMin !== undefined) {
    parts.push(`from ${formatMoney({ amountMinor: query.budgetMin, currency })}`);
  } else if (query.budgetMax !== undefined) {
    parts.push(`up to ${formatMoney({ amountMinor: query.budgetMax, currency })}`);
  }
  if (query.skills?.length) parts.push(query.skills.join(', '));
  return parts.length ? parts.join(' · ') : 'Every open project';
}
