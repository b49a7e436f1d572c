import { Button, Group, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { EscrowDocument } from '../../../shared/money/escrow.ts';
import { formatMoney, type Money } from '../../../shared/money/money.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { myParty } from '../contracts/contracts-model.ts';
import { amountText, parseAmount } from '../marketplace/money-fields.ts';
import { CommandDialog } from './CommandDialog.tsx';
import {
  decideRefund,
  fundEscrow,
  openDispute,
  releaseEscrow,
  requestRefund,
  retryPayment,
  submitWork,
} from './escrow-api.ts';
import {
  escrowCommands,
  pendingRefund,
  type EscrowCommand,
  type PaymentTarget,
} from './escrow-model.ts';
import { useIdempotentCommand } from './idempotency.ts';
import { CardPicker } from './CardPicker.tsx';

const labels: Record<Exclude<EscrowCommand, 'decideRefund'>, string> = {
  fund: 'Fund',
  retry: 'Retry payment',
  submit: 'Submit work',
  release: 'Approve & release',
  requestRefund: 'Request refund',
  offerRefund: 'Offer refund',
  dispute: 'Open dispute',
};

const done = (title: string, message: string) =>
  notifications.show({ color: 'teal', title, message });

/**
 * The commands the viewer may give on one milestone's or week's escrow, each behind a dialog
 * that says what will move. The changed escrow comes back to this device through sync.
 */
export function EscrowActions(props: {
  escrow: EscrowDocument | undefined;
  contract: ContractDocument;
  me: string;
  target: PaymentTarget;
  gross: Money;
}) {
  const { escrow, contract, me } = props;
  const party = myParty(contract, me);
  const commands = escrowCommands(escrow, party, me, {
    kind: props.target.kind,
    contractActive: contract.status === 'active',
  });
  // Each dialog mounts when opened: a fresh command runner, so a fresh intent, per opening.
  const [open, setOpen] = useState<EscrowCommand | null>(null);
  // The refund under decision, kept while its dialog is open even once it is decided.
  const [deciding, setDeciding] = useState<string | null>(null);
  const show = (command: EscrowCommand) => {
    if (command === 'decideRefund')
      setDeciding(escrow ? (pendingRefund(escrow)?.id ?? null) : null);
    setOpen(command);
  };
  const close = () => setOpen(null);

  const shared = { escrow, onClose: close };
  // The open dialog stays mounted while the escrow changes under it (a payment's
  // intermediate states arrive through sync while its answer is on its way), so what the
  // server answered stays on screen.
  return (
    <>
      {commands.length === 0 ? (
        <Text size="xs" c="dimmed">
          {escrow ? 'Nothing to do here.' : 'The client funds this.'}
        </Text>
      ) : (
        <Group gap={6} role="group" aria-label="Payment actions">
          {commands.map((command) =>
            command === 'decideRefund' ? (
              <Button key={command} size="xs" variant="light" onClick={() => show(command)}>
                Review refund request
              </Button>
            ) : (
              <Button
                key={command}
                size="xs"
                variant={command === 'dispute' || command.endsWith('Refund') ? 'subtle' : 'filled'}
                color={command === 'dispute' ? 'red' : undefined}
                onClick={() => show(command)}
              >
                {labels[command]}
              </Button>
            ),
          )}
        </Group>
      )}
      {(open === 'fund' || open === 'retry') && (
        <FundDialog {...shared} {...props} retry={open === 'retry'} />
      )}
      {open === 'submit' && escrow && <SubmitDialog {...shared} escrow={escrow} />}
      {open === 'release' && escrow && (
        <ReleaseDialog {...shared} escrow={escrow} week={props.target.kind === 'week'} />
      )}
      {(open === 'requestRefund' || open === 'offerRefund') && escrow && (
        <RefundDialog {...shared} escrow={escrow} offer={open === 'offerRefund'} />
      )}
      {open === 'decideRefund' && escrow && deciding && (
        <DecideRefundDialog {...shared} escrow={escrow} refundId={deciding} />
      )}
      {open === 'dispute' && escrow && <DisputeDialog {...shared} escrow={escrow} />}
    </>
  );
}

function FundDialog(props: {
  escrow: EscrowDocument | undefined;
  contract: ContractDocument;
  target: PaymentTarget;
  gross: Money;
  retry: boolean;
  onClose: () => void;
}) {
  const run = useIdempotentCommand();
  const [card, setCard] = useState<string | null>(null);
  const { escrow } = props;
  const amount = escrow
    ? { amountMinor: escrow.amountMinor, currency: escrow.currency }
    : props.gross;
  return (
    <CommandDialog
      opened
      title={props.retry ? 'Retry the payment' : 'Fund this milestone'}
      submitLabel={`Pay ${formatMoney(amount)}`}
      failureTitle={props.retry ? 'The payment was not retried' : 'The milestone was not funded'}
      submitDisabled={card === null}
      onClose={props.onClose}
      onSubmit={async () => {
        if (card === null) return false;
        if (props.retry && escrow) {
          const body = { paymentMethodId: card };
          await run(body, (key) => retryPayment(escrow.id, body, key));
        } else if (props.target.kind === 'milestone') {
          const body = {
            contractId: props.contract.id,
            milestoneId: props.target.milestoneId,
            paymentMethodId: card,
          };
          await run(body, (key) => fundEscrow(body, key));
        }
        done('Payment sent', 'The escrow updates here as soon as the payment is confirmed.');
        return true;
      }}
    >
      <Text size="sm">
        {formatMoney(amount)} is charged to the card you choose and held in escrow. It reaches the
        freelancer only when you release it.
      </Text>
      <CardPicker value={card} onChange={setCard} />
    </CommandDialog>
  );
}

function SubmitDialog(props: { escrow: EscrowDocument; onClose: () => void }) {
  const run = useIdempotentCommand();
  return (
    <CommandDialog
      opened
      title="Submit this work for approval?"
      submitLabel="Submit work"
      failureTitle="The work was not submitted"
      onClose={props.onClose}
      onSubmit={async () => {
        await run({ submit: props.escrow.id }, (key) => submitWork(props.escrow.id, key));
        done('Work submitted', 'The client has been asked to review and release the payment.');
        return true;
      }}
    >
      <Text size="sm">
        The client is asked to review it and release the payment. If they do not respond within the
        review period, the payment is released to you automatically.
      </Text>
    </CommandDialog>
  );
}

function ReleaseDialog(props: { escrow: EscrowDocument; week: boolean; onClose: () => void }) {
  const { escrow } = props;
  const run = useIdempotentCommand();
  const [mode, setMode] = useState<'all' | 'part'>('all');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const held = { amountMinor: escrow.heldMinor, currency: escrow.currency };
  const parsed = parseAmount(text, escrow.currency);
  const partMinor = parsed.ok ? parsed.amountMinor : null;

  return (
    <CommandDialog
      opened
      title={props.week ? 'Release this week' : 'Approve and release'}
      submitLabel="Release payment"
      failureTitle="Nothing was released"
      onClose={props.onClose}
      onSubmit={async () => {
        let body: { amountMinor?: number } = {};
        if (mode === 'part') {
          if (!parsed.ok || partMinor === null || partMinor === 0) {
            setError(parsed.ok ? 'Enter the amount to release' : parsed.error);
            return false;
          }
          if (partMinor > escrow.heldMinor) {
            setError(`At most ${formatMoney(held)} is held`);
            return false;
          }
          body = { amountMinor: partMinor };
        }
        await run(body, (key) => releaseEscrow(escrow.id, body, key));
        done('Payment released', 'The freelancer has been paid from escrow.');
        return true;
      }}
    >
      <Radio.Group
        value={mode}
        onChange={(value) => {
          setMode(value === 'part' ? 'part' : 'all');
          setError(null);
        }}
        label="How much to release"
      >
        <Stack gap="xs" mt="xs">
          <Radio
            value="all"
            label={
              props.week
                ? `This week’s approved hours (at most ${formatMoney(held)})`
                : `Everything held: ${formatMoney(held)}`
            }
          />
          <Radio value="part" label="Part of it" />
        </Stack>
      </Radio.Group>
      {mode === 'part' && (
        <TextInput
          label={`Amount to release (${escrow.currency})`}
          placeholder={amountText(escrow.heldMinor, escrow.currency)}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          inputMode="decimal"
          data-autofocus
        />
      )}
      <Text size="sm" c="dimmed">
        The freelancer receives what you release less the platform fee.
      </Text>
    </CommandDialog>
  );
}

function RefundDialog(props: { escrow: EscrowDocument; offer: boolean; onClose: () => void }) {
  const { escrow } = props;
  const run = useIdempotentCommand();
  const [text, setText] = useState(amountText(escrow.heldMinor, escrow.currency));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string }>({});
  const held = { amountMinor: escrow.heldMinor, currency: escrow.currency };
  return (
    <CommandDialog
      opened
      title={props.offer ? 'Offer a refund to the client' : 'Request a refund'}
      submitLabel={props.offer ? 'Offer refund' : 'Request refund'}
      failureTitle="No refund was asked for"
      onClose={props.onClose}
      onSubmit={async () => {
        const parsed = parseAmount(text, escrow.currency);
        const next: { amount?: string; reason?: string } = {};
        if (!parsed.ok) next.amount = parsed.error;
        else if (!parsed.amountMinor) next.amount = 'Enter the amount to refund';
        else if (parsed.amountMinor > escrow.heldMinor)
          next.amount = `At most ${formatMoney(held)} is held`;
        if (reason.trim() === '') next.reason = 'Say why, for the other party';
        setErrors(next);
        if (next.amount || next.reason || !parsed.ok || !parsed.amountMinor) return false;
        const body = { amountMinor: parsed.amountMinor, reason: reason.trim() };
        await run(body, (key) => requestRefund(escrow.id, body, key));
        done(
          props.offer ? 'Refund offered' : 'Refund requested',
          props.offer
            ? 'The refund goes back to the client’s card.'
            : 'The freelancer is asked to approve it.',
        );
        return true;
      }}
    >
      <Text size="sm">
        {props.offer
          ? 'Money you offer back goes to the client’s card once approved.'
          : 'The freelancer (or an administrator) approves or rejects your request.'}{' '}
        {formatMoney(held)} is held.
      </Text>
      <TextInput
        label={`Amount (${escrow.currency})`}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        error={errors.amount}
        inputMode="decimal"
      />
      <Textarea
        label="Reason"
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        error={errors.reason}
        maxLength={2000}
        autosize
        minRows={2}
      />
    </CommandDialog>
  );
}

