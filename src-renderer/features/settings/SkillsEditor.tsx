import {
  ActionIcon,
  Autocomplete,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_PROFILE_SKILLS, skillLevels } from '../../../shared/marketplace/profiles.ts';
import { slugify } from '../../../shared/marketplace/taxonomy.ts';
import { skillLevelLabels } from '../marketplace/FreelancerProfilePage.tsx';
import { useSkillNames } from '../marketplace/skills.ts';
import {
  canonicalSkillName,
  defaultSkillLevel,
  skillRefusal,
  type FreelancerProfileValues,
} from './freelancer-profile-form.ts';

const levelOptions = skillLevels.map((level) => ({ value: level, label: skillLevelLabels[level] }));

/**
 * The profile's skills, each with a level: pick one the marketplace knows (suggested while
 * typing) or type a new one, which the server adds to the marketplace's list on save.
 */
export function SkillsEditor({ form }: { form: UseFormReturnType<FreelancerProfileValues> }) {
  const known = useSkillNames();
  const [typed, setTyped] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  // Picking a suggestion also reports the pick as typed text, right after it was added.
  const picked = useRef(false);
  const headingId = useId();
  const skills = form.values.skills;
  const listed = new Set(skills.map((skill) => slugify(skill.name)));
  const suggestions = known.filter((name) => !listed.has(slugify(name)));
  const full = skills.length >= MAX_PROFILE_SKILLS;

  const add = (name: string) => {
    const canonical = canonicalSkillName(name, known);
    const why = skillRefusal(skills, canonical);
    if (why) {
      setRefusal(why);
      return;
    }
    form.insertListItem('skills', { name: canonical, level: defaultSkillLevel });
    form.clearFieldError('skills');
    setTyped('');
    setRefusal(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    // Enter adds the skill; it never submits the whole profile.
    event.preventDefault();
    // With a suggestion highlighted, Enter picks it (and the pick adds it).
    if (!event.currentTarget.getAttribute('aria-activedescendant')) add(typed);
  };

  return (
    <Stack gap="xs" role="group" aria-labelledby={headingId}>
      <div>
        <Text size="sm" fw={500} id={headingId}>
          Skills
        </Text>
        <Text size="xs" c="dimmed">
          Up to {MAX_PROFILE_SKILLS}, in the order clients should read them, each with how well you
          know it. Pick a suggestion or type a new skill, then press Enter.
        </Text>
      </div>
      {skills.length === 0 ? (
        <Text size="sm" c="dimmed">
          No skills listed yet.
        </Text>
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} aria-label="Your skills" style={listStyle}>
          {skills.map((skill, index) => {
            const error =
              form.errors[`skills.${index}.name`] ?? form.errors[`skills.${index}.level`];
            return (
              <Paper key={slugify(skill.name) || index} component="li" withBorder px="sm" py={6}>
                <Group gap="sm" wrap="nowrap">
                  <Text size="sm" fw={500} style={{ flex: 1 }} truncate="end">
                    {skill.name}
                  </Text>
                  <NativeSelect
                    aria-label={`Level of ${skill.name}`}
                    data={levelOptions}
                    size="xs"
                    w={140}
                    {...form.getInputProps(`skills.${index}.level`)}
                    error={undefined}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove ${skill.name}`}
                    onClick={() => {
                      form.removeListItem('skills', index);
                      setRefusal(null);
                    }}
                  >
                    <IconX size={16} />
                  </ActionIcon>
                </Group>
                {error && (
                  <Text size="xs" c="red" role="alert">
                    {skill.name}: {error}
                  </Text>
                )}
              </Paper>
            );
          })}
        </Stack>
      )}
      {typeof form.errors.skills === 'string' && (
        <Text size="xs" c="red" role="alert">
          {form.errors.skills}
        </Text>
      )}
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <Autocomplete
          aria-label="Add a skill"
          placeholder={full ? 'The list is full' : 'Add a skill: React, Figma, copywriting…'}
          data={suggestions}
          limit={20}
          value={typed}
          disabled={full}
          error={refusal}
          onChange={(value) => {
            if (picked.current) {
              picked.current = false;
              return;
            }
            setTyped(value);
            setRefusal(null);
          }}
          onOptionSubmit={(value) => {
            picked.current = true;
            add(value);
          }}
          onKeyDown={onKeyDown}
          style={{ flex: 1 }}
        />
        <Button
          variant="default"
          leftSection={<IconPlus size={16} />}
          disabled={full || typed.trim() === ''}
          onClick={() => add(typed)}
        >
          Add skill
        </Button>
      </Group>
    </Stack>
  );
}

const listStyle = { listStyle: 'none' } as const;
