import { Button, SegmentedControl, Select, Text } from '@mantine/core';
import { categoryOptions, useCategoryStore } from './category-store.ts';
import { AmountRange, FilterPanel, SkillsFilter } from './FilterFields.tsx';
import { hasFilters, postedWithinOptions, type SearchParams } from './search-params.ts';

/**
 * The filters beside the results. Pickers apply at once; a budget applies when you leave its
 * field or press Enter, once it reads as an amount.
 */
export function SearchFilters({
  params,
  onChange,
}: {
  params: SearchParams;
  onChange: (next: SearchParams) => void;
}) {
  const tree = useCategoryStore((state) => state.tree);
  const currency = params.currency ?? 'USD';
  const set = (patch: Partial<SearchParams>) => onChange({ ...params, ...patch });

  return (
    <FilterPanel>
      <Select
        label="Category"
        placeholder="Any category"
        data={categoryOptions(tree)}
        value={params.category ?? null}
        onChange={(value) => set({ category: value ?? undefined })}
        searchable
        clearable
        nothingFoundMessage="No category by that name"
      />
      <SkillsFilter
        description="Projects needing any of these."
        skills={params.skills}
        onChange={(skills) => set({ skills })}
      />
      <div>
        <Text size="sm" fw={500} id="budget-type-label" mb={4}>
          Budget type
        </Text>
        <SegmentedControl
          fullWidth
          aria-labelledby="budget-type-label"
          value={params.type ?? 'any'}
          onChange={(value) =>
            set({ type: value === 'fixed' || value === 'hourly' ? value : undefined })
          }
          data={[
            { value: 'any', label: 'Any' },
            { value: 'fixed', label: 'Fixed price' },
            { value: 'hourly', label: 'Hourly' },
          ]}
        />
      </div>
      <AmountRange
        key={`${params.budgetMin}-${params.budgetMax}-${currency}`}
        label="Budget"
        value={{ min: params.budgetMin, max: params.budgetMax, currency }}
        onChange={({ min, max, currency: picked }) =>
          set({ budgetMin: min, budgetMax: max, currency: picked })
        }
      />
      <Select
        label="Posted"
        placeholder="Any time"
        data={postedWithinOptions}
        value={params.since ?? null}
        onChange={(value) => set({ since: value ?? undefined })}
        clearable
      />
      {hasFilters(params) && (
        <Button
          variant="subtle"
          onClick={() => onChange({ q: params.q, sort: params.sort })}
          aria-label="Clear all filters"
        >
          Clear filters
        </Button>
      )}
    </FilterPanel>
  );
}
