import {
  Alert,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  walletTransactionKinds,
  type Wallet,
  type WalletTransaction,
  type WalletTransactionKind,
} from '../../../shared/money/escrow-commands.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { readableError } from '../../api/problems.ts';
import { formatDateTime } from '../../ui/format.ts';
import { usePagedList } from '../marketplace/use-paged-list.ts';
import { fetchTransactions, fetchWallet } from './escrow-api.ts';
import { dayRange, transactionKindLabels } from './wallet-model.ts';

/**
 * The wallet: what this person holds per currency (pending, available, in escrow) and every
 * money movement they were part of, with its fees, filtered by kind and dates. Balances come
 * from the server's ledger, so this page needs the connection.
 */
export function WalletPage() {
  return (
    <Stack gap="lg" maw={1040}>
      <div>
        <Title order={1} fz={30}>
          Wallet
        </Title>
        <Text c="dimmed">
          Your balances and every payment, release, refund and payout you were part of.
        </Text>
      </div>
      <Balances />
      <Transactions />
    </Stack>
  );
}

function Balances() {
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    fetchWallet()
      .then((answer) => current && setWallet(answer))
      .catch((failure: unknown) => current && setError(readableError(failure)));
    return () => {
      current = false;
    };
  }, []);

  if (error) {
    return (
      <Alert color="red" title="Balances could not be loaded" role="alert">
        {error}
      </Alert>
    );
  }
  if (!wallet) return <Skeleton height={110} radius="md" aria-label="Loading balances" />;
  if (wallet.balances.length === 0) {
    return (
      <Card withBorder radius="md" padding="lg">
        <Text c="dimmed">No money has moved on your contracts yet.</Text>
      </Card>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {wallet.balances.map((balance) => (
        <Card
          key={balance.currency}
          withBorder
          radius="md"
          padding="lg"
          component="section"
          aria-label={`${balance.currency} balance`}
          data-testid="wallet-balance"
        >
          <Title order={2} fz="md" mb="sm">
            {balance.currency}
          </Title>
          <SimpleGrid cols={3} spacing="sm">
            {(
              [
                ['Pending', balance.pendingMinor, 'Released to you, on its way to your account'],
                ['Available', balance.availableMinor, 'In your payout account'],
                ['In escrow', balance.inEscrowMinor, 'Held on your contracts'],
              ] as const
            ).map(([label, amountMinor, hint]) => (
              <Stack key={label} gap={2}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {label}
                </Text>
                <Text fz="lg" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatMoney({ amountMinor, currency: balance.currency })}
                </Text>
                <Text size="xs" c="dimmed">
                  {hint}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The paged list keys its items by a string id: the ledger transaction's number. */
type Row = { id: string; transaction: WalletTransaction };

function Transactions() {
  const [kind, setKind] = useState<WalletTransactionKind | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = dayRange(from, to);
  const filterKey = range.ok ? JSON.stringify({ kind, from, to }) : null;
  const list = usePagedList<Row>(filterKey, async (cursor) => {
    const page = await fetchTransactions(
      {
        kind: kind ?? undefined,
        from: range.ok ? range.from : undefined,
        to: range.ok ? range.to : undefined,
      },
      cursor === undefined ? null : Number(cursor),
    );
    return {
      items: page.transactions.map((transaction) => ({ id: String(transaction.id), transaction })),
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
    };
  });

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="transactions">
      <Stack gap="md">
        <Title order={2} fz="lg" id="transactions">
          Transactions
        </Title>
        <Group gap="sm" align="flex-end" role="group" aria-label="Transaction filters">
          <Select
            label="Kind"
            placeholder="All kinds"
            clearable
            data={walletTransactionKinds.map((value) => ({
              value,
              label: transactionKindLabels[value],
            }))}
            value={kind}
            onChange={(value) =>
              setKind(walletTransactionKinds.find((known) => known === value) ?? null)
            }
            w={200}
          />
          <TextInput
            type="date"
            label="From"
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
            w={170}
          />
          <TextInput
            type="date"
            label="To"
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            error={range.ok ? undefined : range.error}
            w={170}
          />
        </Group>
        {list.error ? (
          <Alert color="red" title="Transactions could not be loaded" role="alert">
            {list.error}
          </Alert>
        ) : list.items === undefined ? (
          <Skeleton height={160} radius="md" />
        ) : list.items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {kind || from || to ? 'No transactions match these filters.' : 'No transactions yet.'}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" aria-label="Wallet transactions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th ta="right">Gross</Table.Th>
                  <Table.Th ta="right">Platform fee</Table.Th>
                  <Table.Th ta="right">Provider fee</Table.Th>
                  <Table.Th ta="right">Net</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((row) => (
                  <TransactionRow key={row.id} transaction={row.transaction} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.hasMore && (
          <Group justify="center">
            <Button variant="default" loading={list.loadingMore} onClick={list.loadMore}>
              Load older transactions
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function TransactionRow({ transaction }: { transaction: WalletTransaction }) {
  const money = (amountMinor: number) =>
    formatMoney({ amountMinor, currency: transaction.currency });
  const tabular = { fontVariantNumeric: 'tabular-nums' } as const;
  return (
    <Table.Tr data-testid="wallet-transaction">
      <Table.Td>{formatDateTime(transaction.createdAt)}</Table.Td>
      <Table.Td>{transactionKindLabels[transaction.kind]}</Table.Td>
      <Table.Td ta="right" style={tabular}>
        {money(transaction.grossMinor)}
      </Table.Td>
      <Table.Td ta="right" style={tabular}>
        {money(transaction.platformFeeMinor)}
      </Table.Td>
      <Table.Td ta="right" style={tabular}>
        {money(transaction.providerFeeMinor)}
      </Table.Td>
      <Table.Td ta="right" style={tabular} fw={600}>
        {money(transaction.netMinor)}
      </Table.Td>
    </Table.Tr>
  );
}