function DecideRefundDialog(props: {
  escrow: EscrowDocument;
  refundId: string;
  onClose: () => void;
}) {
  const { escrow } = props;
  const refund = escrow.refunds.find((candidate) => candidate.id === props.refundId);
  const approveRun = useIdempotentCommand();
  const rejectRun = useIdempotentCommand();
  const [rejecting, setRejecting] = useState(false);
  if (!refund) return null;
  const amount = formatMoney({ amountMinor: refund.amountMinor, currency: escrow.currency });
  const decide = async (decision: 'approve' | 'reject') => {
    const run = decision === 'approve' ? approveRun : rejectRun;
    await run({ decision, refund: refund.id }, (key) =>
      decideRefund(escrow.id, refund.id, decision, key),
    );
    done(
      decision === 'approve' ? 'Refund approved' : 'Refund rejected',
      decision === 'approve'
        ? `${amount} goes back to the client’s card.`
        : 'The money stays in escrow.',
    );
    return true;
  };
  return (
    <CommandDialog
      opened
      title={`Refund of ${amount} asked for`}
      submitLabel={rejecting ? 'Reject refund' : 'Approve refund'}
      color={rejecting ? 'red' : undefined}
      failureTitle="The refund was not decided"
      onClose={props.onClose}
      onSubmit={() => decide(rejecting ? 'reject' : 'approve')}
    >
      <Text size="sm">“{refund.reason}”</Text>
      <Radio.Group
        value={rejecting ? 'reject' : 'approve'}
        onChange={(value) => setRejecting(value === 'reject')}
        label="Your decision"
      >
        <Stack gap="xs" mt="xs">
          <Radio value="approve" label={`Approve: ${amount} goes back to the client`} />
          <Radio value="reject" label="Reject: the money stays in escrow" />
        </Stack>
      </Radio.Group>
    </CommandDialog>
  );
}

function DisputeDialog(props: { escrow: EscrowDocument; onClose: () => void }) {
  const run = useIdempotentCommand();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <CommandDialog
      opened
      title="Open a dispute"
      submitLabel="Open dispute"
      color="red"
      failureTitle="The dispute was not opened"
      onClose={props.onClose}
      onSubmit={async () => {
        if (reason.trim() === '') {
          setError('Say what went wrong, for the administrator');
          return false;
        }
        const body = { reason: reason.trim() };
        await run(body, (key) => openDispute(props.escrow.id, body, key));
        done('Dispute opened', 'The escrow is frozen until an administrator resolves it.');
        return true;
      }}
    >
      <Text size="sm">
        A dispute freezes the money held (
        {formatMoney({ amountMinor: props.escrow.heldMinor, currency: props.escrow.currency })})
        until an administrator releases it, refunds it or splits it.
      </Text>
      <Textarea
        label="What went wrong"
        value={reason}
        onChange={(event) => {
          setReason(event.currentTarget.value);
          setError(null);
        }}
        error={error}
        maxLength={2000}
        autosize
        minRows={3}
      />
    </CommandDialog>
  );
}
