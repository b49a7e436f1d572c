import {
  Alert,
  Badge,
  Card,
  Divider,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconEdit, IconSend } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { editableStatuses, type Project } from '../../../shared/marketplace/projects.ts';
import { formatDate, formatDateTime, formatRelative } from '../../ui/format.ts';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { ClientCard } from './ClientCard.tsx';
import { LoadError, PageLoader } from './ListStates.tsx';
import { FavoriteButton } from './FavoriteButton.tsx';
import {
  favoriteProject,
  fetchProject,
  listProjectProposals,
  unfavoriteProject,
} from './marketplace-api.ts';
import {
  bidText,
  budgetText,
  budgetTypeLabel,
  countText,
  durationText,
  projectStatusColors,
  projectStatusLabels,
  proposalStatusColors,
  proposalStatusLabels,
} from './marketplace-format.ts';
import { openContract } from './open-contract.ts';
import { ProjectStatusControl } from './ProjectStatusControl.tsx';
import { ProposalActions } from './ProposalActions.tsx';
import { ProjectAttachments } from './ProjectAttachments.tsx';
import { ProposalReview } from './ProposalReview.tsx';
import { RichText } from './RichText.tsx';
import { useLiveProposalCount } from './use-live-proposal-count.ts';
import { useRemote } from './use-remote.ts';

/**
 * A project: what is asked, for how much, by when. A freelancer can propose (or follow their
 * proposal); the client who posted it edits it, moves its status and reviews the proposals.
 */
export function ProjectPage({ projectId }: { projectId: string }) {
  const project = useRemote(`project:${projectId}`, () => fetchProject(projectId));
  // The server's answer to the watch is at least as fresh as the loaded project.
  const liveProposalCount = useLiveProposalCount(projectId);
  const me = useSessionStore((state) => state.user);
  const navigate = useNavigate();

  if (!project.data) {
    if (project.error) {
      const gone =
        project.errorStatus === 404 && 'This project does not exist, or it is not visible to you.';
      return (
        <LoadError
          title={gone ? 'No such project' : 'Could not open the project'}
          error={gone || project.error}
          onRetry={gone ? undefined : project.reload}
        />
      );
    }
    return <PageLoader label="Loading the project" />;
  }

  const p = project.data;
  const mine = p.client.id === me?.id;
  const posted = p.publishedAt ?? p.createdAt;

  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap={6}>
        <Group gap="xs">
          <AnchorLink to="/marketplace" search={{ category: p.category.id }} size="sm">
            {p.category.name}
          </AnchorLink>
        </Group>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="lg">
          <Title order={1} fz={28}>
            {p.title}
          </Title>
          {mine && editableStatuses.includes(p.status) && (
            <ButtonLink
              to="/marketplace/projects/$projectId/edit"
              params={{ projectId: p.id }}
              variant="default"
              leftSection={<IconEdit size={16} />}
            >
              Edit project
            </ButtonLink>
          )}
          {!mine && (
            <FavoriteButton
              favorite={p.favorited ?? false}
              what="this project"
              onToggle={async (favorite) => {
                if (favorite) await favoriteProject(p.id);
                else await unfavoriteProject(p.id);
                project.replace({ ...p, favorited: favorite });
              }}
            />
          )}
        </Group>
        <Group gap="xs">
          <Badge variant="light" color={projectStatusColors[p.status]}>
            {projectStatusLabels[p.status]}
          </Badge>
          <Badge variant="outline" color="gray">
            {budgetTypeLabel(p.budget.type)}
          </Badge>
          {p.visibility === 'invite' && (
            <Badge variant="outline" color="orange">
              Invite only
            </Badge>
          )}
          <Text size="sm" c="dimmed" title={formatDateTime(posted)}>
            {p.publishedAt ? 'Posted' : 'Created'} {formatRelative(posted)}
          </Text>
        </Group>
      </Stack>

      {mine && (
        <Paper withBorder radius="md" p="md">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {p.status === 'draft'
                ? 'Only you can see this draft. Publish it when it is ready.'
                : 'You posted this project.'}
            </Text>
            <ProjectStatusControl project={p} onChanged={project.replace} />
          </Group>
        </Paper>
      )}

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Stack gap="md" style={{ gridColumn: 'span 2' }}>
          <Card
            withBorder
            radius="md"
            padding="lg"
            component="section"
            aria-labelledby="description-heading"
          >
            <Title order={2} fz={18} mb="sm" id="description-heading">
              Description
            </Title>
            <RichText html={p.descriptionHtml} />
            {p.skills.length > 0 && (
              <>
                <Divider my="md" />
                <Text size="sm" fw={600} mb={6} id="skills-heading">
                  Skills
                </Text>
                <Group gap={6} role="list" aria-labelledby="skills-heading">
                  {p.skills.map((skill) => (
                    <Badge key={skill.id} variant="light" radius="sm" tt="none" role="listitem">
                      {skill.name}
                    </Badge>
                  ))}
                </Group>
              </>
            )}
            {p.tags.length > 0 && (
              <Group gap={6} mt="sm" role="list" aria-label="Tags">
                {p.tags.map((tag) => (
                  <Badge
                    key={tag.id}
                    variant="outline"
                    color="gray"
                    radius="sm"
                    tt="none"
                    role="listitem"
                  >
                    #{tag.name}
                  </Badge>
                ))}
              </Group>
            )}
          </Card>
          <ProjectAttachments project={p} />
        </Stack>
        <Stack gap="md">
          <Card
            withBorder
            radius="md"
            padding="lg"
            component="section"
            aria-label="About this project"
          >
            <Stack gap="xs">
              <Fact label="Budget">
                <Text fw={700}>{budgetText(p.budget)}</Text>
              </Fact>
              <Fact label="Deadline">{p.deadline ? formatDate(p.deadline) : 'None set'}</Fact>
              <Fact label="Proposals">
                {countText(liveProposalCount ?? p.proposalCount ?? 0, 'proposal', 'proposals')}
              </Fact>
              <Fact label="Viewed by">{countText(p.viewCount, 'freelancer', 'freelancers')}</Fact>
              {mine && <Fact label="Client">You</Fact>}
              <Fact label="Posted">{formatDateTime(posted)}</Fact>
            </Stack>
          </Card>
          {!mine && <ClientCard client={p.client} />}
          {!mine && me?.role === 'freelancer' && <FreelancerPanel project={p} />}
        </Stack>
      </SimpleGrid>

      {mine && (
        <ProposalReview
          project={p}
          liveProposalCount={liveProposalCount}
          onAccepted={(contract) => openContract(navigate, contract.id)}
        />
      )}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="md" align="flex-start">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" ta="right">
        {children}
      </Text>
    </Group>
  );
}

