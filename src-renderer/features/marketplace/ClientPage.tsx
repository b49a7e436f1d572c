import { Avatar, Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { Review, ReviewPage } from '../../../shared/marketplace/reviews.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { FollowControl } from './FollowControl.tsx';
import { LoadError, PageLoader } from './ListStates.tsx';
import { listUserReviews } from './marketplace-api.ts';
import { ratingText, ReviewsSection } from './ReviewsSection.tsx';
import { usePagedList } from './use-paged-list.ts';

const roleLabels = { client: 'Client', freelancer: 'Freelancer', admin: 'Administrator' } as const;

/**
 * A client as freelancers weigh them before proposing: how those who worked for them rated
 * them, what they wrote, and a way to follow their new projects. Clients have no profile of
 * their own; their public reviews are what the marketplace knows of them.
 */
export function ClientPage({ clientId }: { clientId: string }) {
  const reviews = usePagedList<Review, ReviewPage>(`client-reviews:${clientId}`, (cursor) =>
    listUserReviews(clientId, cursor),
  );
  const first = reviews.firstPage;
  if (!first) {
    if (reviews.error) {
      const gone = reviews.errorStatus === 404;
      return (
        <LoadError
          title={gone ? 'No such client' : 'Could not open this client'}
          error={gone ? 'There is nobody with this id on MegiLance.' : reviews.error}
          onRetry={gone ? undefined : reviews.reload}
        />
      );
    }
    return <PageLoader label="Loading the client" />;
  }
  const person = first.reviewee;
  return (
    <Stack gap="lg" maw={900}>
      <Group wrap="nowrap" align="flex-start">
        <Avatar name={person.name} color="initials" size={72} radius="xl" />
        <Stack gap={6} align="flex-start">
          <Title order={1} fz={28}>
            {person.name}
          </Title>
          <Group gap="xs">
            <Badge variant="light" color="gray">
              {roleLabels[person.role]}
            </Badge>
            <Text size="sm" data-testid="rating-summary">
              {ratingText(first.summary)}
            </Text>
          </Group>
          {person.role !== 'admin' && (
            <FollowControl userId={person.id} name={person.name} showFollowing />
          )}
          {person.role === 'freelancer' && (
            <AnchorLink
              to="/marketplace/freelancers/$freelancerId"
              params={{ freelancerId: person.id }}
              size="sm"
            >
              See their freelancer profile
            </AnchorLink>
          )}
        </Stack>
      </Group>
      <ReviewsSection list={reviews} />
    </Stack>
  );
}
