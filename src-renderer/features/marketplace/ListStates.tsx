import { Alert, Button, Center, EmptyState, Group, Loader, Skeleton, Stack } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { PagedList } from './use-paged-list.ts';

/** The parts every marketplace list shares: loading, failure, nothing found, load more. */

export function LoadError({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: string;
  onRetry?: () => void;
}) {
  return (
    <Alert color="red" icon={<IconAlertCircle />} role="alert" title={title}>
      <Stack gap="xs" align="flex-start">
        {error}
        {onRetry && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconRefresh size={14} />}
            onClick={onRetry}
          >
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function LoadingBlock({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <Stack gap="sm" aria-busy="true" aria-label={label} role="status">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={92} radius="md" />
      ))}
    </Stack>
  );
}

export function PageLoader({ label }: { label: string }) {
  return (
    <Center py="xl">
      <Loader aria-label={label} />
    </Center>
  );
}

export function Empty({
  title,
  description,
  icon,
  children,
}: {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <EmptyState
      py="xl"
      title={title}
      description={description}
      icon={icon}
      withIndicatorBackground={Boolean(icon)}
      role="status"
    >
      {children && <EmptyState.Actions>{children}</EmptyState.Actions>}
    </EmptyState>
  );
}

/**
 * A paged list with its states: skeletons until the first page, the failure with a retry,
 * the empty state, and "Load more" while the server has more.
 */
export function PagedItems<T extends { id: string }>({
  list,
  label,
  loadingLabel,
  errorTitle,
  empty,
  render,
}: {
  list: PagedList<T>;
  /** The accessible name of the list. */
  label: string;
  loadingLabel: string;
  errorTitle: string;
  empty: ReactNode;
  render: (item: T) => ReactNode;
}) {
  if (list.items === undefined) {
    if (list.error)
      return <LoadError title={errorTitle} error={list.error} onRetry={list.reload} />;
    return <LoadingBlock label={loadingLabel} />;
  }
  return (
    <Stack gap="sm">
      {list.items.length === 0 ? (
        empty
      ) : (
        <Stack component="ul" gap="sm" aria-label={label} p={0} m={0} style={{ listStyle: 'none' }}>
          {list.items.map((item) => (
            <li key={item.id}>{render(item)}</li>
          ))}
        </Stack>
      )}
      {list.error && <LoadError title={errorTitle} error={list.error} onRetry={list.reload} />}
      {list.hasMore && (
        <Group justify="center">
          <Button variant="default" onClick={list.loadMore} loading={list.loadingMore}>
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}
