import { Card, Group, Rating, Stack, Text, Title } from '@mantine/core';
import { IconMessageOff } from '@tabler/icons-react';
import type { Review, ReviewPage } from '../../../shared/marketplace/reviews.ts';
import { formatRelative } from '../../ui/format.ts';
import { Empty, PagedItems } from './ListStates.tsx';
import { countText } from './marketplace-format.ts';
import { RichText } from './RichText.tsx';
import type { PagedList } from './use-paged-list.ts';

/** The public reviews someone received (a freelancer's profile, a client's page). */
export function ReviewsSection({ list }: { list: PagedList<Review, ReviewPage> }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="reviews-heading">
      <Title order={2} fz={18} id="reviews-heading">
        Reviews
      </Title>
      <PagedItems
        list={list}
        label="Reviews"
        loadingLabel="Loading reviews"
        errorTitle="Could not load the reviews"
        empty={
          <Empty
            icon={<IconMessageOff size={24} />}
            title="No public reviews yet"
            description="Reviews appear once a contract has ended and both sides have had their say."
          />
        }
        render={(review) => <ReviewCard review={review} />}
      />
    </Stack>
  );
}

export function ReviewCard({ review, label }: { review: Review; label?: string }) {
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="article"
      aria-label={label ?? `Review by ${review.reviewer.name}`}
    >
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {review.reviewer.name}
          </Text>
          <Text size="xs" c="dimmed">
            {review.reviewerRole === 'client' ? 'Client' : 'Freelancer'} ·{' '}
            {formatRelative(review.createdAt)}
          </Text>
        </Group>
        <Rating
          value={review.rating}
          readOnly
          role="img"
          aria-label={`Rated ${review.rating} out of 5`}
        />
      </Group>
      <RichText html={review.textHtml} />
    </Card>
  );
}

/** "★ 4.50 from 3 reviews", or that nobody has rated them yet. */
export function ratingText(summary: ReviewPage['summary']): string {
  if (summary.average === null) return 'Not rated yet';
  return `★ ${summary.average.toFixed(2)} from ${countText(summary.count, 'review', 'reviews')}`;
}
