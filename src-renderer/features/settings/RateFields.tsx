import { Select, SimpleGrid, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { currencyOptions } from '../../ui/money.ts';

const currencies = currencyOptions();

/** An hourly rate as people type it: an amount and the currency they bill in. */
export function RateFields(props: {
  amount: GetInputPropsReturnType;
  currency: GetInputPropsReturnType;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label="Hourly rate"
        description="Per hour, before fees. Leave empty to hide it."
        inputMode="decimal"
        placeholder="85.00"
        {...props.amount}
      />
      <Select
        label="Currency"
        description="The currency you bill in."
        data={currencies}
        searchable
        allowDeselect={false}
        {...props.currency}
      />
    </SimpleGrid>
  );
}
