import {
  Alert,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconFileText } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import type { ContractStatus } from '../../../shared/marketplace/contracts.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { formatDate } from '../../ui/format.ts';
import { AnchorLink, NavLinkLink } from '../../ui/links.tsx';
import { useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { useContracts } from './contracts-data.ts';
import {
  contractStatusColors,
  contractStatusLabels,
  contractTypeLabels,
  counterpart,
  countByStatus,
  groupByStatus,
  partyLabels,
  priceText,
} from './contracts-model.ts';

const rowStyles = {
  root: { borderRadius: 'var(--mantine-radius-md)', paddingBlock: 12 },
  body: { minWidth: 0 },
} as const;

/**
 * Contracts: every contract of mine, as client or freelancer, grouped by status or one status
 * at a time. Read from this device's database, so the list is there offline and changes as
 * soon as a change reaches the device.
 */
export function ContractsPage({ status }: { status: ContractStatus | undefined }) {
  const engine = useSyncEngine();
  const startError = useSyncStartError();
  const contracts = useContracts();
  const navigate = useNavigate();
  const counts = contracts ? countByStatus(contracts) : null;

  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1} fz={28}>
          Contracts
        </Title>
        <Text c="dimmed">
          Your contracts as client or freelancer. They are kept on this device, so they are here
          offline too.
        </Text>
      </div>

      {!engine && startError ? (
        <ContractsCouldNotOpen reason={startError} />
      ) : !contracts || !counts ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading contracts" role="status">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} height={64} radius="md" />
          ))}
        </Stack>
      ) : contracts.length === 0 ? (
        <NoContracts />
      ) : (
        <>
          <SegmentedControl
            aria-label="Show contracts"
            value={status ?? 'all'}
            onChange={(value) =>
              void navigate({
                to: '/contracts',
                search: value === 'all' ? {} : { status: value },
              })
            }
            data={[
              { value: 'all', label: `All (${contracts.length})` },
              ...(['active', 'paused', 'ended'] as const).map((value) => ({
                value,
                label: `${contractStatusLabels[value]} (${counts[value]})`,
              })),
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
          {status ? (
            <ContractGroup
              status={status}
              contracts={contracts.filter((c) => c.status === status)}
              me={engine?.userId ?? ''}
              withHeading={false}
            />
          ) : (
            groupByStatus(contracts).map((group) => (
              <ContractGroup
                key={group.status}
                status={group.status}
                contracts={group.contracts}
                me={engine?.userId ?? ''}
                withHeading
              />
            ))
          )}
        </>
      )}
    </Stack>
  );
}

/** This device's database did not open, so no contract can show: why, in words. */
export function ContractsCouldNotOpen({ reason }: { reason: string }) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertCircle />}
      role="alert"
      title="Contracts on this device could not open"
    >
      {reason}
    </Alert>
  );
}

function ContractGroup({
  status,
  contracts,
  me,
  withHeading,
}: {
  status: ContractStatus;
  contracts: ContractDocument[];
  me: string;
  withHeading: boolean;
}) {
  const label = `${contractStatusLabels[status]} contracts`;
  return (
    <Stack gap="xs" component="section" aria-label={label}>
      {withHeading && (
        <Title order={2} fz="lg">
          {contractStatusLabels[status]}
        </Title>
      )}
      {contracts.length === 0 ? (
        <Text c="dimmed" size="sm">
          No {contractStatusLabels[status].toLowerCase()} contracts.
        </Text>
      ) : (
        <Paper withBorder radius="md" p={6}>
          <Stack
            component="ul"
            gap={2}
            m={0}
            p={0}
            aria-label={label}
            style={{ listStyle: 'none' }}
          >
            {contracts.map((contract) => (
              <li key={contract.id}>
                <ContractRow contract={contract} me={me} />
              </li>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function ContractRow({ contract, me }: { contract: ContractDocument; me: string }) {
  const other = counterpart(contract, me);
  return (
    <NavLinkLink
      to="/contracts/$contractId"
      params={{ contractId: contract.id }}
      styles={rowStyles}
      data-contract-id={contract.id}
      label={
        <Group justify="space-between" wrap="nowrap" gap="md">
          <Text fw={600} truncate>
            {contract.projectTitle}
          </Text>
          <Badge
            color={contractStatusColors[contract.status]}
            variant="light"
            style={{ flexShrink: 0 }}
          >
            {contractStatusLabels[contract.status]}
          </Badge>
        </Group>
      }
      description={
        <Group justify="space-between" wrap="nowrap" gap="md" mt={4}>
          <Text size="sm" c="dimmed" truncate>
            {partyLabels[other.party]}: {other.person.name} · since {formatDate(contract.createdAt)}
          </Text>
          <Text size="sm" style={{ flexShrink: 0 }}>
            {contractTypeLabels[contract.type]} · {priceText(contract)}
          </Text>
        </Group>
      }
    />
  );
}

function NoContracts() {
  return (
    <Paper withBorder radius="md" p="xl" role="status">
      <Stack align="center" gap="xs" ta="center">
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden>
          <IconFileText size={24} stroke={1.5} />
        </ThemeIcon>
        <Text fw={600}>No contracts yet</Text>
        <Text size="sm" c="dimmed" maw={460}>
          A contract starts when a client accepts a freelancer’s proposal in the Marketplace. It
          then appears here for both of you, with its milestones or hourly terms.
        </Text>
        <AnchorLink to="/marketplace" size="sm">
          Go to the Marketplace
        </AnchorLink>
      </Stack>
    </Paper>
  );
}
