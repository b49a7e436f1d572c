import { Box, Button, Group, Paper, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { currencyOptions } from '../../ui/money.ts';
import { amountText, parseAmount } from './money-fields.ts';
import { skillList } from './search-params.ts';
import { useSkillNames } from './skills.ts';

/** The filters beside a search's results, one field under the other. */
export function FilterPanel({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Filters">
      <Stack gap="md">{children}</Stack>
    </Paper>
  );
}

/** Skill names (comma-separated in the address), suggested from the marketplace's own. */
export function SkillsFilter({
  description,
  skills,
  onChange,
}: {
  description: string;
  skills: string | undefined;
  onChange: (skills: string | undefined) => void;
}) {
  const skillNames = useSkillNames();
  return (
    <TagsInput
      label="Skills"
      description={description}
      placeholder="Add a skill"
      data={skillNames}
      value={skillList(skills)}
      onChange={(names) => onChange(names.length ? names.join(',') : undefined)}
      clearable
    />
  );
}

export type AmountRangeValue = { min?: number; max?: number; currency: string };

const currencies = currencyOptions();

/**
 * A range of money ("Budget from", "Budget to", "Budget currency"). The amounts apply when
 * their field is left or Enter is pressed, once they read as amounts and the lower is not
 * above the upper; a new currency keeps the figures typed, where they still parse. Give it
 * a `key` of its value, so that a change from elsewhere (a cleared filter) shows.
 */
export function AmountRange({
  label,
  value,
  onChange,
  clearLabel,
}: {
  /** What the amounts are of: "Budget", "Rate". */
  label: string;
  value: AmountRangeValue;
  onChange: (value: AmountRangeValue) => void;
  /** A button that clears both amounts ("Any rate"), shown while either is set. */
  clearLabel?: string;
}) {
  const { currency } = value;
  const [min, setMin] = useState(amountText(value.min, currency));
  const [max, setMax] = useState(amountText(value.max, currency));
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
    const next = {
      min: parsedMin.amountMinor ?? undefined,
      max: parsedMax.amountMinor ?? undefined,
      currency,
    };
    if (next.min !== value.min || next.max !== value.max) onChange(next);
  };
  const onEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter') apply();
  };

  return (
    <Stack gap={6}>
      <Group grow gap="xs" align="flex-start">
        <TextInput
          label={`${label} from`}
          inputMode="decimal"
          placeholder="0"
          value={min}
          onChange={(event) => setMin(event.currentTarget.value)}
          onBlur={apply}
          onKeyDown={onEnter}
          error={!parsedMin.ok ? parsedMin.error : rangeError}
        />
        <TextInput
          label={`${label} to`}
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
        label={`${label} currency`}
        data={currencies}
        value={currency}
        searchable
        allowDeselect={false}
        onChange={(next) => {
          if (!next) return;
          const newMin = parseAmount(min, next);
          const newMax = parseAmount(max, next);
          onChange({
            currency: next,
            min: newMin.ok ? (newMin.amountMinor ?? undefined) : undefined,
            max: newMax.ok ? (newMax.amountMinor ?? undefined) : undefined,
          });
        }}
      />
      {clearLabel && (value.min !== undefined || value.max !== undefined) && (
        <Box>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => onChange({ min: undefined, max: undefined, currency })}
          >
            {clearLabel}
          </Button>
        </Box>
      )}
    </Stack>
  );
}
