import { Alert, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconFileOff } from '@tabler/icons-react';
import { useId } from 'react';
import type { Project } from '../../../shared/marketplace/projects.ts';
import type { Proposal } from '../../../shared/marketplace/proposals.ts';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { Empty, PagedItems } from './ListStates.tsx';
import { fetchProject, listMyProposals } from './marketplace-api.ts';
import {
  bidText,
  durationText,
  projectStatusLabels,
  proposalStatusColors,
  proposalStatusLabels,
} from './marketplace-format.ts';
import { ProposalActions } from './ProposalActions.tsx';
import { usePagedList } from './use-paged-list.ts';

type MyProposal = Proposal & { project: Project | null };

/** Each page's proposals with the projects they are on (a project may have become hidden). */
async function loadPage(cursor: string | undefined) {
  const page = await listMyProposals(cursor);
  const ids = [...new Set(page.items.map((proposal) => proposal.projectId))];
  const settled = await Promise.allSettled(ids.map((id) => fetchProject(id)));
  const projects = new Map(
    settled.flatMap((result) =>
      result.status === 'fulfilled' ? [[result.value.id, result.value]] : [],
    ),
  );
  return {
    items: page.items.map((proposal) => ({
      ...proposal,
      project: projects.get(proposal.projectId) ?? null,
    })),
    nextCursor: page.nextCursor,
  };
}

/** The freelancer's proposals, newest first, with where each stands and what is still possible. */
export function MyProposalsPage() {
  const role = useSessionStore((state) => state.user?.role);
  const proposals = usePagedList(role === 'freelancer' ? 'my-proposals' : null, loadPage);
  if (role !== 'freelancer') {
    return (
      <Alert color="yellow" title="Proposals are sent by freelancers" role="alert" maw={640}>
        As a client you review the proposals on your projects under{' '}
        <AnchorLink to="/marketplace/my-projects">Your projects</AnchorLink>.
      </Alert>
    );
  }
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} fz={28}>
        Your proposals
      </Title>
      <PagedItems
        list={proposals}
        label="Your proposals"
        loadingLabel="Loading your proposals"
        errorTitle="Could not load your proposals"
        empty={
          <Empty
            icon={<IconFileOff size={28} />}
            title="You have not sent any proposals yet"
            description="Find a project that fits and propose on it."
          >
            <ButtonLink to="/marketplace/search">Search projects</ButtonLink>
          </Empty>
        }
        render={(proposal) => <ProposalRow proposal={proposal} onChanged={proposals.update} />}
      />
    </Stack>
  );
}

function ProposalRow({
  proposal,
  onChanged,
}: {
  proposal: MyProposal;
  onChanged: (proposal: MyProposal) => void;
}) {
  const titleId = useId();
  const title = proposal.project?.title ?? 'A project no longer visible to you';
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          {proposal.project ? (
            <AnchorLink
              id={titleId}
              fw={600}
              to="/marketplace/projects/$projectId"
              params={{ projectId: proposal.projectId }}
            >
              {title}
            </AnchorLink>
          ) : (
            <Text id={titleId} fw={600} c="dimmed">
              {title}
            </Text>
          )}
          <Text size="sm">
            {bidText(proposal.bid)}, {durationText(proposal.durationDays)}
          </Text>
          <Text size="xs" c="dimmed" title={formatDateTime(proposal.createdAt)}>
            Sent {formatRelative(proposal.createdAt)}
            {proposal.updatedAt !== proposal.createdAt &&
              ` · changed ${formatRelative(proposal.updatedAt)}`}
            {proposal.project &&
              proposal.project.status !== 'open' &&
              ` · project ${projectStatusLabels[proposal.project.status].toLowerCase()}`}
          </Text>
        </Stack>
        <Stack gap="xs" align="flex-end">
          <Badge variant="light" color={proposalStatusColors[proposal.status]}>
            {proposalStatusLabels[proposal.status]}
          </Badge>
          <ProposalActions
            proposal={proposal}
            projectTitle={title}
            onChanged={(changed) => onChanged({ ...changed, project: proposal.project })}
          />
        </Stack>
      </Group>
    </Card>
  );
}
