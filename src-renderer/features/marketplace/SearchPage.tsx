import { Group, Text } from '@mantine/core';
import { IconSearchOff } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { ProjectSearchSort, Suggestion } from '../../../shared/marketplace/search.ts';
import { ensureCategories, findCategory, useCategoryStore } from './category-store.ts';
import { Empty, PagedItems } from './ListStates.tsx';
import { searchProjects } from './marketplace-api.ts';
import { ProjectCard } from './ProjectCard.tsx';
import { SaveSearchButton } from './SaveSearchButton.tsx';
import { SearchBox } from './SearchBox.tsx';
import { SearchFilters } from './SearchFilters.tsx';
import { SearchLayout, SortSelect } from './SearchLayout.tsx';
import {
  hasFilters,
  searchKey,
  searchRequest,
  skillList,
  type SearchParams,
} from './search-params.ts';
import { usePagedList } from './use-paged-list.ts';

const sortOptions: Array<{ value: ProjectSearchSort; label: string }> = [
  { value: 'relevance', label: 'Best match' },
  { value: 'newest', label: 'Newest' },
  { value: 'budget', label: 'Highest budget' },
];

/** Full-text search of open projects with filters, sorting and "load more". */
export function SearchPage({ params }: { params: SearchParams }) {
  const navigate = useNavigate();
  const tree = useCategoryStore((state) => state.tree);
  useEffect(ensureCategories, []);

  const results = usePagedList(searchKey(params), (cursor) =>
    searchProjects({ ...searchRequest(params), cursor }),
  );

  const show = (next: SearchParams) => void navigate({ to: '/marketplace/search', search: next });

  const pick = (suggestion: Suggestion) => {
    if (suggestion.kind === 'project') {
      void navigate({
        to: '/marketplace/projects/$projectId',
        params: { projectId: suggestion.id },
      });
    } else if (suggestion.kind === 'category') {
      show({ ...params, q: undefined, category: suggestion.id });
    } else {
      const skills = [...new Set([...skillList(params.skills), suggestion.text])];
      show({ ...params, q: undefined, skills: skills.join(',') });
    }
  };

  // Without words there is nothing to rank by: the server orders by newest.
  const sort = params.sort ?? (params.q ? 'relevance' : 'newest');
  const category = findCategory(tree, params.category);

  return (
    <SearchLayout
      title="Search projects"
      search={
        <SearchBox
          initial={params.q ?? ''}
          onSearch={(q) => show({ ...params, q: q || undefined })}
          onPick={pick}
        />
      }
      filters={<SearchFilters params={params} onChange={show} />}
      controls={
        <Group justify="space-between" align="flex-end">
          <Text size="sm" c="dimmed" aria-live="polite">
            {results.items === undefined
              ? 'Searching…'
              : resultsSummary(
                  results.items.length,
                  results.hasMore,
                  params.q,
                  category?.node.name,
                )}
          </Text>
          <Group gap="xs" align="flex-end">
            <SaveSearchButton params={params} />
            <SortSelect
              options={sortOptions}
              value={sort}
              hasWords={Boolean(params.q)}
              onChange={(picked) => show({ ...params, sort: picked })}
            />
          </Group>
        </Group>
      }
    >
      <PagedItems
        list={results}
        label="Search results"
        loadingLabel="Searching projects"
        errorTitle="Could not search"
        empty={
          <Empty
            icon={<IconSearchOff size={28} />}
            title="No open projects match"
            description={
              hasFilters(params)
                ? 'Try fewer filters, or other words.'
                : 'Try other words, or browse by category.'
            }
          />
        }
        render={(hit) => <ProjectCard project={hit} />}
      />
    </SearchLayout>
  );
}

function resultsSummary(
  shown: number,
  more: boolean,
  q: string | undefined,
  category: string | undefined,
): string {
  const count = more ? `${shown}+` : String(shown);
  const what = shown === 1 && !more ? 'open project' : 'open projects';
  const words = q ? ` for “${q}”` : '';
  const where = category ? ` in ${category}` : '';
  return `${count} ${what}${words}${where}`;
}
