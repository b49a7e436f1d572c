import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { ClientLink } from './ClientLink.tsx';
import { LoadError } from './ListStates.tsx';
import { listFollowedClientsProjects } from './marketplace-api.ts';
import { budgetText } from './marketplace-format.ts';
import { usePagedList } from './use-paged-list.ts';

/**
 * On the Marketplace home: the open projects of the clients you follow, the most recently
 * published first. Following is what fills it, so when it is empty it says how to.
 */
export function FollowingPanel() {
  const feed = usePagedList('followed-clients-projects', (cursor) =>
    listFollowedClientsProjects(cursor),
  );
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby="following-feed-heading"
    >
      <Title order={2} fz={16} mb="xs" id="following-feed-heading">
        From clients you follow
      </Title>
      {feed.items === undefined ? (
        feed.error ? (
          <LoadError title="Could not load them" error={feed.error} onRetry={feed.reload} />
        ) : (
          <Text size="sm" c="dimmed" role="status">
            Loading…
          </Text>
        )
      ) : feed.items.length === 0 ? (
        <Text size="sm" c="dimmed" role="status">
          Nothing here yet. Follow a client from one of their projects (or their page), and the
          projects they publish from then on are listed here.
        </Text>
      ) : (
        <Stack
          gap={6}
          component="ol"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label="Projects from clients you follow"
        >
          {feed.items.map((project) => {
            const posted = project.publishedAt ?? project.createdAt;
            return (
              <Stack key={project.id} gap={0} component="li">
                <AnchorLink
                  to="/marketplace/projects/$projectId"
                  params={{ projectId: project.id }}
                  size="sm"
                  fw={600}
                  lineClamp={1}
                >
                  {project.title}
                </AnchorLink>
                <Text size="xs" c="dimmed" component="div">
                  {budgetText(project.budget)} · by <ClientLink client={project.client} size="xs" />{' '}
                  · <span title={formatDateTime(posted)}>{formatRelative(posted)}</span>
                </Text>
              </Stack>
            );
          })}
        </Stack>
      )}
      {feed.error && feed.items !== undefined && (
        <LoadError title="Could not load more" error={feed.error} onRetry={feed.loadMore} />
      )}
      {feed.hasMore && (
        <Anchor component="button" size="sm" mt={6} onClick={feed.loadMore}>
          Show more
        </Anchor>
      )}
    </Card>
  );
}
