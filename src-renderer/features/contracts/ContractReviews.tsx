import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  Input,
  Rating,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCloudOff, IconRefresh } from '@tabler/icons-react';
import { useEffect, useId, useRef, useState } from 'react';
import {
  REVIEW_PUBLISH_DAYS,
  submitReviewInputSchema,
  type ContractReviews as Reviews,
} from '../../../shared/marketplace/reviews.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { formatDate } from '../../ui/format.ts';
import { applyProblemToForm, validateWith } from '../../ui/forms.ts';
import { ReviewCard } from '../marketplace/ReviewsSection.tsx';
import { useRemote } from '../marketplace/use-remote.ts';
import { useDeviceOffline } from '../messages/messages-data.ts';
import { fetchContractReviews, submitReview } from './contracts-api.ts';
import { counterpart } from './contracts-model.ts';

/**
 * Once a contract has ended, each party reviews the other (1–5 stars and a few words). A
 * review stays hidden until both are in, or for 14 days, so neither side writes with the
 * other's verdict in view. Unlike the contract, reviews are not kept on this device: the
 * server alone knows when one turns public, so this section needs a connection and says so.
 */
export function ContractReviews({ contract, me }: { contract: ContractDocument; me: string }) {
  const headingId = useId();
  const other = counterpart(contract, me).person.name;
  const offline = useDeviceOffline();
  const reviews = useRemote(`contract-reviews:${contract.id}`, () =>
    fetchContractReviews(contract.id),
  );

  // Back online: ask again, since nothing could be asked while away.
  const wasOffline = useRef(offline);
  const { reload } = reviews;
  useEffect(() => {
    if (wasOffline.current && !offline) reload();
    wasOffline.current = offline;
  }, [offline, reload]);

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id={headingId}>
          Reviews
        </Title>
        <Tooltip label="Check again">
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Check the reviews again"
            loading={reviews.loading}
            disabled={offline}
            onClick={reviews.reload}
          >
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Stack gap="md">
        {offline && (
          <Alert color="gray" variant="light" icon={<IconCloudOff />} role="status" title="Offline">
            Reviews are kept on the server, not on this device: they are checked and sent once this
            device is back online.{reviews.data ? ' What shows below may be out of date.' : ''}
          </Alert>
        )}
        {reviews.data && reviews.error && !offline && (
          <Text size="sm" c="red" role="alert">
            Could not check the reviews again: {reviews.error}
          </Text>
        )}
        {reviews.data ? (
          <ReviewsBody
            reviews={reviews.data}
            other={other}
            contractId={contract.id}
            offline={offline}
            onChanged={reviews.reload}
          />
        ) : reviews.error ? (
          !offline && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle />}
              role="alert"
              title="Could not load the reviews"
            >
              <Stack gap="xs" align="flex-start">
                {reviews.error}
                <Button size="xs" variant="light" onClick={reviews.reload}>
                  Try again
                </Button>
              </Stack>
            </Alert>
          )
        ) : (
          <Skeleton height={96} radius="md" aria-label="Loading the reviews" />
        )}
      </Stack>
    </Card>
  );
}

function ReviewsBody({
  reviews,
  other,
  contractId,
  offline,
  onChanged,
}: {
  reviews: Reviews;
  other: string;
  contractId: string;
  offline: boolean;
  onChanged: () => void;
}) {
  const { mine, theirs } = reviews;
  return (
    <>
      <Stack gap="xs">
        <Title order={3} fz="md">
          Your review of {other}
        </Title>
        {mine ? (
          <>
            <ReviewCard review={mine} label="Your review" />
            <Text size="sm" c="dimmed" data-testid="my-review-visibility">
              {mine.public
                ? `Public since ${formatDate(mine.publicAt)}.`
                : `Only you can see it for now. It becomes public once ${other} reviews you too, or on ${formatDate(mine.publicAt)}.`}
            </Text>
          </>
        ) : reviews.canSubmit ? (
          <ReviewForm contractId={contractId} other={other} offline={offline} onSent={onChanged} />
        ) : (
          <Text size="sm" c="dimmed">
            {theirs
              ? `The time to review ${other} has passed: their review went public ${REVIEW_PUBLISH_DAYS} days after they sent it, and closed this contract’s reviews.`
              : `You can no longer review ${other} on this contract.`}
          </Text>
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={3} fz="md">
          {other}’s review of you
        </Title>
        {theirs ? (
          <ReviewCard review={theirs} label={`${other}’s review of you`} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="their-review-status">
            {reviews.theirsSubmitted
              ? `${other} has reviewed you; it shows once you submit yours or after ${REVIEW_PUBLISH_DAYS} days.`
              : `${other} has not reviewed you yet.`}
          </Text>
        )}
      </Stack>
    </>
  );
}

type ReviewValues = { rating: number; text: string };

/** Stars and words, checked with the server's own schema; a review is final once sent. */
function ReviewForm({
  contractId,
  other,
  offline,
  onSent,
}: {
  contractId: string;
  other: string;
  offline: boolean;
  onSent: () => void;
}) {
  const ratingLabelId = useId();
  const ratingErrorId = useId();
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const form = useForm<ReviewValues>({
    initialValues: { rating: 0, text: '' },
    validate: validateWith<ReviewValues>(submitReviewInputSchema, (values) => values, {
      rating: 'Choose from 1 to 5 stars',
    }),
  });

  const send = form.onSubmit(async (values) => {
    setFormError(null);
    setSending(true);
    try {
      await submitReview(contractId, { rating: values.rating, text: values.text.trim() });
      notifications.show({
        color: 'teal',
        title: 'Review sent',
        message: `Your review of ${other} is saved; it cannot change now.`,
      });
      onSent();
    } catch (error) {
      setFormError(
        applyProblemToForm(error, form.setFieldError, (property) =>
          property === 'rating' || property === 'text' ? property : undefined,
        ),
      );
    } finally {
      setSending(false);
    }
  });

  return (
    <form onSubmit={send} aria-label={`Review ${other}`} noValidate>
      <Stack gap="sm">
        <Input.Wrapper
          label="Your rating"
          labelProps={{ id: ratingLabelId }}
          required
          error={form.errors.rating}
          errorProps={{ id: ratingErrorId }}
        >
          <Rating
            value={form.values.rating}
            onChange={(rating) => {
              form.setFieldValue('rating', rating);
              form.clearFieldError('rating');
            }}
            size="lg"
            role="radiogroup"
            aria-labelledby={ratingLabelId}
            aria-describedby={form.errors.rating ? ratingErrorId : undefined}
            aria-invalid={form.errors.rating ? true : undefined}
            getSymbolLabel={(value) => (value === 1 ? '1 star' : `${value} stars`)}
          />
        </Input.Wrapper>
        <Textarea
          label="Your review"
          description={`What was it like to work with ${other}? It is public once you both have reviewed, or after ${REVIEW_PUBLISH_DAYS} days; it cannot be changed once sent.`}
          required
          autosize
          minRows={3}
          maxRows={10}
          {...form.getInputProps('text')}
        />
        {formError && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle />}
            role="alert"
            title="The review was not sent"
          >
            {formError}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={sending} disabled={offline}>
            Send review
          </Button>
          {offline && (
            <Text size="sm" c="dimmed">
              Sending needs a connection.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
