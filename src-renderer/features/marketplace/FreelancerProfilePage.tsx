import { Avatar, Badge, Card, Group, Image, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useId } from 'react';
import type { FreelancerProfile, PortfolioItem } from '../../../shared/marketplace/profiles.ts';
import type { Review, ReviewPage } from '../../../shared/marketplace/reviews.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { countryName, formatDate } from '../../ui/format.ts';
import { OutsideLink } from '../../ui/links.tsx';
import { blobUrl } from '../messages/messages-api.ts';
import { useSessionStore } from '../session/session-store.ts';
import { FavoriteButton } from './FavoriteButton.tsx';
import { FollowControl } from './FollowControl.tsx';
import { LoadError, PageLoader } from './ListStates.tsx';
import {
  favoriteFreelancer,
  fetchFreelancer,
  listUserReviews,
  unfavoriteFreelancer,
} from './marketplace-api.ts';
import { countText } from './marketplace-format.ts';
import { ReviewsSection } from './ReviewsSection.tsx';
import { RichText } from './RichText.tsx';
import { usePagedList } from './use-paged-list.ts';
import { useRemote } from './use-remote.ts';

export const skillLevelLabels = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  expert: 'Expert',
} as const;

/** A freelancer as clients weigh them: what they do, for how much, how it went for others. */
export function FreelancerProfilePage({ freelancerId }: { freelancerId: string }) {
  const profile = useRemote(`freelancer:${freelancerId}`, () => fetchFreelancer(freelancerId));
  if (!profile.data) {
    if (profile.error) {
      const gone = profile.errorStatus === 404;
      return (
        <LoadError
          title={gone ? 'No such freelancer' : 'Could not open the profile'}
          error={gone ? 'There is no freelancer profile here.' : profile.error}
          onRetry={gone ? undefined : profile.reload}
        />
      );
    }
    return <PageLoader label="Loading the profile" />;
  }
  return <Profile profile={profile.data} onChanged={profile.replace} />;
}

function Profile({
  profile,
  onChanged,
}: {
  profile: FreelancerProfile;
  onChanged: (profile: FreelancerProfile) => void;
}) {
  const me = useSessionStore((state) => state.user?.id);
  const reviews = usePagedList<Review, ReviewPage>(`reviews:${profile.id}`, (cursor) =>
    listUserReviews(profile.id, cursor),
  );
  const { stats } = profile;
  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group wrap="nowrap" align="flex-start">
          <Avatar name={profile.name} color="initials" size={72} radius="xl" />
          <Stack gap={4}>
            <Title order={1} fz={28}>
              {profile.name}
            </Title>
            <Text c={profile.headline ? undefined : 'dimmed'}>
              {profile.headline ?? 'No headline yet'}
            </Text>
            <Group gap="xs">
              {profile.hourlyRate && (
                <Badge variant="light" size="lg" tt="none">
                  {formatMoney(profile.hourlyRate)} per hour
                </Badge>
              )}
              {profile.country && (
                <Text size="sm" c="dimmed">
                  {countryName(profile.country)}
                  {profile.timezone ? ` · ${profile.timezone}` : ''}
                </Text>
              )}
            </Group>
            <FollowControl
              userId={profile.id}
              name={profile.name}
              following={profile.following}
              showFollowing
            />
          </Stack>
        </Group>
        {me !== profile.id && (
          <FavoriteButton
            favorite={profile.favorited ?? null}
            what={profile.name}
            onToggle={async (favorite) => {
              if (favorite) await favoriteFreelancer(profile.id);
              else await unfavoriteFreelancer(profile.id);
              onChanged({ ...profile, favorited: favorite });
            }}
          />
        )}
      </Group>

      <SimpleGrid cols={{ base: 2, sm: 4 }} component="section" aria-label="Stats">
        <Stat label="Jobs done" value={String(stats.jobsDone)} />
        <Stat label="Contracts" value={String(stats.totalContracts)} />
        <Stat
          label="Rating"
          value={
            stats.rating === null
              ? 'Not rated yet'
              : `${stats.rating.toFixed(2)} from ${countText(stats.reviewCount, 'review', 'reviews')}`
          }
        />
        <Stat label="Member since" value={formatDate(stats.memberSince)} />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Stack gap="md" style={{ gridColumn: 'span 2' }}>
          {profile.bio && (
            <Card withBorder radius="md" padding="lg" component="section" aria-label="About">
              <Title order={2} fz={18} mb="xs">
                About
              </Title>
              {/* Plain text: React escapes it; line breaks are kept by CSS. */}
              <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                {profile.bio}
              </Text>
            </Card>
          )}
          <Portfolio items={profile.portfolio} />
          <ReviewsSection list={reviews} />
        </Stack>
        <Card
          withBorder
          radius="md"
          padding="lg"
          component="section"
          aria-labelledby="profile-skills"
        >
          <Title order={2} fz={18} mb="xs" id="profile-skills">
            Skills
          </Title>
          {profile.skills.length === 0 ? (
            <Text size="sm" c="dimmed">
              No skills listed yet.
            </Text>
          ) : (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {profile.skills.map((skill) => (
                <Group key={skill.id} component="li" justify="space-between" gap="xs">
                  <Text size="sm">{skill.name}</Text>
                  <Badge
                    size="sm"
                    variant={skill.level === 'expert' ? 'filled' : 'light'}
                    color={skill.level === 'beginner' ? 'gray' : undefined}
                  >
                    {skillLevelLabels[skill.level]}
                  </Badge>
                </Group>
              ))}
            </Stack>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700}>{value}</Text>
    </Card>
  );
}

function Portfolio({ items }: { items: PortfolioItem[] }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="portfolio-heading">
      <Title order={2} fz={18} id="portfolio-heading">
        Portfolio
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing in the portfolio yet.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {items.map((item) => (
            <PortfolioCard key={item.id} item={item} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function PortfolioCard({ item }: { item: PortfolioItem }) {
  const titleId = useId();
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={titleId}>
      {item.imageHash && (
        <Card.Section mb="sm">
          <PortfolioImage hash={item.imageHash} alt={item.title} />
        </Card.Section>
      )}
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={600} id={titleId}>
          {item.title}
        </Text>
        {item.url && (
          <OutsideLink
            href={item.url}
            size="sm"
            aria-label={`Open ${item.title} (outside MegiLance)`}
          >
            <IconExternalLink size={16} />
          </OutsideLink>
        )}
      </Group>
      {item.completedOn && (
        <Text size="xs" c="dimmed">
          Finished {formatDate(item.completedOn)}
        </Text>
      )}
      {item.descriptionHtml && <RichText html={item.descriptionHtml} />}
    </Card>
  );
}

/** Images come through the blob endpoints with the bearer token, as attachments do. */
function PortfolioImage({ hash, alt }: { hash: string; alt: string }) {
  const url = useRemote(`blob:${hash}`, () => blobUrl(hash, ''));
  if (!url.data) return null;
  return <Image src={url.data} alt={alt} h={160} fit="cover" />;
}
