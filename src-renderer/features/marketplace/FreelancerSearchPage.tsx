import {
  Avatar,
  Badge,
  Box,
  Button,
  Card,
  CloseButton,
  Group,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconSearch, IconUserOff } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import type { FreelancerSearchHit } from '../../../shared/marketplace/profiles.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { countryName } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { currencyOptions } from '../../ui/money.ts';
import {
  freelancerSearchRequest,
  validateFreelancerSearch,
  type FreelancerSearchParams,
} from './freelancer-search-params.ts';
import { skillLevelLabels } from './FreelancerProfilePage.tsx';
import { Empty, PagedItems } from './ListStates.tsx';
import { searchFreelancers } from './marketplace-api.ts';
import { countText } from './marketplace-format.ts';
import { amountText, parseAmount } from './money-fields.ts';
import { skillList } from './search-params.ts';
import { useSkillNames } from './skills.ts';
import { Snippet } from './Snippet.tsx';
import { usePagedList } from './use-paged-list.ts';

const currencies = currencyOptions();

const sortOptions = [
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
  const skillNames = useSkillNames();
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
    <Stack gap="md">
      <Title order={1} fz={28}>
        Find freelancers
      </Title>
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
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Paper
          withBorder
          radius="md"
          p="md"
          w={280}
          style={{ flexShrink: 0 }}
          component="section"
          aria-label="Filters"
        >
          <Stack gap="md">
            <TagsInput
              label="Skills"
              description="Freelancers with all of these."
              placeholder="Add a skill"
              data={skillNames}
              value={skillList(params.skills)}
              onChange={(skills) => set({ skills: skills.length ? skills.join(',') : undefined })}
              clearable
            />
            <RateRange
              key={`${params.rateMin}-${params.rateMax}-${currency}`}
              params={params}
              currency={currency}
              onChange={set}
            />
            <Select
              label="Rating"
              placeholder="Any rating"
              data={ratingOptions}
              value={params.minRating !== undefined ? String(params.minRating) : null}
              onChange={(value) => set({ minRating: value ? Number(value) : undefined })}
              clearable
            />
          </Stack>
        </Paper>
        <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} component="section" aria-label="Results">
          <Group justify="flex-end">
            <Select
              label="Sort by"
              size="xs"
              w={170}
              data={
                params.q
                  ? sortOptions
                  : sortOptions.filter((option) => option.value !== 'relevance')
              }
              value={sort}
              allowDeselect={false}
              onChange={(value) => set({ sort: validateFreelancerSearch({ sort: value }).sort })}
            />
          </Group>
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
        </Stack>
      </Group>
    </Stack>
  );
}

function RateRange({
  params,
  currency,
  onChange,
}: {
  params: FreelancerSearchParams;
  currency: string;
  onChange: (patch: Partial<FreelancerSearchParams>) => void;
}) {
  const [min, setMin] = useState(amountText(params.rateMin, currency));
  const [max, setMax] = useState(amountText(params.rateMax, currency));
  const parsedMin = parseAmount(min, currency);
  const parsedMax = parseAmount(max, currency);
  const apply = () => {
    if (!parsedMin.ok || !parsedMax.ok) return;
    const rateMin = parsedMin.amountMinor ?? undefined;
    const rateMax = parsedMax.amountMinor ?? undefined;
    if (rateMin === params.rateMin && rateMax === params.rateMax) return;
    onChange({ rateMin, rateMax, currency });
  };
  return (
    <Stack gap={6}>
      <Group grow gap="xs" align="flex-start">
        <TextInput
          label="Rate from"
          inputMode="decimal"
          placeholder="0"
          value={min}
          onChange={(event) => setMin(event.currentTarget.value)}
          onBlur={apply}
          onKeyDown={(event) => event.key === 'Enter' && apply()}
          error={parsedMin.ok ? null : parsedMin.error}
        />
        <TextInput
          label="Rate to"
          inputMode="decimal"
          placeholder="Any"
          value={max}
          onChange={(event) => setMax(event.currentTarget.value)}
          onBlur={apply}
          onKeyDown={(event) => event.key === 'Enter' && apply()}
          error={parsedMax.ok ? null : parsedMax.error}
        />
      </Group>
      <Select
        label="Rate currency"
        data={currencies}
        value={currency}
        searchable
        allowDeselect={false}
        onChange={(value) => value && onChange({ currency: value })}
      />
      {(params.rateMin !== undefined || params.rateMax !== undefined) && (
        <Box>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => onChange({ rateMin: undefined, rateMax: undefined })}
          >
            Any rate
          </Button>
        </Box>
      )}
    </Stack>
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
