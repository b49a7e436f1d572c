import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCreditCard, IconExternalLink } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type {
  PayoutAccountView,
  SavedPaymentMethodView,
} from '../../../shared/money/payment-accounts.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { formatDate } from '../../ui/format.ts';
import { useSessionStore } from '../session/session-store.ts';
import {
  addSandboxCard,
  fetchPayoutAccount,
  fetchPayouts,
  removePaymentMethod,
  startCardSetup,
  startPayoutOnboarding,
} from './payments-api.ts';
import { cardLabel, refreshPayments, usePaymentsStore } from './payments-data.ts';

/** Pages of the payment provider open in the system browser (the app's windows deny them). */
const openOutside = (url: string) => window.open(url, '_blank', 'noopener');

/**
 * Payments settings: which rail this server runs on (the sandbox says so plainly), a client's
 * saved cards, a freelancer's payout account and payouts.
 */
export function PaymentsSettings() {
  const role = useSessionStore((state) => state.user?.role);
  const { rail, error } = usePaymentsStore();
  useEffect(() => {
    void refreshPayments();
  }, []);
  return (
    <Stack gap="lg" maw={760}>
      {rail === null && error ? (
        <Alert color="red" title="Payments could not be loaded" role="alert">
          {error}
        </Alert>
      ) : rail === 'sandbox' ? (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle />}
          title="Sandbox — no real money moves"
          data-testid="payment-rail"
        >
          This server has no payment provider configured. Cards are test cards and payouts are
          simulated, so you can try the whole flow safely.
        </Alert>
      ) : rail === 'stripe' ? (
        <Group gap="xs" data-testid="payment-rail">
          <Badge color="indigo" variant="light">
            Stripe
          </Badge>
          <Text size="sm" c="dimmed">
            Payments are processed by Stripe. Card details never reach MegiLance.
          </Text>
        </Group>
      ) : (
        <Skeleton height={60} radius="md" />
      )}
      {role === 'client' && rail !== null && <SavedCards />}
      {role === 'freelancer' && rail !== null && <Payouts />}
    </Stack>
  );
}

