import { Button, Card, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconStarOff } from '@tabler/icons-react';
import { useId, useState } from 'react';
import type { FavoriteFreelancer } from '../../../shared/marketplace/engagement.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { readableError } from '../../api/problems.ts';
import { formatRelative } from '../../ui/format.ts';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { Empty, PagedItems } from './ListStates.tsx';
import {
  listFavoriteFreelancers,
  listFavoriteProjects,
  unfavoriteFreelancer,
  unfavoriteProject,
} from './marketplace-api.ts';
import { ProjectCard } from './ProjectCard.tsx';
import { usePagedList, type PagedList } from './use-paged-list.ts';

type FreelancerItem = FavoriteFreelancer & { id: string };

/** What you starred: projects to come back to, freelancers to remember. */
export function FavoritesPage() {
  const projects = usePagedList('favorite-projects', async (cursor) => {
    const page = await listFavoriteProjects(cursor);
    return { ...page, items: page.items.map((item) => ({ ...item, id: item.project.id })) };
  });
  const freelancers = usePagedList('favorite-freelancers', async (cursor) => {
    const page = await listFavoriteFreelancers(cursor);
    return { ...page, items: page.items.map((item) => ({ ...item, id: item.freelancer.id })) };
  });

  return (
    <Stack gap="md" maw={900}>
      <Title order={1} fz={28}>
        Favorites
      </Title>
      <Tabs defaultValue="projects" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="projects">Projects</Tabs.Tab>
          <Tabs.Tab value="freelancers">Freelancers</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="projects" pt="md">
          <PagedItems
            list={projects}
            label="Favorite projects"
            loadingLabel="Loading your favorite projects"
            errorTitle="Could not load your favorites"
            empty={
              <Empty
                icon={<IconStarOff size={28} />}
                title="No favorite projects yet"
                description="Star a project on its page to find it here again."
              >
                <ButtonLink to="/marketplace/search">Search projects</ButtonLink>
              </Empty>
            }
            render={(item) => (
              <ProjectCard
                project={item.project}
                showStatus
                extra={
                  <Unstar
                    what={item.project.title}
                    since={item.favoritedAt}
                    onRemove={async () => {
                      await unfavoriteProject(item.project.id);
                      projects.reload();
                    }}
                  />
                }
              />
            )}
          />
        </Tabs.Panel>
        <Tabs.Panel value="freelancers" pt="md">
          <FavoriteFreelancers list={freelancers} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function FavoriteFreelancers({ list }: { list: PagedList<FreelancerItem> }) {
  return (
    <PagedItems
      list={list}
      label="Favorite freelancers"
      loadingLabel="Loading your favorite freelancers"
      errorTitle="Could not load your favorites"
      empty={
        <Empty
          icon={<IconStarOff size={28} />}
          title="No favorite freelancers yet"
          description="Star a freelancer on their profile to keep them here."
        >
          <ButtonLink to="/marketplace/freelancers">Find freelancers</ButtonLink>
        </Empty>
      }
      render={(item) => <FreelancerRow item={item} onRemoved={list.reload} />}
    />
  );
}

function FreelancerRow({ item, onRemoved }: { item: FreelancerItem; onRemoved: () => void }) {
  const nameId = useId();
  const { freelancer } = item;
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={nameId}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <AnchorLink
            id={nameId}
            fw={600}
            to="/marketplace/freelancers/$freelancerId"
            params={{ freelancerId: freelancer.id }}
          >
            {freelancer.name}
          </AnchorLink>
          {freelancer.hourlyRate && (
            <Text size="sm" fw={600}>
              {formatMoney(freelancer.hourlyRate)} per hour
            </Text>
          )}
        </Group>
        {freelancer.headline && <Text size="sm">{freelancer.headline}</Text>}
        <Unstar
          what={freelancer.name}
          since={item.favoritedAt}
          onRemove={async () => {
            await unfavoriteFreelancer(freelancer.id);
            onRemoved();
          }}
        />
      </Stack>
    </Card>
  );
}

function Unstar({
  what,
  since,
  onRemove,
}: {
  what: string;
  since: string;
  onRemove: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Group justify="space-between">
      <Text size="xs" c="dimmed">
        Starred {formatRelative(since)}
      </Text>
      <Button
        size="xs"
        variant="subtle"
        color="gray"
        loading={busy}
        aria-label={`Remove ${what} from favorites`}
        onClick={() => {
          setBusy(true);
          onRemove()
            .catch((error: unknown) =>
              notifications.show({
                color: 'red',
                title: 'Could not remove the favorite',
                message: readableError(error),
              }),
            )
            .finally(() => setBusy(false));
        }}
      >
        Remove
      </Button>
    </Group>
  );
}
