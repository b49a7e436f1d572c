import { Button, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { formatMoney } from '../../../shared/money/money.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { weekOf } from '../../../shared/time/slots.ts';
import { amountText, parseAmount } from '../marketplace/money-fields.ts';
import { CardPicker } from './CardPicker.tsx';
import { CommandDialog } from './CommandDialog.tsx';
import { fundEscrow } from './escrow-api.ts';
import { isoWeekOfMonday, mondayOfIsoWeek, weeklyAmount } from './escrow-model.ts';
import { useIdempotentCommand } from './idempotency.ts';

const weekMs = 7 * 86_400_000;

/**
 * Funding a week of an hourly contract: the client picks the week (this one or one of the
 * next three) and the amount, prefilled with the weekly hour limit at the rate when the
 * contract has a limit.
 */
export function FundWeekButton({
  contract,
  fundedWeeks,
}: {
  contract: ContractDocument;
  fundedWeeks: ReadonlySet<string>;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <div>
      <Button size="sm" onClick={() => setOpened(true)}>
        Fund a week
      </Button>
      {opened && (
        <FundWeekDialog
          contract={contract}
          fundedWeeks={fundedWeeks}
          onClose={() => setOpened(false)}
        />
      )}
    </div>
  );
}

function FundWeekDialog(props: {
  contract: ContractDocument;
  fundedWeeks: ReadonlySet<string>;
  onClose: () => void;
}) {
  const { contract } = props;
  const run = useIdempotentCommand();
  // The weeks offered are those of the moment the dialog opened.
  const [now] = useState(() => Date.now());
  const weeks = [0, 1, 2, 3]
    .map((ahead) => isoWeekOfMonday(weekOf(now + ahead * weekMs)))
    .filter((week) => !props.fundedWeeks.has(week));
  const [week, setWeek] = useState<string | null>(weeks[0] ?? null);
  const suggested = weeklyAmount(contract.rate, contract.weeklyHourLimit);
  const [text, setText] = useState(amountText(suggested, contract.currency));
  const [card, setCard] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parsed = parseAmount(text, contract.currency);
  const amountMinor = parsed.ok ? parsed.amountMinor : null;

  return (
    <CommandDialog
      opened
      title="Fund a week"
      submitLabel={
        amountMinor ? `Pay ${formatMoney({ amountMinor, currency: contract.currency })}` : 'Pay'
      }
      failureTitle="The week was not funded"
      submitDisabled={card === null || week === null}
      onClose={props.onClose}
      onSubmit={async () => {
        if (!parsed.ok || !amountMinor) {
          setError(parsed.ok ? 'Enter the amount to hold for the week' : parsed.error);
          return false;
        }
        if (week === null || card === null) return false;
        const body = { contractId: contract.id, week, amountMinor, paymentMethodId: card };
        await run(body, (key) => fundEscrow(body, key));
        notifications.show({
          color: 'teal',
          title: 'Payment sent',
          message: 'The week shows as funded as soon as the payment is confirmed.',
        });
        return true;
      }}
    >
      <Text size="sm">
        The amount is held in escrow; once you approve the week’s hours you release what they come
        to, and can refund the rest.
      </Text>
      <Stack gap="sm">
        <Select
          label="Week"
          data={weeks.map((value) => ({
            value,
            label: `${value}, from Monday ${mondayOfIsoWeek(value)}`,
          }))}
          value={week}
          onChange={setWeek}
          allowDeselect={false}
          nothingFoundMessage="The next four weeks are funded already"
        />
        <TextInput
          label={`Amount (${contract.currency})`}
          description={
            suggested !== null && contract.rate
              ? `${contract.weeklyHourLimit} hours a week at ${formatMoney(contract.rate)}`
              : 'This contract has no weekly limit: hold what you expect the week to cost.'
          }
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          inputMode="decimal"
        />
        <CardPicker value={card} onChange={setCard} />
      </Stack>
    </CommandDialog>
  );
}
