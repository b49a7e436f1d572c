import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  projectTransitions,
  type Project,
  type ProjectStatus,
} from '../../../shared/marketplace/projects.ts';
import { refusedMoveText } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { changeProjectStatus } from './marketplace-api.ts';
import { projectStatusActions, projectStatusLabels } from './marketplace-format.ts';

/** Moves never undone: asked about first. */
const final: readonly ProjectStatus[] = ['cancelled', 'completed'];

/**
 * The owner's status moves: exactly the ones the lifecycle allows from here. When the server
 * refuses (someone moved it first), its answer names the moves allowed now, and we show them.
 */
export function ProjectStatusControl({
  project,
  onChanged,
}: {
  project: Project;
  onChanged: (project: Project) => void;
}) {
  const [busy, setBusy] = useState<ProjectStatus | null>(null);
  const [confirming, setConfirming] = useState<ProjectStatus | null>(null);
  const allowed = projectTransitions[project.status];

  const move = async (to: ProjectStatus) => {
    setBusy(to);
    try {
      onChanged(await changeProjectStatus(project.id, to));
      notifications.show({
        color: 'teal',
        title: `Project ${projectStatusLabels[to].toLowerCase()}`,
        message:
          to === 'open' ? 'Freelancers can find it and propose now.' : 'Its status is updated.',
      });
      setConfirming(null);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not change the status',
        message: refusedMoveText(error, projectStatusLabels, 'none'),
      });
    } finally {
      setBusy(null);
    }
  };

  if (allowed.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {projectStatusLabels[project.status]} is final.
      </Text>
    );
  }
  return (
    <Group gap="xs" role="group" aria-label="Project status">
      {allowed.map((to) => (
        <Button
          key={to}
          size="sm"
          variant={to === 'cancelled' ? 'subtle' : to === 'open' ? 'filled' : 'light'}
          color={to === 'cancelled' ? 'red' : undefined}
          loading={busy === to}
          disabled={busy !== null}
          onClick={() => (final.includes(to) ? setConfirming(to) : void move(to))}
        >
          {projectStatusActions[to]}
        </Button>
      ))}
      <ConfirmDialog
        opened={confirming !== null}
        title={confirming === 'cancelled' ? 'Cancel this project?' : 'Mark this project completed?'}
        confirmLabel={confirming ? projectStatusActions[confirming] : ''}
        busy={busy !== null}
        onConfirm={() => confirming && void move(confirming)}
        onCancel={() => setConfirming(null)}
      >
        {confirming === 'cancelled'
          ? 'A cancelled project is final: it takes no more proposals and cannot be reopened.'
          : 'A completed project is final.'}
      </ConfirmDialog>
    </Group>
  );
}
