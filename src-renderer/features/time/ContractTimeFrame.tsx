import { Alert, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import { useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { AnchorLink } from '../../ui/links.tsx';
import { useContract } from '../contracts/contracts-data.ts';

/**
 * What a contract's time screens (diary, timesheet) stand in: a way back to the contract, and
 * the states before there is anything to show (database opening or failed, the contract not
 * on this device). `children` runs once the contract is here.
 */
export function ContractTimeFrame({
  contractId,
  what,
  children,
}: {
  contractId: string;
  /** "work diary", "timesheet": for the message when the database cannot open. */
  what: string;
  children: (contract: ContractDocument, engine: SyncEngine) => ReactNode;
}) {
  const engine = useSyncEngine();
  const startError = useSyncStartError();
  const contract = useContract(contractId);
  return (
    <Stack gap="lg" maw={1200}>
      <AnchorLink
        to="/contracts/$contractId"
        params={{ contractId }}
        size="sm"
        style={{ alignSelf: 'flex-start' }}
      >
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Back to the contract
        </Group>
      </AnchorLink>
      {!engine && startError ? (
        <Alert color="red" title={`The ${what} cannot open`}>
          {startError}
        </Alert>
      ) : !engine || contract === undefined ? (
        <Skeleton h={300} aria-label={`Loading the ${what}`} />
      ) : contract === null ? (
        <Stack gap="xs">
          <Title order={1} fz={26}>
            This contract is not on this device
          </Title>
          <Text c="dimmed">
            Its time shows here once the contract reaches this device through sync.
          </Text>
        </Stack>
      ) : (
        children(contract, engine)
      )}
    </Stack>
  );
}
