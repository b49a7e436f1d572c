import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { SavedSearch } from '../../../shared/marketplace/saved-searches.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatRelative } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { findCategory, useCategoryStore } from './category-store.ts';
import { HomePanel } from './HomePanel.tsx';
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
    <HomePanel
      title="Saved searches"
      list={searches}
      listLabel="Saved searches"
      listKind="ul"
      empty="None yet. Search, then “Save this search” to come back to it here."
      render={(search) => (
        <Group justify="space-between" wrap="nowrap" gap="xs">
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
              {describeFilters(search, findCategory(tree, search.query.categoryId)?.node.name)} ·
              run {formatRelative(search.lastRunAt)}
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
      )}
    >
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
    </HomePanel>
  );
}
