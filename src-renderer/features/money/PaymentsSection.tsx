import { Badge, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import type { EscrowDocument } from '../../../shared/money/escrow.ts';
import { formatMoney, type Money } from '../../../shared/money/money.ts';
import type { ContractDocument, MilestoneDocument } from '../../../shared/sync/documents.ts';
import { useMilestones } from '../contracts/contracts-data.ts';
import { myParty } from '../contracts/contracts-model.ts';
import { NewInvoiceButton } from '../invoices/NewInvoiceButton.tsx';
import { EscrowActions } from './EscrowActions.tsx';
import {
  escrowView,
  expectedSplit,
  feeSplit,
  mondayOfIsoWeek,
  type PaymentTarget,
} from './escrow-model.ts';
import { FundWeekButton } from './FundWeekButton.tsx';
import { latestEscrowBy, useContractEscrows } from './money-data.ts';
import { refreshPayments, usePaymentsStore } from './payments-data.ts';

/**
 * A contract's money, for both parties: each milestone (or funded week) with its escrow's
 * state, the gross and what the freelancer receives after the platform's fee, and the
 * commands the viewer may give. Escrows are read from this device's database.
 */
export function PaymentsSection({ contract, me }: { contract: ContractDocument; me: string }) {
  const escrows = useContractEscrows(contract.id);
  const party = myParty(contract, me);
  // The platform's rate, for the net shown before release (asked once per window).
  const feeKnown = usePaymentsStore((state) => state.platformFeeBps !== null);
  useEffect(() => {
    if (!feeKnown) void refreshPayments();
  }, [feeKnown]);
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="payments">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="payments">
            Payments
          </Title>
          <Group gap="sm">
            <Text size="sm" c="dimmed">
              {party === 'client'
                ? 'Money you fund is held in escrow until you release it.'
                : 'The client funds each part in escrow; it is released to you on approval.'}
            </Text>
            {party === 'freelancer' && <NewInvoiceButton contractId={contract.id} />}
          </Group>
        </Group>
        {escrows === null ? (
          <Skeleton height={120} radius="md" />
        ) : contract.type === 'fixed' ? (
          <MilestonePayments contract={contract} me={me} escrows={escrows} />
        ) : (
          <WeekPayments contract={contract} me={me} escrows={escrows} />
        )}
      </Stack>
    </Card>
  );
}

type SectionProps = {
  contract: ContractDocument;
  me: string;
  escrows: EscrowDocument[];
};

function MilestonePayments({ contract, me, escrows }: SectionProps) {
  const milestones = useMilestones(contract.id);
  if (milestones === null) return <Skeleton height={120} radius="md" />;
  if (milestones.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This contract’s milestones have not reached this device yet.
      </Text>
    );
  }
  const byMilestone = latestEscrowBy(escrows, (escrow) => escrow.milestoneId);
  return (
    <PaymentTable label="Milestone payments" first="Milestone">
      {milestones.map((milestone: MilestoneDocument) => (
        <PaymentRow
          key={milestone.id}
          title={milestone.title}
          gross={milestone.amount}
          escrow={byMilestone.get(milestone.id)}
          contract={contract}
          me={me}
          target={{ kind: 'milestone', milestoneId: milestone.id }}
        />
      ))}
    </PaymentTable>
  );
}

function WeekPayments({ contract, me, escrows }: SectionProps) {
  const byWeek = latestEscrowBy(escrows, (escrow) => escrow.week);
  const weeks = [...byWeek.entries()].sort(([a], [b]) => b.localeCompare(a));
  const party = myParty(contract, me);
  return (
    <Stack gap="sm">
      {party === 'client' && contract.status === 'active' && (
        <FundWeekButton contract={contract} fundedWeeks={new Set(byWeek.keys())} />
      )}
      {weeks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {party === 'client'
            ? 'No week is funded yet. Fund a week before work starts; you release it once you have approved its hours.'
            : 'The client has not funded a week yet.'}
        </Text>
      ) : (
        <PaymentTable label="Weekly payments" first="Week">
          {weeks.map(([week, escrow]) => (
            <PaymentRow
              key={week}
              title={`${week} (from ${mondayOfIsoWeek(week)})`}
              gross={{ amountMinor: escrow.amountMinor, currency: escrow.currency }}
              escrow={escrow}
              contract={contract}
              me={me}
              target={{ kind: 'week', week }}
            />
          ))}
        </PaymentTable>
      )}
    </Stack>
  );
}

function PaymentTable(props: { label: string; first: string; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" aria-label={props.label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{props.first}</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Freelancer receives</Table.Th>
            <Table.Th>Escrow</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PaymentRow(props: {
  title: string;
  gross: Money;
  escrow: EscrowDocument | undefined;
  contract: ContractDocument;
  me: string;
  target: PaymentTarget;
}) {
  const { escrow } = props;
  const view = escrowView(escrow);
  const split = feeSplit(escrow);
  const feeBps = usePaymentsStore((state) => state.platformFeeBps);
  const expected = split ? null : expectedSplit(escrow, feeBps);
  const tabular = { fontVariantNumeric: 'tabular-nums' } as const;
  return (
    <Table.Tr data-testid="payment-row">
      <Table.Td>{props.title}</Table.Td>
      <Table.Td ta="right" style={tabular}>
        {formatMoney(props.gross)}
      </Table.Td>
      <Table.Td ta="right" style={tabular}>
        {split ? (
          <Stack gap={0} align="flex-end">
            <Text size="sm" data-testid="freelancer-net">
              {formatMoney(split.net)}
            </Text>
            <Text size="xs" c="dimmed" data-testid="fee-split">
              of {formatMoney(split.released)} released, after a {formatMoney(split.fee)} platform
              fee
            </Text>
          </Stack>
        ) : expected ? (
          <Stack gap={0} align="flex-end">
            <Text size="sm" data-testid="expected-net">
              {formatMoney(expected.net)}
            </Text>
            <Text size="xs" c="dimmed" data-testid="expected-fee">
              on release of {formatMoney(expected.held)}, after a {formatMoney(expected.fee)}{' '}
              platform fee
            </Text>
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            Less the platform fee, shown on release
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Badge variant="light" color={view.color} data-testid="escrow-status">
            {view.label}
          </Badge>
          {view.detail && (
            <Text size="xs" c={view.color === 'red' ? 'red' : 'dimmed'} maw={260}>
              {view.detail}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <EscrowActions
          escrow={escrow}
          contract={props.contract}
          me={props.me}
          target={props.target}
          gross={props.gross}
        />
      </Table.Td>
    </Table.Tr>
  );
}
