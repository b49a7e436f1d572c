import {
  CloseButton,
  Combobox,
  Group,
  Highlight,
  Text,
  TextInput,
  useCombobox,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { Suggestion } from '../../../shared/marketplace/search.ts';
import { autocomplete } from './marketplace-api.ts';
import { useRemote } from './use-remote.ts';

const kindLabels: Record<Suggestion['kind'], string> = {
  category: 'Category',
  skill: 'Skill',
  project: 'Project',
};

/** Typing settles for this long before suggestions are asked for. */
const debounceMs = 200;

/**
 * The search field. As you type it suggests categories, skills and project titles (asked of
 * the server once typing pauses); Enter searches the words, a suggestion filters by it or
 * opens the project.
 */
export function SearchBox({
  initial,
  onSearch,
  onPick,
}: {
  initial: string;
  onSearch: (q: string) => void;
  onPick: (suggestion: Suggestion) => void;
}) {
  const [value, setValue] = useState(initial);
  const [typed] = useDebouncedValue(value.trim(), debounceMs);
  const combobox = useCombobox({
    onDropdownClose: () => combobox.resetSelectedOption(),
  });
  const suggestions = useRemote(typed ? `suggest:${typed}` : null, () =>
    autocomplete(typed).then((answer) => answer.suggestions),
  );
  const options = typed && value.trim() ? (suggestions.data ?? []) : [];

  const submit = () => {
    combobox.closeDropdown();
    onSearch(value.trim());
  };

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(optionValue) => {
        const picked = options.find((option) => `${option.kind}:${option.id}` === optionValue);
        combobox.closeDropdown();
        if (!picked) return;
        // A category or skill becomes a filter, so the words that found it are done with.
        if (picked.kind !== 'project') setValue('');
        onPick(picked);
      }}
    >
      <Combobox.Target>
        <TextInput
          role="combobox"
          aria-label="Search projects"
          placeholder="Search projects: skills, words, titles"
          leftSection={<IconSearch size={16} />}
          size="md"
          value={value}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            // With no suggestion chosen, Enter searches the words as typed.
            if (event.key === 'Enter' && combobox.getSelectedOptionIndex() === -1) {
              event.preventDefault();
              submit();
            }
          }}
          rightSection={
            value ? (
              <CloseButton
                aria-label="Clear search words"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => {
                  setValue('');
                  onSearch('');
                }}
              />
            ) : null
          }
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={options.length === 0}>
        <Combobox.Options aria-label="Suggestions">
          {options.map((option) => (
            <Combobox.Option
              key={`${option.kind}:${option.id}`}
              value={`${option.kind}:${option.id}`}
              aria-label={`${kindLabels[option.kind]}: ${option.text}`}
            >
              <Group justify="space-between" wrap="nowrap" gap="md">
                <Highlight highlight={typed.split(/\s+/)} size="sm" truncate>
                  {option.text}
                </Highlight>
                <Text size="xs" c="dimmed">
                  {kindLabels[option.kind]}
                </Text>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
