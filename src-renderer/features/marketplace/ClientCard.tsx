import { Card, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { ProjectClient } from '../../../shared/marketplace/projects.ts';
import { ClientLink } from './ClientLink.tsx';
import { FollowControl } from './FollowControl.tsx';
import { listUserReviews } from './marketplace-api.ts';
import { ratingText } from './ReviewsSection.tsx';
import { useRemote } from './use-remote.ts';

/**
 * Who posted a project, on its page: their name (leading to their reviews), how the
 * freelancers who worked for them rated them, and a button to follow them, so their next
 * projects show on the Marketplace home.
 */
export function ClientCard({ client }: { client: ProjectClient }) {
  const headingId = useId();
  const reviews = useRemote(`client-rating:${client.id}`, () => listUserReviews(client.id));
  const summary = reviews.data?.summary;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Title order={2} fz={16} mb="xs" id={headingId}>
        About the client
      </Title>
      <Stack gap={6} align="flex-start">
        <ClientLink client={client} size="md" />
        <Text size="sm" c="dimmed" data-testid="client-rating">
          {summary ? ratingText(summary) : reviews.error ? 'Rating unknown' : '…'}
        </Text>
        <FollowControl userId={client.id} name={client.name} />
      </Stack>
    </Card>
  );
}
