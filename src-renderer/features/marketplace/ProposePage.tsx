import { Alert } from '@mantine/core';
import { openProposalStatuses } from '../../../shared/marketplace/proposals.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { LoadError, PageLoader } from './ListStates.tsx';
import { fetchProject, fetchProposal, listProjectProposals } from './marketplace-api.ts';
import { proposalStatusLabels } from './marketplace-format.ts';
import { ProposalForm } from './ProposalForm.tsx';
import { useRemote } from './use-remote.ts';

/** A new proposal on a project: for freelancers, on open projects, once per project. */
export function ProposePage({ projectId }: { projectId: string }) {
  const role = useSessionStore((state) => state.user?.role);
  const loaded = useRemote(`propose:${projectId}`, async () => {
    const [project, mine] = await Promise.all([
      fetchProject(projectId),
      listProjectProposals(projectId),
    ]);
    return { project, existing: mine.items[0] ?? null };
  });
  if (!loaded.data) {
    if (loaded.error) {
      return (
        <LoadError
          title="Could not open the project"
          error={loaded.error}
          onRetry={loaded.reload}
        />
      );
    }
    return <PageLoader label="Loading the project" />;
  }
  const { project, existing } = loaded.data;
  const back = (
    <AnchorLink to="/marketplace/projects/$projectId" params={{ projectId }}>
      Back to the project
    </AnchorLink>
  );
  if (role !== 'freelancer') {
    return (
      <Alert color="yellow" title="Only freelancers send proposals" role="alert" maw={640}>
        Clients post projects and review the proposals on them. {back}
      </Alert>
    );
  }
  if (existing) {
    return (
      <Alert color="blue" title="You have already proposed on this project" role="alert" maw={640}>
        Your proposal is {proposalStatusLabels[existing.status].toLowerCase()}.{' '}
        {openProposalStatuses.includes(existing.status) ? (
          <AnchorLink
            to="/marketplace/proposals/$proposalId/edit"
            params={{ proposalId: existing.id }}
          >
            Edit it instead
          </AnchorLink>
        ) : (
          back
        )}
      </Alert>
    );
  }
  if (project.status !== 'open') {
    return (
      <Alert color="yellow" title="This project takes no proposals" role="alert" maw={640}>
        Only open projects take proposals. {back}
      </Alert>
    );
  }
  return <ProposalForm project={project} proposal={null} />;
}

/** Changing your proposal while it is pending or shortlisted. */
export function EditProposalPage({ proposalId }: { proposalId: string }) {
  const loaded = useRemote(`edit-proposal:${proposalId}`, async () => {
    const proposal = await fetchProposal(proposalId);
    return { proposal, project: await fetchProject(proposal.projectId) };
  });
  if (!loaded.data) {
    if (loaded.error) {
      return (
        <LoadError
          title="Could not open the proposal"
          error={loaded.error}
          onRetry={loaded.reload}
        />
      );
    }
    return <PageLoader label="Loading the proposal" />;
  }
  const { proposal, project } = loaded.data;
  if (!openProposalStatuses.includes(proposal.status)) {
    return (
      <Alert color="yellow" title="This proposal can no longer be changed" role="alert" maw={640}>
        It is {proposalStatusLabels[proposal.status].toLowerCase()}; only pending and shortlisted
        proposals can be edited. <AnchorLink to="/marketplace/proposals">Your proposals</AnchorLink>
      </Alert>
    );
  }
  return <ProposalForm key={proposal.updatedAt} project={project} proposal={proposal} />;
}
