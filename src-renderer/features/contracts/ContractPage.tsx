import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import type { ContractStatus } from '../../../shared/marketplace/contracts.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import type { ContractDocument, MilestoneDocument } from '../../../shared/sync/documents.ts';
import { refusedMoveText } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { formatDate, formatRelative } from '../../ui/format.ts';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { PaymentsSection } from '../money/PaymentsSection.tsx';
import { screenshotsText } from '../time/time-model.ts';
import { useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { changeContractStatus } from './contracts-api.ts';
import { ContractReviews } from './ContractReviews.tsx';
import { ContractsCouldNotOpen } from './ContractsPage.tsx';
import { useContract, useMilestones } from './contracts-data.ts';
import {
  contractActions,
  contractStatusColors,
  contractStatusLabels,
  contractTypeLabels,
  counterpart,
  formatDueDate,
  milestoneStatusColors,
  milestoneStatusLabels,
  milestoneTotals,
  movedMessages,
  partyLabels,
  priceText,
  type ContractAction,
} from './contracts-model.ts';

/**
 * One contract: its project's title as the heading, the other party, the terms, the
 * milestones, the status moves I may make, and once it has ended, the reviews. Read from this
 * device's database (so it shows offline and follows changes live); a move goes to the server,
 * and the changed contract comes back through sync. Reviews alone are asked of the server.
 */
export function ContractPage({ contractId }: { contractId: string }) {
  const engine = useSyncEngine();
  const startError = useSyncStartError();
  const contract = useContract(contractId);

  const back = (
    <AnchorLink to="/contracts" size="sm" style={{ alignSelf: 'flex-start' }}>
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        All contracts
      </Group>
    </AnchorLink>
  );

  if (!engine && startError) {
    return (
      <Stack gap="md" maw={960}>
        {back}
        <ContractsCouldNotOpen reason={startError} />
      </Stack>
    );
  }
  if (!engine || contract === undefined) {
    return (
      <Stack gap="md" maw={960} aria-busy="true" aria-label="Loading the contract" role="status">
        {back}
        <Skeleton height={36} width="60%" radius="md" />
        <Skeleton height={140} radius="md" />
        <Skeleton height={180} radius="md" />
      </Stack>
    );
  }
  if (contract === null) {
    return (
      <Stack gap="md" maw={960}>
        {back}
        <Title order={1} fz={26}>
          This contract is not on this device
        </Title>
        <Text c="dimmed">
          If it was just made, it appears here by itself as soon as this device syncs. Contracts are
          only ever shown to their client and their freelancer.
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="lg" maw={960}>
      {back}
      <ContractDetails contract={contract} me={engine.userId} />
    </Stack>
  );
}

function ContractDetails({ contract, me }: { contract: ContractDocument; me: string }) {
  const other = counterpart(contract, me);
  return (
    <>
      <Stack gap={6}>
        <Group gap="sm" align="center">
          <Title order={1} fz={28}>
            {contract.projectTitle}
          </Title>
          <Badge
            size="lg"
            variant="light"
            color={contractStatusColors[contract.status]}
            data-testid="contract-status"
          >
            {contractStatusLabels[contract.status]}
          </Badge>
        </Group>
        <Text c="dimmed">
          {partyLabels[other.party]}: <strong>{other.person.name}</strong> · you are the{' '}
          {other.party === 'client' ? 'freelancer' : 'client'}
        </Text>
      </Stack>
      <StatusActions contract={contract} me={me} />
      <Group gap="xs" role="group" aria-label="Time on this contract">
        <ButtonLink
          size="sm"
          variant="light"
          to="/contracts/$contractId/diary"
          params={{ contractId: contract.id }}
        >
          Work diary
        </ButtonLink>
        <ButtonLink
          size="sm"
          variant="light"
          to="/contracts/$contractId/timesheet"
          params={{ contractId: contract.id }}
        >
          Timesheet
        </ButtonLink>
      </Group>
      <Terms contract={contract} />
      {contract.type === 'fixed' ? (
        <Milestones contract={contract} />
      ) : (
        <Text size="sm" c="dimmed">
          Hourly contracts are paid for the hours worked at the rate above; they have no milestones.
        </Text>
      )}
      <PaymentsSection contract={contract} me={me} />
      {contract.status === 'ended' && <ContractReviews contract={contract} me={me} />}
    </>
  );
}

function Terms({ contract }: { contract: ContractDocument }) {
  const rows: Array<[string, string]> = [
    ['Type', contractTypeLabels[contract.type]],
    [contract.type === 'hourly' ? 'Rate' : 'Total', priceText(contract)],
    ...(contract.type === 'hourly'
      ? ([
          [
            'Weekly limit',
            contract.weeklyHourLimit === null
              ? 'No limit'
              : `${contract.weeklyHourLimit} hours a week`,
          ],
          ['Manual time', contract.manualTimeAllowed ? 'Allowed' : 'Not allowed'],
        ] as Array<[string, string]>)
      : []),
    ['Screenshots', screenshotsText(contract.screenshotsPerSlot)],
    ['Currency', contract.currency],
    ['Started', formatDate(contract.createdAt)],
    ['Last change', formatRelative(contract.updatedAt)],
  ];
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="contract-terms">
      <Title order={2} fz="lg" id="contract-terms" mb="sm">
        Terms
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
        {rows.map(([label, value]) => (
          <Group key={label} gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed" w={110} style={{ flexShrink: 0 }}>
              {label}
            </Text>
            <Text size="sm">{value}</Text>
          </Group>
        ))}
      </SimpleGrid>
    </Card>
  );
}

function Milestones({ contract }: { contract: ContractDocument }) {
  const milestones = useMilestones(contract.id);
  const totals = milestones ? milestoneTotals(milestones) : null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="milestones">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id="milestones">
          Milestones
        </Title>
        {totals && (
          <Text size="sm" c="dimmed">
            {formatMoney(totals.released)} of {formatMoney(totals.total)} released
          </Text>
        )}
      </Group>
      {milestones === null ? (
        <Skeleton height={120} radius="md" />
      ) : milestones.length === 0 ? (
        <Text size="sm" c="dimmed">
          This contract’s milestones have not reached this device yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" aria-label="Milestones">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                <Table.Th>Milestone</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {milestones.map((milestone) => (
                <MilestoneRow key={milestone.id} milestone={milestone} />
              ))}
            </Table.Tbody>
            {totals && (
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th>Total</Table.Th>
                  <Table.Th ta="right">{formatMoney(totals.total)}</Table.Th>
                  <Table.Th />
                  <Table.Th />
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function MilestoneRow({ milestone }: { milestone: MilestoneDocument }) {
  return (
    <Table.Tr>
      <Table.Td c="dimmed">{milestone.position + 1}</Table.Td>
      <Table.Td>{milestone.title}</Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatMoney(milestone.amount)}
      </Table.Td>
      <Table.Td>{formatDueDate(milestone.dueDate)}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={milestoneStatusColors[milestone.status]}>
          {milestoneStatusLabels[milestone.status]}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The moves allowed from here. The server decides: when it refuses (the other party moved
 * first, the connection is gone) its problem is shown as it explains itself.
 */
function StatusActions({ contract, me }: { contract: ContractDocument; me: string }) {
  const actions = contractActions(contract, me);
  const [busy, setBusy] = useState<ContractStatus | null>(null);
  const [confirming, setConfirming] = useState<ContractAction | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /**
   * Saved on the server, on its way back to this device through sync: shown until this
   * device's copy changes (the saved version arriving, or anything newer).
   */
  const [saved, setSaved] = useState<{ over: string } | null>(null);
  const awaiting = saved !== null && saved.over === contract.updatedAt;

  const move = async (to: ContractStatus) => {
    setBusy(to);
    setFailure(null);
    try {
      const answer = await changeContractStatus(contract.id, to);
      if (answer.updatedAt !== contract.updatedAt) setSaved({ over: contract.updatedAt });
      notifications.show({ color: 'teal', title: 'Contract updated', message: movedMessages[to] });
      setConfirming(null);
    } catch (error) {
      setFailure(refusedMoveText(error, contractStatusLabels, 'nothing, it is final'));
      setConfirming(null);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs">
      {actions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {contract.status === 'ended'
            ? 'This contract has ended; nothing more can change its status.'
            : 'Only the client pauses or resumes this contract.'}
        </Text>
      ) : (
        <Group gap="xs" role="group" aria-label="Contract actions">
          {actions.map((action) => (
            <Button
              key={action.to}
              size="sm"
              variant={action.to === 'ended' ? 'light' : 'filled'}
              color={action.to === 'ended' ? 'red' : undefined}
              loading={busy === action.to && !confirming}
              disabled={busy !== null || awaiting}
              onClick={() => (action.confirm ? setConfirming(action) : void move(action.to))}
            >
              {action.label}
            </Button>
          ))}
          {awaiting && (
            <Group gap={6} role="status">
              <Loader size="xs" aria-hidden />
              <Text size="sm" c="dimmed">
                Saved; updating this device…
              </Text>
            </Group>
          )}
        </Group>
      )}
      {failure && (
        <DismissibleAlert title="The contract was not changed" onDismiss={() => setFailure(null)}>
          {failure}
        </DismissibleAlert>
      )}
      <ConfirmDialog
        opened={confirming !== null}
        title={confirming?.confirm?.title ?? ''}
        confirmLabel={confirming?.confirm?.confirmLabel ?? ''}
        busy={busy !== null}
        onConfirm={() => confirming && void move(confirming.to)}
        onCancel={() => setConfirming(null)}
      >
        {confirming?.confirm?.question}
      </ConfirmDialog>
    </Stack>
  );
}
