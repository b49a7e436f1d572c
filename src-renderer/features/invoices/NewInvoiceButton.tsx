import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState, type FormEvent } from 'react';
import { map } from 'rxjs';
import type { CreateInvoiceInput, InvoiceSourceInput } from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { applyProblemToForm } from '../../ui/forms.ts';
import { useContracts, useMilestones } from '../contracts/contracts-data.ts';
import { useIdempotentCommand } from '../money/idempotency.ts';
import { latestEscrowBy, useContractEscrows } from '../money/money-data.ts';
import { useSessionStore } from '../session/session-store.ts';
import { weekRange } from '../time/ReviewPanel.tsx';
import { createInvoice } from './invoices-api.ts';
import { useContractInvoices } from './invoices-data.ts';
import {
  draftTotals,
  emptyLine,
  parseLines,
  parseTaxPercent,
  type LineDraft,
  type LineErrors,
} from './invoice-model.ts';
import { LinesEditor } from './LinesEditor.tsx';

type SourceKind = InvoiceSourceInput['kind'];

/** Freelancers bill their clients; a client has nothing to create here. */
export function NewInvoiceButton({ contractId }: { contractId?: string }) {
  const freelancer = useSessionStore((state) => state.user?.role === 'freelancer');
  const [opened, setOpened] = useState(false);
  if (!freelancer) return null;
  return (
    <>
      <Button
        size={contractId ? 'xs' : 'sm'}
        variant={contractId ? 'light' : 'filled'}
        leftSection={<IconPlus size={16} />}
        onClick={() => setOpened(true)}
      >
        New invoice
      </Button>
      {opened && <NewInvoiceDialog contractId={contractId} onClose={() => setOpened(false)} />}
    </>
  );
}

