import { ActionIcon, Anchor, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { SavedSearch } from '../../../shared/marketplace/saved-searches.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatRelative } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { findCategory, useCategoryStore } from './category-store.ts';
import { LoadError } from './ListStates.tsx';
import { deleteSavedSearch, listSavedSearches } from './marketplace-api.ts';
import { describeFilters } from './saved-search-model.ts';
import { usePagedList } from './use-paged-list.ts';

/** Your saved searches on the Marketplace home; each opens its results, new ones marked. */
export function SavedSearchesPanel() {
  const searches = usePagedList('saved-searches', (cursor) => listSavedSearches(cursor));
  const tree = useCategoryStore((state) => state.tree);
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await deleteSavedSearch(deleting.id);
      setDeleting(null);
      searches.reload();
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not delete',
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby="saved-searches-heading"
    >
      <Title order={2} fz={16} mb="xs" id="saved-searches-heading">
        Saved searches
      </Title>
      {searches.items === undefined ? (
        searches.error ? (
          <LoadError title="Could not load them" error={searches.error} onRetry={searches.reload} />
        ) : (
          <Text size="sm" c="dimmed" role="status">
            Loading…
          </Text>
        )
      ) : searches.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet. Search, then “Save this search” to come back to it here.
        </Text>
      ) : (
        <Stack
          gap={6}
          component="ul"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label="Saved searches"
        >
          {searches.items.map((search) => (
            <Group key={search.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <AnchorLink
                  to="/marketplace/saved/$savedSearchId"
                  params={{ savedSearchId: search.id }}
                  fw={600}
                  size="sm"
                >
                  {search.name}
                </AnchorLink>
                <Text size="xs" c="dimmed" truncate>
                  {describeFilters(search, findCategory(tree, search.query.categoryId)?.node.name)}{' '}
                  · run {formatRelative(search.lastRunAt)}
                </Text>
              </Stack>
              <Tooltip label="Delete">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Delete saved search ${search.name}`}
                  onClick={() => setDeleting(search)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
      {searches.hasMore && (
        <Anchor component="button" size="sm" mt={6} onClick={searches.loadMore}>
          Show more
        </Anchor>
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete saved search"
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        The search is forgotten; the projects it found are not affected.
      </ConfirmDialog>
    </Card>
  );
}
