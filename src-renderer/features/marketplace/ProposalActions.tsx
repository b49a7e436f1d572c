import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit } from '@tabler/icons-react';
import { useState } from 'react';
import { openProposalStatuses, type Proposal } from '../../../shared/marketplace/proposals.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ButtonLink } from '../../ui/links.tsx';
import { decideProposal } from './marketplace-api.ts';

/**
 * What a freelancer may still do with their proposal: change it or take it back, while the
 * client has not decided (pending or shortlisted). Withdrawing is final, so it asks first.
 */
export function ProposalActions({
  proposal,
  projectTitle,
  onChanged,
}: {
  proposal: Proposal;
  projectTitle: string;
  onChanged: (proposal: Proposal) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!openProposalStatuses.includes(proposal.status)) return null;

  const withdraw = async () => {
    setBusy(true);
    try {
      onChanged(await decideProposal(proposal.id, 'withdraw'));
      notifications.show({
        color: 'gray',
        title: 'Proposal withdrawn',
        message: `The client of “${projectTitle}” no longer sees it as open.`,
      });
      setConfirming(false);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not withdraw',
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs">
      <ButtonLink
        to="/marketplace/proposals/$proposalId/edit"
        params={{ proposalId: proposal.id }}
        size="xs"
        variant="light"
        leftSection={<IconEdit size={14} />}
        aria-label={`Edit your proposal on ${projectTitle}`}
      >
        Edit
      </ButtonLink>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={() => setConfirming(true)}
        aria-label={`Withdraw your proposal on ${projectTitle}`}
      >
        Withdraw
      </Button>
      <ConfirmDialog
        opened={confirming}
        title="Withdraw your proposal?"
        confirmLabel="Withdraw proposal"
        busy={busy}
        onConfirm={() => void withdraw()}
        onCancel={() => setConfirming(false)}
      >
        {`The client of “${projectTitle}” will no longer be able to accept it, and you cannot propose on this project again.`}
      </ConfirmDialog>
    </Group>
  );
}