function NewInvoiceDialog(props: { contractId?: string | undefined; onClose: () => void }) {
  const engine = useSyncEngine();
  const me = engine?.userId ?? '';
  const contracts = (useContracts() ?? []).filter((contract) => contract.freelancer.id === me);
  const [contractId, setContractId] = useState<string | null>(props.contractId ?? null);
  const contract = contracts.find((candidate) => candidate.id === contractId);
  return (
    <Modal opened onClose={props.onClose} title="New invoice" size="xl" centered>
      <Stack gap="md">
        <Select
          label="Contract"
          placeholder={contracts.length ? 'Choose a contract' : 'You have no contracts to bill'}
          data={contracts.map((candidate) => ({
            value: candidate.id,
            label: `${candidate.projectTitle} — ${candidate.client.name}`,
          }))}
          value={contractId}
          onChange={setContractId}
          searchable
        />
        {contract ? (
          <InvoiceForm key={contract.id} contract={contract} onClose={props.onClose} />
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

function InvoiceForm({ contract, onClose }: { contract: ContractDocument; onClose: () => void }) {
  const navigate = useNavigate();
  const run = useIdempotentCommand();
  const sources = useBillableSources(contract);
  const [kind, setKind] = useState<SourceKind>(contract.type === 'fixed' ? 'milestone' : 'week');
  const [choice, setChoice] = useState<string | null>(null);
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [lineErrors, setLineErrors] = useState<LineErrors[]>([]);
  const [tax, setTax] = useState('0');
  const [dueDate, setDueDate] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const taxRateBps = parseTaxPercent(tax);
  const options = kind === 'week' ? sources.weeks : kind === 'milestone' ? sources.milestones : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (taxRateBps === null) found.taxRateBps = 'Enter a tax rate in percent, such as 20';
    let source: InvoiceSourceInput = { kind: 'manual' };
    let manualLines: CreateInvoiceInput['lines'];
    if (kind === 'week') {
      if (!choice) found.source = 'Choose an approved week';
      else source = { kind: 'week', week: choice };
    } else if (kind === 'milestone') {
      if (!choice) found.source = 'Choose a released milestone';
      else source = { kind: 'milestone', milestoneId: choice };
    } else {
      const parsed = parseLines(lines, contract.currency);
      setLineErrors(parsed.ok ? [] : parsed.errors);
      if (parsed.ok) manualLines = parsed.lines;
      else found.lines = 'Some lines need attention';
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || taxRateBps === null) return;
    setBusy(true);
    setFailure(null);
    try {
      const input: CreateInvoiceInput = {
        contractId: contract.id,
        source,
        ...(manualLines ? { lines: manualLines } : {}),
        taxRateBps,
        ...(dueDate ? { dueDate } : {}),
        notes: notes.trim(),
      };
      const invoice = await run(input, (key) => createInvoice(input, key));
      onClose();
      await navigate({ to: '/invoices/$invoiceId', params: { invoiceId: invoice.id } });
    } catch (error) {
      setFailure(
        applyProblemToForm(
          error,
          (field, message) => setErrors((current) => ({ ...current, [field]: message })),
          (property) =>
            ['taxRateBps', 'dueDate', 'notes', 'source'].includes(property) ? property : undefined,
        ),
      );
    } finally {
      setBusy(false);
    }
  };

  const preview =
    kind === 'manual' && taxRateBps !== null
      ? draftTotals(lines, contract.currency, taxRateBps)
      : null;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <SegmentedControl
          aria-label="What the invoice bills"
          value={kind}
          onChange={(value) => {
            setKind(value === 'week' || value === 'milestone' ? value : 'manual');
            setChoice(null);
            setErrors({});
          }}
          data={[
            contract.type === 'hourly'
              ? { value: 'week', label: 'An approved week' }
              : { value: 'milestone', label: 'A released milestone' },
            { value: 'manual', label: 'By hand' },
          ]}
        />
        {kind !== 'manual' && (
          <Select
            label={kind === 'week' ? 'Approved week' : 'Released milestone'}
            placeholder={
              options.length
                ? 'Choose one'
                : kind === 'week'
                  ? 'No approved week is waiting to be billed'
                  : 'No released milestone is waiting to be billed'
            }
            data={options}
            value={choice}
            onChange={setChoice}
            error={errors.source}
            description="Its lines come from the contract: the approved hours or the milestone's amount."
          />
        )}
        {kind === 'manual' && (
          <LinesEditor
            lines={lines}
            errors={lineErrors}
            currency={contract.currency}
            onChange={setLines}
          />
        )}
        <Group grow align="flex-start">
          <TextInput
            label="Tax rate (%)"
            value={tax}
            onChange={(event) => setTax(event.currentTarget.value)}
            error={errors.taxRateBps}
            inputMode="decimal"
          />
          <TextInput
            type="date"
            label="Due date"
            description="Leave empty for 14 days from today"
            value={dueDate}
            onChange={(event) => setDueDate(event.currentTarget.value)}
            error={errors.dueDate}
          />
        </Group>
        <Textarea
          label="Notes"
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          error={errors.notes}
          maxLength={2000}
          autosize
          minRows={2}
        />
        {preview && (
          <Text size="sm" ta="right" data-testid="invoice-preview-total">
            Subtotal{' '}
            {formatMoney({ amountMinor: preview.subtotalMinor, currency: contract.currency })} · Tax{' '}
            {formatMoney({ amountMinor: preview.taxMinor, currency: contract.currency })} · Total{' '}
            <strong>
              {formatMoney({ amountMinor: preview.totalMinor, currency: contract.currency })}
            </strong>
          </Text>
        )}
        {failure && (
          <DismissibleAlert title="The invoice was not created" onDismiss={() => setFailure(null)}>
            {failure}
          </DismissibleAlert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Create draft
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * What of a contract can still be billed: its approved weeks (hourly) and its released
 * milestones (fixed), less those on an invoice that is not void.
 */
function useBillableSources(contract: ContractDocument) {
  const engine = useSyncEngine();
  const milestones = useMilestones(contract.id) ?? [];
  const escrows = useContractEscrows(contract.id) ?? [];
  const invoices = useContractInvoices(contract.id) ?? [];
  const approvals = useObservable(
    useMemo(
      () =>
        engine
          ? engine.db.timeReviews
              .find({ selector: { contractId: contract.id, kind: 'approval' } })
              .$.pipe(map((docs) => docs.map((doc) => doc.week)))
          : null,
      [engine, contract.id],
    ),
    [] as string[],
  );
  const billed = new Set(
    invoices
      .filter((invoice) => invoice.status !== 'void')
      .flatMap((invoice) => [invoice.source.week, invoice.source.milestoneId]),
  );
  const byMilestone = latestEscrowBy(escrows, (escrow) => escrow.milestoneId);
  const milestoneOptions = milestones
    .filter((milestone) => {
      const escrow = byMilestone.get(milestone.id);
      return (
        (milestone.status === 'released' || (escrow?.releasedMinor ?? 0) > 0) &&
        !billed.has(milestone.id)
      );
    })
    .map((milestone) => ({
      value: milestone.id,
      label: `${milestone.title} — ${formatMoney(milestone.amount)}`,
    }));
  const weekOptions = [...new Set(approvals)]
    .filter((week) => !billed.has(week))
    .sort()
    .reverse()
    .map((week) => ({ value: week, label: `Week of ${weekRange(week)}` }));
  return { milestones: milestoneOptions, weeks: weekOptions };
}
