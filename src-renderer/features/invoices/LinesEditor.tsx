import { ActionIcon, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { MAX_LINES } from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { lineAmount } from '../../../shared/money/invoices.ts';
import { parseAmount } from '../marketplace/money-fields.ts';
import { emptyLine, parseQuantity, type LineDraft, type LineErrors } from './invoice-model.ts';

/**
 * The lines of an invoice written by hand: description, quantity (hours or items, up to
 * three decimals) and unit price, each line's amount shown as the server will compute it.
 */
export function LinesEditor(props: {
  lines: LineDraft[];
  errors: LineErrors[];
  currency: string;
  onChange: (lines: LineDraft[]) => void;
}) {
  const { lines, currency } = props;
  const change = (index: number, patch: Partial<LineDraft>) =>
    props.onChange(lines.map((line, at) => (at === index ? { ...line, ...patch } : line)));
  return (
    <Stack gap="xs">
      <Table verticalSpacing={4} aria-label="Invoice lines" withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Description</Table.Th>
            <Table.Th w={100}>Quantity</Table.Th>
            <Table.Th w={130}>Unit price ({currency})</Table.Th>
            <Table.Th w={110} ta="right">
              Amount
            </Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line, index) => {
            const errors = props.errors[index] ?? {};
            const quantity = parseQuantity(line.quantity);
            const price = parseAmount(line.unitPrice, currency);
            const amount =
              quantity !== null && price.ok && price.amountMinor !== null
                ? formatMoney({ amountMinor: lineAmount(quantity, price.amountMinor), currency })
                : '—';
            return (
              <Table.Tr key={index} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <TextInput
                    aria-label={`Line ${index + 1} description`}
                    value={line.description}
                    onChange={(event) => change(index, { description: event.currentTarget.value })}
                    error={errors.description}
                    maxLength={500}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Line ${index + 1} quantity`}
                    value={line.quantity}
                    onChange={(event) => change(index, { quantity: event.currentTarget.value })}
                    error={errors.quantity}
                    inputMode="decimal"
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Line ${index + 1} unit price`}
                    value={line.unitPrice}
                    onChange={(event) => change(index, { unitPrice: event.currentTarget.value })}
                    error={errors.unitPrice}
                    inputMode="decimal"
                  />
                </Table.Td>
                <Table.Td ta="right" pt={10} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  <Text size="sm">{amount}</Text>
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    mt={4}
                    aria-label={`Remove line ${index + 1}`}
                    disabled={lines.length === 1}
                    onClick={() => props.onChange(lines.filter((_, at) => at !== index))}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          disabled={lines.length >= MAX_LINES}
          onClick={() => props.onChange([...lines, emptyLine()])}
        >
          Add line
        </Button>
      </Group>
    </Stack>
  );
}
