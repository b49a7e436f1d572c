import { ActionIcon, Button, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { MAX_PORTFOLIO_ITEMS, type PortfolioItem } from '../../../shared/marketplace/profiles.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { formatDate } from '../../ui/format.ts';
import { OutsideLink } from '../../ui/links.tsx';
import { htmlToPlainText } from '../marketplace/plain-text.ts';
import { RichText } from '../marketplace/RichText.tsx';
import {
  addPortfolioItem,
  removePortfolioItem,
  updatePortfolioItem,
} from './freelancer-profile-api.ts';
import { PortfolioItemForm, Thumbnail } from './PortfolioItemForm.tsx';
import { emptyPortfolioItem, moveItem, portfolioValuesOf } from './portfolio-form.ts';

/**
 * The freelancer's portfolio as they curate it: add, edit, remove and reorder pieces of work.
 * Each change is its own request and shows at once; a failed move is put back.
 */
export function PortfolioEditor({ initial }: { initial: PortfolioItem[] }) {
  const [items, setItems] = useState(initial);
  /** The item whose form is open, `'new'` for the add form, or null. */
  const [editing, setEditing] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const [removing, setRemoving] = useState<PortfolioItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const full = items.length >= MAX_PORTFOLIO_ITEMS;

  const move = async (item: PortfolioItem, to: number) => {
    const before = items;
    setError(null);
    setMoving(true);
    setItems(moveItem(items, item.id, to));
    try {
      const moved = await updatePortfolioItem(item.id, { position: to });
      setItems((current) => current.map((other) => (other.id === moved.id ? moved : other)));
    } catch (moveError) {
      setItems(before);
      setError(`Could not move ${item.title}. ${readableError(moveError)}`);
    } finally {
      setMoving(false);
    }
  };

  const remove = async (item: PortfolioItem) => {
    setBusy(true);
    try {
      await removePortfolioItem(item.id);
      setItems((current) =>
        current
          .filter((other) => other.id !== item.id)
          .map((other, position) => ({ ...other, position })),
      );
      setRemoving(null);
      notifications.show({
        color: 'teal',
        message: `${item.title} is no longer in your portfolio.`,
      });
    } catch (removeError) {
      setRemoving(null);
      setError(`Could not remove ${item.title}. ${readableError(removeError)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <div>
        <Title order={2} fz={18} id={headingId}>
          Portfolio
        </Title>
        <Text size="sm" c="dimmed">
          Up to {MAX_PORTFOLIO_ITEMS} pieces of work, in the order clients see them. Changes here
          are saved one by one, as you make them.
        </Text>
      </div>
      {error && <DismissibleAlert onDismiss={() => setError(null)}>{error}</DismissibleAlert>}
      {items.length === 0 && editing !== 'new' && (
        <Text size="sm" c="dimmed">
          Nothing in your portfolio yet.
        </Text>
      )}
      {items.length > 0 && (
        <Stack gap="sm" component="ol" p={0} m={0} aria-label="Your portfolio" style={listStyle}>
          {items.map((item, index) =>
            editing === item.id ? (
              <li key={item.id}>
                <PortfolioItemForm
                  heading={`Edit ${item.title}`}
                  submitLabel="Save changes"
                  initialValues={portfolioValuesOf(item, htmlToPlainText(item.descriptionHtml))}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (input) => {
                    const saved = await updatePortfolioItem(item.id, input);
                    setItems((current) =>
                      current.map((other) => (other.id === saved.id ? saved : other)),
                    );
                    setEditing(null);
                  }}
                />
              </li>
            ) : (
              <PortfolioRow
                key={item.id}
                item={item}
                first={index === 0}
                last={index === items.length - 1}
                moving={moving}
                onMove={(to) => void move(item, to)}
                onEdit={() => setEditing(item.id)}
                onRemove={() => setRemoving(item)}
                index={index}
              />
            ),
          )}
        </Stack>
      )}
      {editing === 'new' ? (
        <PortfolioItemForm
          heading="Add to your portfolio"
          submitLabel="Add to portfolio"
          initialValues={emptyPortfolioItem()}
          onCancel={() => setEditing(null)}
          onSubmit={async (input) => {
            const added = await addPortfolioItem(input);
            setItems((current) => [...current, added]);
            setEditing(null);
          }}
        />
      ) : (
        <Group>
          <Button
            variant="light"
            leftSection={<IconPlus size={16} />}
            disabled={full}
            onClick={() => setEditing('new')}
          >
            Add a piece of work
          </Button>
          {full && (
            <Text size="sm" c="dimmed">
              Your portfolio is full: remove an item to add another.
            </Text>
          )}
        </Group>
      )}
      <ConfirmDialog
        opened={removing !== null}
        title="Remove from your portfolio?"
        confirmLabel="Remove"
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
      >
        {removing?.title} will no longer show on your profile.
      </ConfirmDialog>
    </Stack>
  );
}

function PortfolioRow({
  item,
  index,
  first,
  last,
  moving,
  onMove,
  onEdit,
  onRemove,
}: {
  item: PortfolioItem;
  index: number;
  first: boolean;
  last: boolean;
  moving: boolean;
  onMove: (to: number) => void;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const titleId = useId();
  return (
    <Card withBorder radius="md" padding="sm" component="li" aria-labelledby={titleId}>
      <Group wrap="nowrap" align="flex-start" gap="md">
        <Thumbnail hash={item.imageHash} alt={item.title} />
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} id={titleId} truncate="end">
            {item.title}
          </Text>
          {(item.completedOn || item.url) && (
            <Group gap={6} wrap="nowrap">
              {item.completedOn && (
                <Text size="xs" c="dimmed">
                  Finished {formatDate(item.completedOn)}
                </Text>
              )}
              {item.url && (
                <OutsideLink href={item.url} size="xs" truncate="end">
                  {item.url}
                </OutsideLink>
              )}
            </Group>
          )}
          {item.descriptionHtml && <RichText html={item.descriptionHtml} />}
        </Stack>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Move up">
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Move ${item.title} up`}
              disabled={first || moving}
              onClick={() => onMove(index - 1)}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Move down">
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Move ${item.title} down`}
              disabled={last || moving}
              onClick={() => onMove(index + 1)}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Edit">
            <ActionIcon variant="subtle" aria-label={`Edit ${item.title}`} onClick={onEdit}>
              <IconEdit size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Remove">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove ${item.title}`}
              onClick={onRemove}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
    </Card>
  );
}

const listStyle = { listStyle: 'none' } as const;
