import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { IconSearchOff } from '@tabler/icons-react';
import { useEffect } from 'react';
import type { SavedSearchResults } from '../../../shared/marketplace/saved-searches.ts';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { ButtonLink } from '../../ui/links.tsx';
import { ensureCategories, findCategory, useCategoryStore } from './category-store.ts';
import { Empty, LoadError, PagedItems, PageLoader } from './ListStates.tsx';
import { runSavedSearch } from './marketplace-api.ts';
import { countText } from './marketplace-format.ts';
import { ProjectCard } from './ProjectCard.tsx';
import { describeFilters, searchParamsOf } from './saved-search-model.ts';
import { usePagedList } from './use-paged-list.ts';

/**
 * A saved search, run: its results with the ones published since the previous run marked
 * new. Opening it counts as a run; "Load more" continues the same run.
 */
export function SavedSearchPage({ savedSearchId }: { savedSearchId: string }) {
  const tree = useCategoryStore((state) => state.tree);
  useEffect(ensureCategories, []);
  const results = usePagedList<SavedSearchResults['items'][number], SavedSearchResults>(
    `saved:${savedSearchId}`,
    (cursor) => runSavedSearch(savedSearchId, cursor),
  );
  const run = results.firstPage;
  if (!run) {
    if (results.error) {
      return (
        <LoadError
          title="Could not run the saved search"
          error={results.error}
          onRetry={results.reload}
        />
      );
    }
    return <PageLoader label="Running the saved search" />;
  }
  const { search } = run;
  return (
    <Stack gap="md" maw={960}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={28}>
            {search.name}
          </Title>
          <Text c="dimmed" size="sm">
            {describeFilters(search, findCategory(tree, search.query.categoryId)?.node.name)}
          </Text>
        </div>
        <ButtonLink to="/marketplace/search" search={searchParamsOf(search)} variant="default">
          Change the filters
        </ButtonLink>
      </Group>
      <Text size="sm" role="status" title={formatDateTime(run.since)}>
        {run.newCount > 0
          ? `${countText(run.newCount, 'project', 'projects')} new since you last ran it ${formatRelative(run.since)}.`
          : `Nothing new since you last ran it ${formatRelative(run.since)}.`}
      </Text>
      <PagedItems
        list={results}
        label={`Results of ${search.name}`}
        loadingLabel="Running the saved search"
        errorTitle="Could not run the saved search"
        empty={
          <Empty
            icon={<IconSearchOff size={28} />}
            title="No open projects match it now"
            description="New ones will show here, marked, when you run it again."
          />
        }
        render={(hit) => (
          <ProjectCard
            project={hit}
            extra={
              hit.isNew ? (
                <Badge color="teal" variant="light" w="fit-content">
                  New
                </Badge>
              ) : null
            }
          />
        )}
      />
    </Stack>
  );
}
