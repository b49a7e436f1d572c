import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from '../../ui/links.tsx';
import { LoadError } from './ListStates.tsx';
import { listTrendingProjects } from './marketplace-api.ts';
import { budgetText } from './marketplace-format.ts';
import { useRemote } from './use-remote.ts';

/** The open projects most viewed and proposed on this week, on the Marketplace home. */
export function TrendingPanel() {
  const trending = useRemote('trending', () => listTrendingProjects());
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby="trending-heading"
    >
      <Title order={2} fz={16} mb="xs" id="trending-heading">
        Trending this week
      </Title>
      {trending.data === undefined ? (
        trending.error ? (
          <LoadError title="Could not load them" error={trending.error} onRetry={trending.reload} />
        ) : (
          <Text size="sm" c="dimmed" role="status">
            Loading…
          </Text>
        )
      ) : trending.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing yet: projects appear here as freelancers view and propose on them.
        </Text>
      ) : (
        <Stack
          gap={6}
          component="ol"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label="Trending projects"
        >
          {trending.data.items.map((project) => (
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
              <Group gap={6}>
                <Text size="xs" c="dimmed">
                  {budgetText(project.budget)} · {project.category.name}
                </Text>
              </Group>
            </Stack>
          ))}
        </Stack>
      )}
    </Card>
  );
}
