import {
  Avatar,
  Badge,
  Card,
  CloseButton,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconSearch, IconUserOff } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import type {
  FreelancerSearchHit,
  FreelancerSearchSort,
} from '../../../shared/marketplace/profiles.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { countryName } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import {
  freelancerSearchRequest,
  validateFreelancerSearch,
  type FreelancerSearchParams,
} from './freelancer-search-params.ts';
import { skillLevelLabels } from './FreelancerProfilePage.tsx';
import { AmountRange, FilterPanel, SkillsFilter } from './FilterFields.tsx';
import { Empty, PagedItems } from './ListStates.tsx';
import { searchFreelancers } from './marketplace-api.ts';
import { countText } from './marketplace-format.ts';
import { SearchLayout, SortSelect } from './SearchLayout.tsx';
import { Snippet } from './Snippet.tsx';
import { usePagedList } from './use-paged-list.ts';

const sortOptions: Array<{ value: FreelancerSearchSort; label: string }> = [
  { value: 'relevance', label: 'Best match' },
  { value: 'rating', label: 'Highest rated' },
  { value: 'rate_low', label: 'Lowest rate' },
  { value: 'rate_high', label: 'Highest rate' },
  { value: 'newest', label: 'Newest members' },
];

const ratingOptions = [
  { value: '3', label: '3 stars and up' },
  { value: '4', label: '4 stars and up' },
  { value: '4.5', label: '4.5 stars and up' },
];

/** Finding freelancers: words over name, headline, bio and skills, with filters. */
export function FreelancerSearchPage({ params }: { params: FreelancerSearchParams }) {
  const navigate = useNavigate();
  const [words, setWords] = useState(params.q ?? '');
  const results = usePagedList(JSON.stringify(validateFreelancerSearch(params)), (cursor) =>
    searchFreelancers({ ...freelancerSearchRequest(params), cursor }),
  );
  const show = (next: FreelancerSearchParams) =>
    void navigate({ to: '/marketplace/freelancers', search: next });
  const set = (patch: Partial<FreelancerSearchParams>) => show({ ...params, ...patch });
  const sort = params.sort ?? (params.q ? 'relevance' : 'rating');
  const currency = params.currency ?? 'USD';

  return (
    <SearchLayout
      title="Find freelancers"
      search={
        <form
          role="search"
          aria-label="Freelancers"
          onSubmit={(event) => {
            event.preventDefault();
            set({ q: words.trim() || undefined });
          }}
        >
          <TextInput
            aria-label="Search freelancers"
            placeholder="Search freelancers: skills, words, names"
            size="md"
            leftSection={<IconSearch size={16} />}
            value={words}
            onChange={(event) => setWords(event.currentTarget.value)}
            rightSection={
              words ? (
                <CloseButton
                  aria-label="Clear search words"
                  onClick={() => {
                    setWords('');
                    set({ q: undefined });
                  }}
                />
              ) : null
            }
          />
        </form>
      }
      filters={
        <FilterPanel>
          <SkillsFilter
            description="Freelancers with all of these."
            skills={params.skills}
            onChange={(skills) => set({ skills })}
          />
          <AmountRange
            key={`${params.rateMin}-${params.rateMax}-${currency}`}
            label="Rate"
            value={{ min: params.rateMin, max: params.rateMax, currency }}
            onChange={({ min, max, currency: picked }) =>
              set({ rateMin: min, rateMax: max, currency: picked })
            }
            clearLabel="Any rate"
          />
          <Select
            label="Rating"
            placeholder="Any rating"
            data={ratingOptions}
            value={params.minRating !== undefined ? String(params.minRating) : null}
            onChange={(value) => set({ minRating: value ? Number(value) : undefined })}
            clearable
          />
        </FilterPanel>
      }
      controls={
        <Group justify="flex-end">
          <SortSelect
            options={sortOptions}
            value={sort}
            hasWords={Boolean(params.q)}
            onChange={(picked) => set({ sort: picked })}
          />
        </Group>
      }
    >
      <PagedItems
        list={results}
        label="Freelancers found"
        loadingLabel="Searching freelancers"
        errorTitle="Could not search"
        empty={
          <Empty
            icon={<IconUserOff size={28} />}
            title="No freelancers match"
            description="Try fewer filters, or other words."
          />
        }
        render={(hit) => <FreelancerCard hit={hit} />}
      />
    </SearchLayout>
  );
}

function FreelancerCard({ hit }: { hit: FreelancerSearchHit }) {
  const nameId = useId();
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={nameId}>
      <Group wrap="nowrap" align="flex-start" gap="md">
        <Avatar name={hit.name} color="initials" radius="xl" />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap">
            <AnchorLink
              id={nameId}
              to="/marketplace/freelancers/$freelancerId"
              params={{ freelancerId: hit.id }}
              fw={600}
            >
              {hit.name}
            </AnchorLink>
            {hit.hourlyRate && (
              <Text fw={600} size="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(hit.hourlyRate)} per hour
              </Text>
            )}
          </Group>
          {hit.headline && <Text size="sm">{hit.headline}</Text>}
          <Text size="xs" c="dimmed">
            {hit.stats.rating === null
              ? 'Not rated yet'
              : `★ ${hit.stats.rating.toFixed(2)} (${countText(hit.stats.reviewCount, 'review', 'reviews')})`}
            {` · ${countText(hit.stats.jobsDone, 'job', 'jobs')} done`}
            {hit.country ? ` · ${countryName(hit.country)}` : ''}
          </Text>
          <Snippet html={hit.snippetHtml} lineClamp={2} />
          {hit.skills.length > 0 && (
            <Group gap={6}>
              {hit.skills.slice(0, 8).map((skill) => (
                <Badge key={skill.id} size="sm" variant="light" radius="sm" tt="none">
                  {skill.name} · {skillLevelLabels[skill.level]}
                </Badge>
              ))}
            </Group>
          )}
        </Stack>
      </Group>
    </Card>
  );
}