function SavedCards() {
  const { cards, rail } = usePaymentsStore();
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<SavedPaymentMethodView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const attempt = async (what: string, action: () => Promise<unknown>, done?: string) => {
    setBusy(what);
    setFailure(null);
    try {
      await action();
      if (done) notifications.show({ color: 'teal', title: 'Cards updated', message: done });
    } catch (error) {
      setFailure(readableError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="saved-cards">
      <Stack gap="md">
        <div>
          <Title order={2} fz="lg" id="saved-cards">
            Saved cards
          </Title>
          <Text size="sm" c="dimmed">
            Escrow is funded from these. The newest is chosen first when you fund.
          </Text>
        </div>
        {cards === null ? (
          <Skeleton height={60} radius="sm" />
        ) : cards.length === 0 ? (
          <Text size="sm" c="dimmed">
            No saved cards yet.
          </Text>
        ) : (
          <Stack gap="xs" role="list" aria-label="Saved cards">
            {cards.map((card) => (
              <Group key={card.id} justify="space-between" role="listitem" data-testid="saved-card">
                <Group gap="xs">
                  <IconCreditCard size={18} aria-hidden />
                  <Text size="sm">{cardLabel(card)}</Text>
                </Group>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  disabled={busy !== null}
                  onClick={() => setRemoving(card)}
                >
                  Remove
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        <Group gap="xs">
          {rail === 'sandbox' ? (
            <>
              <Button
                size="sm"
                loading={busy === 'succeeds'}
                disabled={busy !== null}
                onClick={() =>
                  void attempt(
                    'succeeds',
                    async () => {
                      await addSandboxCard('succeeds');
                      await refreshPayments();
                    },
                    'A test card that succeeds was added.',
                  )
                }
              >
                Add test card that succeeds
              </Button>
              <Button
                size="sm"
                variant="light"
                loading={busy === 'declines'}
                disabled={busy !== null}
                onClick={() =>
                  void attempt(
                    'declines',
                    async () => {
                      await addSandboxCard('declines');
                      await refreshPayments();
                    },
                    'A test card that is always declined was added.',
                  )
                }
              >
                Add test card that declines
              </Button>
            </>
          ) : (
            <>
              <Button
                size="sm"
                rightSection={<IconExternalLink size={14} />}
                loading={busy === 'setup'}
                disabled={busy !== null}
                onClick={() =>
                  void attempt('setup', async () => openOutside((await startCardSetup()).url))
                }
              >
                Add a card
              </Button>
              <Button
                size="sm"
                variant="default"
                loading={busy === 'refresh'}
                disabled={busy !== null}
                onClick={() => void attempt('refresh', refreshPayments)}
              >
                Refresh after adding
              </Button>
            </>
          )}
        </Group>
        {failure && (
          <DismissibleAlert title="Your cards were not changed" onDismiss={() => setFailure(null)}>
            {failure}
          </DismissibleAlert>
        )}
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this card?"
        confirmLabel="Remove card"
        busy={busy !== null}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const card = removing;
          if (!card) return;
          void attempt(
            'remove',
            async () => {
              await removePaymentMethod(card.id);
              await refreshPayments();
            },
            `${cardLabel(card)} was removed.`,
          ).finally(() => setRemoving(null));
        }}
      >
        {removing ? cardLabel(removing) : ''} is removed from your account. Escrow already funded
        with it stays funded.
      </ConfirmDialog>
    </Card>
  );
}

const accountLabels: Record<PayoutAccountView['status'], { label: string; color: string }> = {
  none: { label: 'Not set up', color: 'gray' },
  onboarding: { label: 'Setup not finished', color: 'yellow' },
  active: { label: 'Active', color: 'green' },
};

const payoutStatusLabels = {
  pending: 'Pending',
  in_transit: 'On its way',
  paid: 'Paid',
  failed: 'Failed',
  canceled: 'Cancelled',
} as const;

type PayoutsState = {
  account: PayoutAccountView;
  payouts: Awaited<ReturnType<typeof fetchPayouts>>['data'];
};

function Payouts() {
  const [state, setState] = useState<PayoutsState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Bumped by Refresh: asks the server again.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    Promise.all([fetchPayoutAccount(), fetchPayouts()])
      .then(([account, payouts]) => {
        if (!current) return;
        setState({ account, payouts: payouts.data });
        setError(null);
      })
      .catch((failure: unknown) => current && setError(readableError(failure)));
    return () => {
      current = false;
    };
  }, [version]);
  const load = () => setVersion((count) => count + 1);

  const onboard = async () => {
    setBusy(true);
    setError(null);
    try {
      openOutside((await startPayoutOnboarding()).url);
    } catch (failure) {
      setError(readableError(failure));
    } finally {
      setBusy(false);
    }
  };

  const status = state ? accountLabels[state.account.status] : null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="payout-account">
      <Stack gap="md">
        <Group justify="space-between">
          <div>
            <Title order={2} fz="lg" id="payout-account">
              Payout account
            </Title>
            <Text size="sm" c="dimmed">
              Released money is transferred here, then paid out to your bank.
            </Text>
          </div>
          {status && (
            <Badge color={status.color} variant="light" size="lg" data-testid="payout-status">
              {status.label}
            </Badge>
          )}
        </Group>
        {state === null && !error && <Skeleton height={80} radius="sm" />}
        {state && state.account.requirementsDue.length > 0 && (
          <div>
            <Text size="sm">Still needed by the payment provider:</Text>
            <List size="sm">
              {state.account.requirementsDue.map((item) => (
                <List.Item key={item}>{item.replace(/[._]/g, ' ')}</List.Item>
              ))}
            </List>
          </div>
        )}
        {state && (
          <Group gap="xs">
            {state.account.status !== 'active' && (
              <Button
                size="sm"
                rightSection={<IconExternalLink size={14} />}
                loading={busy}
                onClick={() => void onboard()}
              >
                {state.account.status === 'none' ? 'Set up payouts' : 'Continue setup'}
              </Button>
            )}
            <Button size="sm" variant="default" onClick={load}>
              Refresh
            </Button>
          </Group>
        )}
        {error && (
          <DismissibleAlert title="Payouts could not be loaded" onDismiss={() => setError(null)}>
            {error}
          </DismissibleAlert>
        )}
        {state && (
          <>
            <Title order={3} fz="md">
              Payouts
            </Title>
            {state.payouts.length === 0 ? (
              <Text size="sm" c="dimmed">
                No payouts yet.
              </Text>
            ) : (
              <Table verticalSpacing="xs" aria-label="Payouts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Arrives</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {state.payouts.map((payout) => (
                    <Table.Tr key={payout.id}>
                      <Table.Td>{formatDate(payout.arrivalDate)}</Table.Td>
                      <Table.Td>{payoutStatusLabels[payout.status]}</Table.Td>
                      <Table.Td ta="right">
                        {formatMoney({
                          amountMinor: payout.amountMinor,
                          currency: payout.currency.toUpperCase(),
                        })}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
