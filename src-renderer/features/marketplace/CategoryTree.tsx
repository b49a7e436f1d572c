import { Badge, NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { ComponentPropsWithRef } from 'react';
import type { NavLinkProps } from '@mantine/core';
import type { CategoryNode } from '../../../shared/marketplace/taxonomy.ts';
import { LoadError } from './ListStates.tsx';
import { countText } from './marketplace-format.ts';

const CategoryLink = createLink(
  (props: NavLinkProps & Omit<ComponentPropsWithRef<'a'>, keyof NavLinkProps | 'color'>) => (
    <NavLink component="a" {...props} />
  ),
);

/**
 * The category tree as links, each with the open projects in its subtree. Choosing one lists
 * them; the choice lives in the address, so Back returns to it.
 */
export function CategoryTree({
  tree,
  error,
  selectedId,
  onRetry,
}: {
  tree: CategoryNode[] | null;
  error: string | null;
  selectedId: string | undefined;
  onRetry: () => void;
}) {
  if (tree === null) {
    if (error)
      return <LoadError title="Could not load the categories" error={error} onRetry={onRetry} />;
    return (
      <Stack gap={6} role="status" aria-label="Loading categories">
        {Array.from({ length: 8 }, (_, index) => (
          <Skeleton key={index} height={30} radius="sm" />
        ))}
      </Stack>
    );
  }
  if (tree.length === 0) {
    return (
      <Text size="sm" c="dimmed" role="status">
        No categories yet. An administrator sets them up.
      </Text>
    );
  }
  const total = tree.reduce((sum, node) => sum + node.projectCount, 0);
  return (
    <nav aria-label="Categories">
      <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        <li>
          <CategoryLink
            to="/marketplace"
            search={{}}
            label="All categories"
            active={!selectedId}
            aria-current={!selectedId ? 'page' : undefined}
            rightSection={<Count count={total} />}
          />
        </li>
        {tree.map((node) => (
          <Branch key={node.id} node={node} depth={0} selectedId={selectedId} />
        ))}
      </Stack>
    </nav>
  );
}

function Branch({
  node,
  depth,
  selectedId,
}: {
  node: CategoryNode;
  depth: number;
  selectedId: string | undefined;
}) {
  const active = node.id === selectedId;
  return (
    <li>
      <CategoryLink
        to="/marketplace"
        search={{ category: node.id }}
        label={node.name}
        fw={depth === 0 ? 600 : undefined}
        pl={12 + depth * 16}
        active={active}
        aria-current={active ? 'page' : undefined}
        rightSection={<Count count={node.projectCount} />}
      />
      {node.children.length > 0 && (
        <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {node.children.map((child) => (
            <Branch key={child.id} node={child} depth={depth + 1} selectedId={selectedId} />
          ))}
        </Stack>
      )}
    </li>
  );
}

function Count({ count }: { count: number }) {
  return (
    <Badge
      size="sm"
      variant={count > 0 ? 'light' : 'transparent'}
      color={count > 0 ? undefined : 'gray'}
      aria-label={countText(count, 'open project', 'open projects')}
    >
      {count.toLocaleString()}
    </Badge>
  );
}
