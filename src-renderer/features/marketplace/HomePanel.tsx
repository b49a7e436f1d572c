import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { AnchorLink } from '../../ui/links.tsx';
import { LoadError } from './ListStates.tsx';

/** What a panel lists: a paged list (with "Show more"), or the items of one answer. */
export type PanelList<T> = {
  items: T[] | undefined;
  error: string | null;
  reload: () => void;
  hasMore?: boolean;
  loadMore?: () => void;
};

/**
 * A card beside the Marketplace home's categories: its heading, then the list's states
 * ("Loading…", the failure with a retry, what to do while it is empty), its items, and
 * "Show more" while the server has more. `children` go at the end (a panel's dialogs).
 */
export function HomePanel<T extends { id: string }>({
  title,
  list,
  listLabel,
  listKind = 'ol',
  empty,
  render,
  children,
}: {
  title: string;
  list: PanelList<T>;
  /** The accessible name of the list. */
  listLabel: string;
  /** `ol` where the order means something (newest, most popular), `ul` where it does not. */
  listKind?: 'ol' | 'ul';
  empty: ReactNode;
  render: (item: T) => ReactNode;
  children?: ReactNode;
}) {
  const headingId = useId();
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={headingId}>
      <Title order={2} fz={16} mb="xs" id={headingId}>
        {title}
      </Title>
      {list.items === undefined ? (
        list.error ? (
          <LoadError title="Could not load them" error={list.error} onRetry={list.reload} />
        ) : (
          <Text size="sm" c="dimmed" role="status">
            Loading…
          </Text>
        )
      ) : list.items.length === 0 ? (
        <Text size="sm" c="dimmed" role="status">
          {empty}
        </Text>
      ) : (
        <Stack
          gap={6}
          component={listKind}
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={listLabel}
        >
          {list.items.map((item) => (
            <li key={item.id}>{render(item)}</li>
          ))}
        </Stack>
      )}
      {list.error && list.items !== undefined && list.loadMore && (
        <LoadError title="Could not load more" error={list.error} onRetry={list.loadMore} />
      )}
      {list.hasMore && list.loadMore && (
        <Anchor component="button" size="sm" mt={6} onClick={list.loadMore}>
          Show more
        </Anchor>
      )}
      {children}
    </Card>
  );
}

/** A project in a panel: its title, leading to its page, over a line about it. */
export function PanelProject({
  project,
  children,
}: {
  project: { id: string; title: string };
  children: ReactNode;
}) {
  return (
    <Stack gap={0}>
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
        {children}
      </Text>
    </Stack>
  );
}
