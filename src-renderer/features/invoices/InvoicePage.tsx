import {
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { InvoiceDocument, InvoiceStatus } from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { readableError, refusedMoveText } from '../../api/problems.ts';
import { useSyncEngine } from '../../sync/SyncProvider.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { applyProblemToForm } from '../../ui/forms.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { SaveOrDiscard } from '../../ui/SaveOrDiscard.tsx';
import { amountText } from '../marketplace/money-fields.ts';
import { useIdempotentCommand } from '../money/idempotency.ts';
import { moveInvoice, updateInvoice } from './invoices-api.ts';
import { useInvoice } from './invoices-data.ts';
import {
  draftTotals,
  invoiceMoves,
  invoiceStatusColors,
  invoiceStatusLabels,
  parseLines,
  parseTaxPercent,
  quantityText,
  taxPercentText,
  type InvoiceMove,
  type LineDraft,
  type LineErrors,
} from './invoice-model.ts';
import { LinesEditor } from './LinesEditor.tsx';
import { openInvoicePdf, printInvoicePdf } from './invoice-pdf.ts';

const day = (date: string) => formatDate(`${date}T12:00:00Z`);

/**
 * One invoice, from this device's database: parties, lines, tax and totals, its status and
 * the moves its issuer may make; a draft can be edited. The PDF is the server's rendering.
 */
export function InvoicePage({ invoiceId }: { invoiceId: string }) {
  const engine = useSyncEngine();
  const invoice = useInvoice(invoiceId);
  const back = (
    <AnchorLink to="/invoices" size="sm" style={{ alignSelf: 'flex-start' }}>
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        All invoices
      </Group>
    </AnchorLink>
  );
  if (!engine || invoice === undefined) {
    return (
      <Stack gap="md" maw={960} aria-busy="true" aria-label="Loading the invoice" role="status">
        {back}
        <Skeleton height={36} width="50%" radius="md" />
        <Skeleton height={240} radius="md" />
      </Stack>
    );
  }
  if (invoice === null) {
    return (
      <Stack gap="md" maw={960}>
        {back}
        <Title order={1} fz={26}>
          This invoice is not on this device
        </Title>
        <Text c="dimmed">
          If it was just made, it appears here by itself as soon as this device syncs. Invoices are
          only shown to the freelancer who issued them and the client they bill.
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="lg" maw={960}>
      {back}
      <InvoiceDetails invoice={invoice} me={engine.userId} />
    </Stack>
  );
}

function InvoiceDetails({ invoice, me }: { invoice: InvoiceDocument; me: string }) {
  const [editing, setEditing] = useState(false);
  const issuer = invoice.issuerId === me;
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: invoice.currency });
  return (
    <>
      <Stack gap={6}>
        <Group gap="sm" align="center">
          <Title order={1} fz={28}>
            {invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice'}
          </Title>
          <Badge
            size="lg"
            variant="light"
            color={invoiceStatusColors[invoice.status]}
            data-testid="invoice-status"
          >
            {invoiceStatusLabels[invoice.status]}
          </Badge>
        </Group>
        <Text c="dimmed">
          {invoice.contractTitle} · from <strong>{invoice.issuerName}</strong> to{' '}
          <strong>{invoice.recipientName}</strong>
        </Text>
      </Stack>
      <InvoiceActions invoice={invoice} me={me} onEdit={() => setEditing(true)} editing={editing} />
      {editing && issuer && invoice.status === 'draft' ? (
        <DraftEditor invoice={invoice} onDone={() => setEditing(false)} />
      ) : (
        <Card withBorder radius="md" padding="lg" component="section" aria-label="Invoice">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
              <Fact label="Number" value={invoice.number ?? 'Given when sent'} />
              <Fact label="Issued" value={invoice.issueDate ? day(invoice.issueDate) : 'Not yet'} />
              <Fact label="Due" value={day(invoice.dueDate)} />
              <Fact
                label={invoice.status === 'paid' ? 'Paid' : 'Last change'}
                value={formatDateTime(invoice.paidAt ?? invoice.updatedAt)}
              />
            </SimpleGrid>
            <Table verticalSpacing="xs" aria-label="Invoice lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Description</Table.Th>
                  <Table.Th ta="right">Quantity</Table.Th>
                  <Table.Th ta="right">Unit price</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoice.lines.map((line, index) => (
                  <Table.Tr key={index}>
                    <Table.Td>{line.description}</Table.Td>
                    <Table.Td ta="right">{quantityText(line.quantityThousandths)}</Table.Td>
                    <Table.Td ta="right">{money(line.unitPriceMinor)}</Table.Td>
                    <Table.Td ta="right">{money(line.amountMinor)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={3} ta="right">
                    Subtotal
                  </Table.Th>
                  <Table.Th ta="right">{money(invoice.subtotalMinor)}</Table.Th>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th colSpan={3} ta="right">
                    Tax ({taxPercentText(invoice.taxRateBps)} %)
                  </Table.Th>
                  <Table.Th ta="right">{money(invoice.taxMinor)}</Table.Th>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th colSpan={3} ta="right">
                    Total
                  </Table.Th>
                  <Table.Th ta="right" data-testid="invoice-total">
                    {money(invoice.totalMinor)}
                  </Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
            {invoice.notes && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {invoice.notes}
              </Text>
            )}
          </Stack>
        </Card>
      )}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

function InvoiceActions(props: {
  invoice: InvoiceDocument;
  me: string;
  editing: boolean;
  onEdit: () => void;
}) {
  const { invoice } = props;
  const moves = invoiceMoves(invoice, props.me);
  const [busy, setBusy] = useState<InvoiceStatus | 'pdf' | 'print' | null>(null);
  const [confirming, setConfirming] = useState<InvoiceMove | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const run = useIdempotentCommand();

  const move = async (to: InvoiceStatus) => {
    setBusy(to);
    setFailure(null);
    try {
      await run({ invoice: invoice.id, to }, (key) => moveInvoice(invoice.id, to, key));
      notifications.show({
        color: 'teal',
        title: 'Invoice updated',
        message: `The invoice is now ${invoiceStatusLabels[to].toLowerCase()}.`,
      });
    } catch (error) {
      setFailure(refusedMoveText(error, invoiceStatusLabels, 'nothing, it is final'));
    } finally {
      setConfirming(null);
      setBusy(null);
    }
  };

  const pdf = async (how: 'pdf' | 'print') => {
    setBusy(how);
    setFailure(null);
    try {
      await (how === 'pdf' ? openInvoicePdf(invoice) : printInvoicePdf(invoice));
    } catch (error) {
      setFailure(readableError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs">
      <Group gap="xs" role="group" aria-label="Invoice actions">
        {moves.map((candidate) => (
          <Button
            key={candidate.to}
            size="sm"
            variant={candidate.to === 'void' ? 'light' : 'filled'}
            color={candidate.to === 'void' ? 'red' : undefined}
            loading={busy === candidate.to && !confirming}
            disabled={busy !== null}
            onClick={() => (candidate.confirm ? setConfirming(candidate) : void move(candidate.to))}
          >
            {candidate.label}
          </Button>
        ))}
        {invoice.status === 'draft' && invoice.issuerId === props.me && !props.editing && (
          <Button size="sm" variant="default" onClick={props.onEdit}>
            Edit draft
          </Button>
        )}
        <Button
          size="sm"
          variant="default"
          leftSection={<IconFileTypePdf size={16} />}
          loading={busy === 'pdf'}
          disabled={busy !== null}
          onClick={() => void pdf('pdf')}
        >
          Open PDF
        </Button>
        <Button
          size="sm"
          variant="default"
          leftSection={<IconPrinter size={16} />}
          loading={busy === 'print'}
          disabled={busy !== null}
          onClick={() => void pdf('print')}
        >
          Print
        </Button>
      </Group>
      {failure && (
        <DismissibleAlert title="That did not work" onDismiss={() => setFailure(null)}>
          {failure}
        </DismissibleAlert>
      )}
      <ConfirmDialog
        opened={confirming !== null}
        title={confirming ? `${confirming.label} this invoice?` : ''}
        confirmLabel={confirming?.label ?? ''}
        busy={busy !== null}
        onConfirm={() => confirming && void move(confirming.to)}
        onCancel={() => setConfirming(null)}
      >
        {confirming?.confirm}
      </ConfirmDialog>
    </Stack>
  );
}

const draftsOf = (invoice: InvoiceDocument): LineDraft[] =>
  invoice.lines.map((line) => ({
    description: line.description,
    quantity: quantityText(line.quantityThousandths),
    unitPrice: amountText(line.unitPriceMinor, invoice.currency),
  }));

/**
 * A draft's editor: lines (only on an invoice by hand; a week's or milestone's come from it),
 * tax rate, due date and notes, saved together or discarded.
 */
function DraftEditor({ invoice, onDone }: { invoice: InvoiceDocument; onDone: () => void }) {
  const manual = invoice.source.kind === 'manual';
  const initial = {
    lines: draftsOf(invoice),
    tax: taxPercentText(invoice.taxRateBps),
    dueDate: invoice.dueDate,
    notes: invoice.notes,
  };
  const [values, setValues] = useState(initial);
  const [lineErrors, setLineErrors] = useState<LineErrors[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);
  const taxRateBps = parseTaxPercent(values.tax);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (taxRateBps === null) found.taxRateBps = 'Enter a tax rate in percent, such as 20';
    if (!values.dueDate) found.dueDate = 'Choose a due date';
    const parsed = manual ? parseLines(values.lines, invoice.currency) : null;
    setLineErrors(parsed && !parsed.ok ? parsed.errors : []);
    if (parsed && !parsed.ok) found.lines = 'Some lines need attention';
    setErrors(found);
    if (Object.keys(found).length > 0 || taxRateBps === null) return;
    setBusy(true);
    setFailure(null);
    try {
      await updateInvoice(invoice.id, {
        ...(parsed?.ok ? { lines: parsed.lines } : {}),
        taxRateBps,
        dueDate: values.dueDate,
        notes: values.notes.trim(),
      });
      notifications.show({
        color: 'teal',
        title: 'Draft saved',
        message: 'The invoice is updated.',
      });
      onDone();
    } catch (error) {
      setFailure(
        applyProblemToForm(
          error,
          (field, message) => setErrors((current) => ({ ...current, [field]: message })),
          (property) =>
            ['taxRateBps', 'dueDate', 'notes'].includes(property) ? property : undefined,
        ),
      );
    } finally {
      setBusy(false);
    }
  };

  const preview =
    taxRateBps !== null ? draftTotals(values.lines, invoice.currency, taxRateBps) : null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="Edit draft">
      <form onSubmit={(event) => void save(event)} noValidate>
        <Stack gap="md">
          {manual ? (
            <LinesEditor
              lines={values.lines}
              errors={lineErrors}
              currency={invoice.currency}
              onChange={(lines) => setValues((current) => ({ ...current, lines }))}
            />
          ) : (
            <Text size="sm" c="dimmed">
              The lines of this invoice come from its{' '}
              {invoice.source.kind === 'week' ? 'approved week' : 'released milestone'}.
            </Text>
          )}
          <Group grow align="flex-start">
            <TextInput
              label="Tax rate (%)"
              value={values.tax}
              onChange={(event) => {
                const tax = event.currentTarget.value;
                setValues((current) => ({ ...current, tax }));
              }}
              error={errors.taxRateBps}
              inputMode="decimal"
            />
            <TextInput
              type="date"
              label="Due date"
              value={values.dueDate}
              onChange={(event) => {
                const dueDate = event.currentTarget.value;
                setValues((current) => ({ ...current, dueDate }));
              }}
              error={errors.dueDate}
            />
          </Group>
          <Textarea
            label="Notes"
            value={values.notes}
            onChange={(event) => {
              const notes = event.currentTarget.value;
              setValues((current) => ({ ...current, notes }));
            }}
            error={errors.notes}
            maxLength={2000}
            autosize
            minRows={2}
          />
          {manual && preview && (
            <Text size="sm" ta="right">
              Total{' '}
              <strong>
                {formatMoney({ amountMinor: preview.totalMinor, currency: invoice.currency })}
              </strong>
            </Text>
          )}
          {failure && (
            <DismissibleAlert title="The draft was not saved" onDismiss={() => setFailure(null)}>
              {failure}
            </DismissibleAlert>
          )}
          <Group justify="space-between">
            <Button variant="subtle" onClick={onDone} disabled={busy}>
              Close editor
            </Button>
            <SaveOrDiscard
              dirty={dirty}
              submitting={busy}
              onDiscard={() => setValues(initial)}
              saveLabel="Save draft"
            />
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
