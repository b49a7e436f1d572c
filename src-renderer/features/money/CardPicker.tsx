import { Alert, Select, Skeleton, Text } from '@mantine/core';
import { useEffect } from 'react';
import { AnchorLink } from '../../ui/links.tsx';
import { cardLabel, refreshPayments, usePaymentsStore } from './payments-data.ts';

/**
 * The saved card to charge, the newest (the server's default) chosen to begin with. With no
 * card saved it says where to add one instead.
 */
export function CardPicker({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { cards, error, rail } = usePaymentsStore();
  useEffect(() => {
    void refreshPayments();
  }, []);
  const first = cards?.[0]?.id ?? null;
  useEffect(() => {
    if (value === null && first !== null) onChange(first);
  }, [value, first, onChange]);

  if (error && cards === null) {
    return (
      <Alert color="red" title="Your saved cards could not be loaded" role="alert">
        {error}
      </Alert>
    );
  }
  if (cards === null) return <Skeleton height={58} radius="sm" aria-label="Loading your cards" />;
  if (cards.length === 0) {
    return (
      <Text size="sm" role="note">
        You have no saved card yet.{' '}
        <AnchorLink to="/settings/$tab" params={{ tab: 'payments' }}>
          Add one in Payments settings
        </AnchorLink>
        , then come back to fund.
      </Text>
    );
  }
  return (
    <Select
      label="Card"
      description={rail === 'sandbox' ? 'Sandbox — no real money moves.' : undefined}
      data={cards.map((card) => ({ value: card.id, label: cardLabel(card) }))}
      value={value}
      onChange={onChange}
      allowDeselect={false}
    />
  );
}
