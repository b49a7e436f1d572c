import { Box, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconBriefcaseOff } from '@tabler/icons-react';
import { useEffect } from 'react';
import { ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { CategoryTree } from './CategoryTree.tsx';
import { findCategory, loadCategories, useCategoryStore } from './category-store.ts';
import { FollowingPanel } from './FollowingPanel.tsx';
import { Empty, PagedItems } from './ListStates.tsx';
import { listProjects } from './marketplace-api.ts';
import { ProjectCard } from './ProjectCard.tsx';
import { SavedSearchesPanel } from './SavedSearchesPanel.tsx';
import { TrendingPanel } from './TrendingPanel.tsx';
import { usePagedList } from './use-paged-list.ts';

/**
 * The Marketplace home: the category tree with how many open projects each holds, and the
 * open projects of the chosen category (its whole subtree), newest first. Without a category
 * chosen, panels come first: projects of clients you follow, trending, your saved searches.
 */
export function BrowsePage({ categoryId }: { categoryId: string | undefined }) {
  const { tree, error } = useCategoryStore();
  const role = useSessionStore((state) => state.user?.role);
  // The counts move as projects open and close: refresh them each time the home opens.
  useEffect(() => void loadCategories(), []);

  const projects = usePagedList(`browse:${categoryId ?? 'all'}`, (cursor) =>
    listProjects({ categoryId, cursor }),
  );
  const chosen = findCategory(tree, categoryId);
  const heading = chosen ? chosen.node.name : 'All open projects';

  return (
    <Stack gap="md">
      <Title order={1} fz={28}>
        Marketplace
      </Title>
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Paper withBorder radius="md" p="xs" w={300} style={{ flexShrink: 0 }}>
          <CategoryTree
            tree={tree}
            error={error}
            selectedId={categoryId}
            onRetry={() => void loadCategories()}
          />
        </Paper>
        <Stack
          gap="sm"
          style={{ flex: 1, minWidth: 0 }}
          component="section"
          aria-labelledby="browse-heading"
        >
          {!chosen && (
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" mb="xs">
              <FollowingPanel />
              <TrendingPanel />
              <SavedSearchesPanel />
            </SimpleGrid>
          )}
          <Box>
            <Title order={2} fz={20} id="browse-heading">
              {heading}
            </Title>
            {chosen && chosen.path.length > 1 && (
              <Text size="sm" c="dimmed">
                {chosen.path.slice(0, -1).join(' › ')}
              </Text>
            )}
          </Box>
          <PagedItems
            list={projects}
            label={`Open projects: ${heading}`}
            loadingLabel="Loading projects"
            errorTitle="Could not load the projects"
            empty={
              <Empty
                icon={<IconBriefcaseOff size={28} />}
                title={
                  chosen ? `No open projects in ${chosen.node.name} yet` : 'No open projects yet'
                }
                description={
                  role === 'client'
                    ? 'Post one, and freelancers will find it here.'
                    : 'New projects appear here as clients post them.'
                }
              >
                {role === 'client' && (
                  <ButtonLink to="/marketplace/projects/new">Post a project</ButtonLink>
                )}
              </Empty>
            }
            render={(project) => <ProjectCard project={project} />}
          />
        </Stack>
      </Group>
    </Stack>
  );
}
