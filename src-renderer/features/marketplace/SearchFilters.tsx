import {
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { currencyOptions } from '../../ui/money.ts';
import { categoryOptions, useCategoryStore } from './category-store.ts';
import { amountText, parseAmount } from './money-fields.ts';
import { useSkillNames } from './skills.ts';
import { hasFilters, postedWithinOptions, skillList, type SearchParams } from './search-params.ts';

const currencies = currencyOptions();

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
  const skillNames = useSkillNames();
  const currency = params.currency ?? 'USD';
  const set = (patch: Partial<SearchParams>) => onChange({ ...params, ...patch });

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Filters">
      <Stack gap="md">
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
        <TagsInput
          label="Skills"
          description="Projects needing any of these."
          placeholder="Add a skill"
          data={skillNames}
          value={skillList(params.skills)}
          onChange={(skills) => set({ skills: skills.length ? skills.join(',') : undefined })}
          clearable
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
        <BudgetRange
          key={`${params.budgetMin}-${params.budgetMax}-${currency}`}
          params={params}
          currency={currency}
          onChange={set}
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
      </Stack>
    </Paper>
  );
}

function BudgetRange({
  params,
  currency,
  onChange,
}: {
  params: SearchParams;
  currency: string;
  onChange: (patch: Partial<SearchParams>) => void;
}) {
  const [min, setMin] = useState(amountText(params.budgetMin, currency));
  const [max, setMax] = useState(amountText(params.budgetMax, currency));
  const parsedMin = parseAmount(min, currency);
  const parsedMax = parseAmount(max, currency);
  const rangeError =
    parsedMin.ok &&
    parsedMax.ok &&
    parsedMin.amountMinor !== null &&
    parsedMax.amountMinor !== null &&
    parsedMin.amountMinor > parsedMax.amountMinor
      ? 'Must not exceed the maximum'
      : null;

  const apply = () => {
    if (!parsedMin.ok || !parsedMax.ok || rangeError) return;
    const budgetMin = parsedMin.amountMinor ?? undefined;
    const budgetMax = parsedMax.amountMinor ?? undefined;
    if (budgetMin === params.budgetMin && budgetMax === params.budgetMax) return;
    onChange({ budgetMin, budgetMax, currency });
  };
  const onEnter = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') apply();
  };

  return (
    <Stack gap={6}>
      <Group grow gap="xs" align="flex-start">
        <TextInput
          label="Budget from"
          inputMode="decimal"
          placeholder="0"
          value={min}
          onChange={(event) => setMin(event.currentTarget.value)}
          onBlur={apply}
          onKeyDown={onEnter}
          error={!parsedMin.ok ? parsedMin.error : rangeError}
        />
        <TextInput
          label="Budget to"
          inputMode="decimal"
          placeholder="Any"
          value={max}
          onChange={(event) => setMax(event.currentTarget.value)}
          onBlur={apply}
          onKeyDown={onEnter}
          error={!parsedMax.ok ? parsedMax.error : null}
        />
      </Group>
      <Select
        label="Budget currency"
        data={currencies}
        value={currency}
        searchable
        allowDeselect={false}
        onChange={(value) => {
          if (!value) return;
          // The amounts keep their figures in the new currency, where they still parse.
          const newMin = parseAmount(min, value);
          const newMax = parseAmount(max, value);
          onChange({
            currency: value,
            budgetMin: newMin.ok ? (newMin.amountMinor ?? undefined) : undefined,
            budgetMax: newMax.ok ? (newMax.amountMinor ?? undefined) : undefined,
          });
        }}
      />
    </Stack>
  );
}
