import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import type { Project } from '../../../shared/marketplace/projects.ts';
import type { ProjectSearchHit } from '../../../shared/marketplace/search.ts';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { ClientLink } from './ClientLink.tsx';
import {
  budgetText,
  budgetTypeLabel,
  projectStatusColors,
  projectStatusLabels,
} from './marketplace-format.ts';
import { Snippet } from './Snippet.tsx';

/** The words of a sanitised description, read from an inert parse and shown as text. */
function descriptionText(html: string): string {
  return (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

type CardProject = (Project | ProjectSearchHit) & { status?: Project['status'] };

/**
 * One project in a list (browse, search, your projects): its title links to the project page,
 * its client's name to their reviews; a search result shows the words that matched, a listing
 * the start of its description.
 */
export function ProjectCard({
  project,
  showStatus = false,
  extra,
}: {
  project: CardProject;
  showStatus?: boolean;
  extra?: ReactNode;
}) {
  const titleId = useId();
  const me = useSessionStore((state) => state.user?.id);
  const posted = project.publishedAt ?? project.createdAt;
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={titleId}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <AnchorLink
            id={titleId}
            to="/marketplace/projects/$projectId"
            params={{ projectId: project.id }}
            fw={600}
            fz="md"
          >
            {project.title}
          </AnchorLink>
          <Text fw={600} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {budgetText(project.budget)}
          </Text>
        </Group>
        <Group gap="xs">
          {showStatus && project.status && (
            <Badge size="sm" variant="light" color={projectStatusColors[project.status]}>
              {projectStatusLabels[project.status]}
            </Badge>
          )}
          <Badge size="sm" variant="outline" color="gray">
            {budgetTypeLabel(project.budget.type)}
          </Badge>
          <Text size="xs" c="dimmed">
            {project.category.name}
          </Text>
          <Text size="xs" c="dimmed" title={formatDateTime(posted)}>
            · {project.publishedAt ? 'Posted' : 'Created'} {formatRelative(posted)}
          </Text>
          <Text size="xs" c="dimmed" component="div">
            · by{' '}
            {project.client.id === me ? 'you' : <ClientLink client={project.client} size="xs" />}
          </Text>
        </Group>
        {'snippetHtml' in project ? (
          <Snippet html={project.snippetHtml} lineClamp={3} />
        ) : (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {descriptionText(project.descriptionHtml)}
          </Text>
        )}
        {project.skills.length > 0 && (
          <Group gap={6} role="list" aria-label="Skills">
            {project.skills.map((skill) => (
              <Badge key={skill.id} size="sm" variant="light" radius="sm" tt="none" role="listitem">
                {skill.name}
              </Badge>
            ))}
          </Group>
        )}
        {extra}
      </Stack>
    </Card>
  );
}
