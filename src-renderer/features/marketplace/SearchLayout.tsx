import { Box, Group, Select, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A search screen: its heading, the search field, then the filters in a column beside the
 * results, with the results' own controls (sorting, saving) above them.
 */
export function SearchLayout({
  title,
  search,
  filters,
  controls,
  children,
}: {
  title: string;
  search: ReactNode;
  filters: ReactNode;
  controls: ReactNode;
  /** The results. */
  children: ReactNode;
}) {
  return (
    <Stack gap="md">
      <Title order={1} fz={28}>
        {title}
      </Title>
      {search}
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Box w={280} style={{ flexShrink: 0 }}>
          {filters}
        </Box>
        <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} component="section" aria-label="Results">
          {controls}
          {children}
        </Stack>
      </Group>
    </Stack>
  );
}

/**
 * How the results are sorted. "Best match" (`relevance`) is offered only with words to
 * match: without them there is nothing to rank by.
 */
export function SortSelect<S extends string>({
  options,
  value,
  hasWords,
  onChange,
}: {
  options: ReadonlyArray<{ value: S; label: string }>;
  value: S;
  hasWords: boolean;
  onChange: (sort: S) => void;
}) {
  return (
    <Select
      label="Sort by"
      size="xs"
      w={170}
      data={hasWords ? options : options.filter((option) => option.value !== 'relevance')}
      value={value}
      allowDeselect={false}
      onChange={(picked) => {
        const option = options.find((each) => each.value === picked);
        if (option) onChange(option.value);
      }}
    />
  );
}