/** A freelancer's side: propose, or where their proposal stands. */
function FreelancerPanel({ project }: { project: Project }) {
  const mine = useRemote(`my-proposal:${project.id}`, () =>
    listProjectProposals(project.id).then((page) => page.items[0] ?? null),
  );
  if (mine.data === undefined) {
    return mine.error ? (
      <LoadError title="Could not check your proposal" error={mine.error} onRetry={mine.reload} />
    ) : null;
  }
  const proposal = mine.data;
  if (!proposal) {
    if (project.status !== 'open') {
      return (
        <Alert color="gray" title="Not taking proposals">
          This project is {projectStatusLabels[project.status].toLowerCase()}.
        </Alert>
      );
    }
    return (
      <Card withBorder radius="md" padding="lg">
        <Stack gap="sm">
          <Text size="sm">Interested? Tell the client how you would do it and for how much.</Text>
          <ButtonLink
            to="/marketplace/projects/$projectId/propose"
            params={{ projectId: project.id }}
            leftSection={<IconSend size={16} />}
          >
            Propose
          </ButtonLink>
        </Stack>
      </Card>
    );
  }
  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      component="section"
      aria-labelledby="your-proposal-heading"
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} fz={16} id="your-proposal-heading">
            Your proposal
          </Title>
          <Badge variant="light" color={proposalStatusColors[proposal.status]}>
            {proposalStatusLabels[proposal.status]}
          </Badge>
        </Group>
        <Text size="sm">
          {bidText(proposal.bid)}, {durationText(proposal.durationDays)}
        </Text>
        <Text size="xs" c="dimmed">
          Sent {formatRelative(proposal.createdAt)}
        </Text>
        <ProposalActions
          proposal={proposal}
          projectTitle={project.title}
          onChanged={mine.replace}
        />
      </Stack>
    </Card>
  );
}
