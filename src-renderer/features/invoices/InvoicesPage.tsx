import {
  Badge,
  Card,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { invoiceStatuses, type InvoiceStatus } from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { formatDate } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { ContractsCouldNotOpen } from '../contracts/ContractsPage.tsx';
import { useInvoices } from './invoices-data.ts';
import { invoiceStatusColors, invoiceStatusLabels, totalsByCurrency } from './invoice-model.ts';
import { NewInvoiceButton } from './NewInvoiceButton.tsx';

export type InvoiceSide = 'issued' | 'received';

/**
 * Invoices I issued (as a freelancer) and received (as a client), from this device's
 * database, so the list reads offline. `side` and `status` narrow it; the totals are per
 * currency, void invoices left out.
 */
export function InvoicesPage(props: {
  side?: InvoiceSide | undefined;
  status?: InvoiceStatus | undefined;
}) {
  const engine = useSyncEngine();
  const startError = useSyncStartError();
  const invoices = useInvoices();
  const navigate = useNavigate();
  const me = engine?.userId ?? '';
  // Freelancers issue invoices and clients receive them: each starts on their own side.
  const client = useSessionStore((state) => state.user?.role === 'client');
  const side: InvoiceSide = props.side ?? (client ? 'received' : 'issued');
  const mine = (invoices ?? []).filter((invoice) =>
    side === 'issued' ? invoice.issuerId === me : invoice.recipientId === me,
  );
  const shown = props.status ? mine.filter((invoice) => invoice.status === props.status) : mine;
  const totals = totalsByCurrency(shown);
  const setSearch = (next: { side?: InvoiceSide; status?: InvoiceStatus | undefined }) =>
    void navigate({
      to: '/invoices',
      search: { side: next.side ?? side, ...(next.status ? { status: next.status } : {}) },
    });

  return (
    <Stack gap="lg" maw={1040}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={30}>
            Invoices
          </Title>
          <Text c="dimmed">
            Invoices you issued for your work and invoices you received from freelancers.
          </Text>
        </div>
        <NewInvoiceButton />
      </Group>
      {!engine && startError ? (
        <ContractsCouldNotOpen reason={startError} />
      ) : (
        <Card withBorder radius="md" padding="lg">
          <Stack gap="md">
            <Group justify="space-between" wrap="wrap">
              <SegmentedControl
                aria-label="Issued or received"
                value={side}
                onChange={(value) =>
                  setSearch({
                    side: value === 'received' ? 'received' : 'issued',
                    status: props.status,
                  })
                }
                data={[
                  { value: 'issued', label: 'Issued' },
                  { value: 'received', label: 'Received' },
                ]}
              />
              <SegmentedControl
                aria-label="Status"
                value={props.status ?? 'all'}
                onChange={(value) =>
                  setSearch({ status: invoiceStatuses.find((status) => status === value) })
                }
                data={[
                  { value: 'all', label: 'All' },
                  ...invoiceStatuses.map((status) => ({
                    value: status,
                    label: invoiceStatusLabels[status],
                  })),
                ]}
              />
            </Group>
            {invoices === null ? (
              <Skeleton height={160} radius="md" />
            ) : shown.length === 0 ? (
              <Text c="dimmed" size="sm">
                {props.status
                  ? `No ${invoiceStatusLabels[props.status].toLowerCase()} invoices ${side === 'issued' ? 'issued' : 'received'}.`
                  : side === 'issued'
                    ? 'You have not issued an invoice yet.'
                    : 'You have not received an invoice yet.'}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table verticalSpacing="sm" highlightOnHover aria-label="Invoices">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Number</Table.Th>
                      <Table.Th>{side === 'issued' ? 'Client' : 'Freelancer'}</Table.Th>
                      <Table.Th>Contract</Table.Th>
                      <Table.Th>Due</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th ta="right">Total</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((invoice) => (
                      <Table.Tr key={invoice.id} data-testid="invoice-row">
                        <Table.Td>
                          <AnchorLink to="/invoices/$invoiceId" params={{ invoiceId: invoice.id }}>
                            {invoice.number ?? 'Draft'}
                          </AnchorLink>
                        </Table.Td>
                        <Table.Td>
                          {side === 'issued' ? invoice.recipientName : invoice.issuerName}
                        </Table.Td>
                        <Table.Td>{invoice.contractTitle}</Table.Td>
                        <Table.Td>{formatDate(`${invoice.dueDate}T12:00:00Z`)}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={invoiceStatusColors[invoice.status]}>
                            {invoiceStatusLabels[invoice.status]}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {formatMoney({
                            amountMinor: invoice.totalMinor,
                            currency: invoice.currency,
                          })}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                  <Table.Tfoot>
                    {[...totals.entries()].map(([currency, amountMinor]) => (
                      <Table.Tr key={currency}>
                        <Table.Th colSpan={5}>Total ({currency}, void invoices left out)</Table.Th>
                        <Table.Th ta="right" data-testid="invoices-total">
                          {formatMoney({ amountMinor, currency })}
                        </Table.Th>
                      </Table.Tr>
                    ))}
                  </Table.Tfoot>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
