/**
 * The pure parts of editing a freelancer profile and a project's files: how form values become
 * request bodies (and back), where the server's field errors land, which skills and files are
 * refused before anything is sent, and how a moved portfolio item renumbers the rest.
 */
import { describe, expect, it } from 'vitest';
import { ProblemError, problemTypes } from '../../shared/api/problem.ts';
import type { User } from '../../shared/accounts/user.ts';
import type { FreelancerProfile, PortfolioItem } from '../../shared/marketplace/profiles.ts';
import { applyProblemToForm } from '../../src-renderer/ui/forms.ts';
import { applyServerErrors } from '../../src-renderer/features/marketplace/form-problems.ts';
import {
  attachmentFailure,
  attachmentNameOf,
  fileTypeLabel,
  sortPickedFiles,
} from '../../src-renderer/features/marketplace/project-attachments.ts';
import {
  buildFreelancerProfileInput,
  canonicalSkillName,
  freelancerProfileFieldFor,
  freelancerProfileValuesOf,
  skillRefusal,
  validateFreelancerProfile,
  type FreelancerProfileValues,
} from '../../src-renderer/features/settings/freelancer-profile-form.ts';
import {
  emptyPortfolioItem,
  imageRefusal,
  moveItem,
  portfolioFieldFor,
  portfolioInputOf,
  portfolioValuesOf,
  validatePortfolioItem,
} from '../../src-renderer/features/settings/portfolio-form.ts';
import {
  profileFieldFor,
  profileInputOf,
  profileValuesOf,
  validateProfile,
} from '../../src-renderer/features/settings/profile-form.ts';

const instant = '2026-11-21T10:00:00.000Z';

const profile: FreelancerProfile = {
  id: '0d9a4b8e-3c1f-4f5e-9a7b-2c6d8e0f1a2b',
  name: 'Ada Lovelace',
  headline: 'Analytical engines',
  bio: null,
  country: 'GB',
  timezone: 'Europe/London',
  hourlyRate: { amountMinor: 9_550, currency: 'EUR' },
  skills: [
    {
      id: '6f1e2d3c-4b5a-4968-8776-655443322110',
      slug: 'typescript',
      name: 'TypeScript',
      level: 'expert',
    },
  ],
  portfolio: [],
  stats: { jobsDone: 0, totalContracts: 0, rating: null, reviewCount: 0, memberSince: instant },
  updatedAt: instant,
};

const values = (changes: Partial<FreelancerProfileValues> = {}): FreelancerProfileValues => ({
  ...freelancerProfileValuesOf(profile, 'USD'),
  ...changes,
});

const refused = (errors: { pointer: string; detail: string }[]) =>
  new ProblemError({ type: problemTypes.validation, title: 'Invalid input', status: 422, errors });

describe('the freelancer profile form', () => {
  it('shows the stored profile as text, the rate in its own currency', () => {
    expect(values()).toEqual({
      headline: 'Analytical engines',
      bio: '',
      rateAmount: '95.50',
      rateCurrency: 'EUR',
      skills: [{ name: 'TypeScript', level: 'expert' }],
    });
    expect(freelancerProfileValuesOf({ ...profile, hourlyRate: null }, 'JPY')).toMatchObject({
      rateAmount: '',
      rateCurrency: 'JPY',
    });
  });

  it('sends minor units, trimmed text, null for cleared fields, and the whole skill list', () => {
    const built = buildFreelancerProfileInput(
      values({
        headline: '  Engines  ',
        bio: '   ',
        rateAmount: '1,250.5',
        skills: [
          { name: ' TypeScript ', level: 'expert' },
          { name: 'Chronometry', level: 'beginner' },
        ],
      }),
    );
    expect(built).toEqual({
      ok: true,
      input: {
        headline: 'Engines',
        bio: null,
        hourlyRate: { amountMinor: 125_050, currency: 'EUR' },
        skills: [
          { name: 'TypeScript', level: 'expert' },
          { name: 'Chronometry', level: 'beginner' },
        ],
      },
    });
    expect(buildFreelancerProfileInput(values({ rateAmount: '' }))).toMatchObject({
      ok: true,
      input: { hourlyRate: null },
    });
  });

  it('refuses a rate that is not an amount of the currency, at the rate field', () => {
    expect(buildFreelancerProfileInput(values({ rateAmount: '12.345' }))).toEqual({
      ok: false,
      errors: { rateAmount: 'EUR amounts have at most 2 decimal places' },
    });
    expect(validateFreelancerProfile(values({ rateAmount: 'lots' }))).toEqual({
      rateAmount: 'Enter an amount such as 850.00',
    });
  });

  it('refuses a rate of nothing at the rate field, while an empty rate means none', () => {
    for (const rateAmount of ['0', '0.00', ' 0 ']) {
      expect(validateFreelancerProfile(values({ rateAmount }))).toEqual({
        rateAmount: 'Must be more than 0',
      });
    }
    expect(validateFreelancerProfile(values({ rateAmount: '0.01' }))).toEqual({});
    expect(validateFreelancerProfile(values({ rateAmount: '' }))).toEqual({});
    const set: Record<string, string> = {};
    const left = applyServerErrors(
      refused([{ pointer: '/hourlyRate/amountMinor', detail: 'must be more than 0' }]),
      (field, message) => (set[field] = message),
      freelancerProfileFieldFor,
      'EUR',
    );
    expect(set).toEqual({ rateAmount: 'Must be more than 0' });
    expect(left).toBeNull();
  });

  it('checks the shared schema before sending: a skill listed twice is marked on its row', () => {
    const errors = validateFreelancerProfile(
      values({
        skills: [
          { name: 'React', level: 'expert' },
          { name: 'react', level: 'beginner' },
        ],
      }),
    );
    expect(errors).toEqual({ 'skills.1.name': 'Is listed twice' });
  });

  it('puts the server’s errors on the fields their pointers name', () => {
    const set: Record<string, string> = {};
    const left = applyServerErrors(
      refused([
        { pointer: '/headline', detail: 'must be at most 140 characters' },
        { pointer: '/hourlyRate/amountMinor', detail: 'must be at least 1 minor unit' },
        { pointer: '/hourlyRate/currency', detail: 'must be an ISO 4217 code such as USD' },
        { pointer: '/skills/2/level', detail: 'must be one of beginner, intermediate, expert' },
        { pointer: '/skills/1', detail: 'is not a skill' },
        { pointer: '/skills', detail: 'must name at most 30' },
        { pointer: '/unknown', detail: 'is not allowed' },
      ]),
      (field, message) => (set[field] = message),
      freelancerProfileFieldFor,
      'EUR',
    );
    expect(set).toEqual({
      headline: 'Must be at most 140 characters',
      rateAmount: 'Must be at least €0.01',
      rateCurrency: 'Must be an ISO 4217 code such as USD',
      'skills.2.level': 'Must be one of beginner, intermediate, expert',
      'skills.1.name': 'Is not a skill',
      skills: 'Must name at most 30',
    });
    expect(left).toBe('/unknown: is not allowed');
  });

  it('refuses a skill before it joins the list: empty, no letters, repeated, or one too many', () => {
    const listed = [{ name: 'C#', level: 'expert' as const }];
    expect(skillRefusal(listed, '  ')).toBe('Type a skill first');
    expect(skillRefusal(listed, '!!!')).toBe('A skill needs letters or digits');
    expect(skillRefusal(listed, 'c#')).toBe('That skill is already listed');
    expect(skillRefusal(listed, 'x'.repeat(61))).toBe('A skill name has at most 60 characters');
    const thirty = Array.from({ length: 30 }, (_, n) => ({
      name: `Skill ${n}`,
      level: 'beginner' as const,
    }));
    expect(skillRefusal(thirty, 'One more')).toBe('A profile lists at most 30 skills');
    expect(skillRefusal(listed, 'F#')).toBeNull();
  });

  it('lists a typed skill under the marketplace’s own spelling when it knows it', () => {
    expect(canonicalSkillName(' typescript ', ['React', 'TypeScript'])).toBe('TypeScript');
    expect(canonicalSkillName('Chronometry', ['React'])).toBe('Chronometry');
  });
});

describe('the portfolio item form', () => {
  const item: PortfolioItem = {
    id: '2b7c0a4e-8f9d-4e1a-b2c3-d4e5f6a7b8c9',
    title: 'Chronograph',
    descriptionHtml: '<p>A tracker.</p>',
    url: null,
    imageHash: 'a'.repeat(64),
    completedOn: '2025-06-30',
    position: 0,
    createdAt: instant,
    updatedAt: instant,
  };

  it('turns an item into form values and back, empty text meaning none', () => {
    const shown = portfolioValuesOf(item, 'A tracker.');
    expect(shown).toEqual({
      title: 'Chronograph',
      description: 'A tracker.',
      url: '',
      completedOn: '2025-06-30',
      imageHash: 'a'.repeat(64),
    });
    expect(
      portfolioInputOf({ ...shown, title: ' Chronograph 2 ', url: ' https://x.example ' }),
    ).toEqual({
      title: 'Chronograph 2',
      description: 'A tracker.',
      url: 'https://x.example',
      imageHash: 'a'.repeat(64),
      completedOn: '2025-06-30',
    });
    expect(portfolioInputOf({ ...emptyPortfolioItem(), title: 'T' })).toEqual({
      title: 'T',
      description: '',
      url: null,
      imageHash: null,
      completedOn: null,
    });
  });

  it('refuses a link that is not a web address, and an empty title, before sending', () => {
    expect(validatePortfolioItem({ ...emptyPortfolioItem(), url: 'javascript:alert(1)' })).toEqual({
      title: 'Must not be empty',
      url: 'Must be an http or https address',
    });
    expect(
      validatePortfolioItem({ ...emptyPortfolioItem(), title: 'Site', url: 'ftp://files.example' }),
    ).toEqual({ url: 'Must be an http or https address' });
    expect(
      validatePortfolioItem({ ...emptyPortfolioItem(), title: 'Site', completedOn: '2025-13-01' }),
    ).toEqual({ completedOn: 'Must be a date such as 2027-01-31' });
  });

  it('puts the server’s refusals at the fields, the image’s at its picker', () => {
    const set: Record<string, string> = {};
    const left = applyServerErrors(
      refused([
        { pointer: '/completedOn', detail: 'must not be in the future' },
        { pointer: '/imageHash', detail: 'is not an image you uploaded' },
        { pointer: '/description', detail: 'must contain some text' },
      ]),
      (field, message) => (set[field] = message),
      portfolioFieldFor,
    );
    expect(set).toEqual({
      completedOn: 'Must not be in the future',
      image: 'Is not an image you uploaded',
      description: 'Must contain some text',
    });
    expect(left).toBeNull();
  });

  it('takes only images the blob store accepts', () => {
    expect(imageRefusal({ name: 'cv.pdf', type: 'application/pdf', size: 10 })).toBe(
      'cv.pdf is not an image. Pick a PNG, JPEG, GIF or WebP file.',
    );
    expect(imageRefusal({ name: 'big.png', type: 'image/png', size: 26 * 1024 * 1024 })).toBe(
      'big.png is larger than 25 MB, the most an image can be.',
    );
    expect(imageRefusal({ name: 'none.png', type: 'image/png', size: 0 })).toBe(
      'none.png is empty.',
    );
    expect(imageRefusal({ name: 'ok.webp', type: 'image/webp', size: 1_000 })).toBeNull();
  });

  it('moves an item and numbers the rest as the server does', () => {
    const items = ['a', 'b', 'c', 'd'].map((id, position) => ({ id, position }));
    expect(moveItem(items, 'c', 0)).toEqual([
      { id: 'c', position: 0 },
      { id: 'a', position: 1 },
      { id: 'b', position: 2 },
      { id: 'd', position: 3 },
    ]);
    expect(moveItem(items, 'a', 1).map((item) => item.id)).toEqual(['b', 'a', 'c', 'd']);
    expect(moveItem(items, 'b', 99).map((item) => item.id)).toEqual(['a', 'c', 'd', 'b']);
    // Unmoved items keep their identity: rows that did not change do not re-render.
    const moved = moveItem(items, 'd', 3);
    expect(moved[0]).toBe(items[0]);
    expect(moveItem(items, 'missing', 0)).toEqual(items);
  });
});

describe('the Profile tab beside the freelancer profile', () => {
  const user: User = {
    id: profile.id,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    role: 'freelancer',
    headline: 'Analytical engines',
    bio: 'Notes on the engine.',
    country: 'GB',
    timezone: 'Europe/London',
    hourlyRate: { amountMinor: 9_550, currency: 'EUR' },
    emailVerified: true,
    createdAt: instant,
    updatedAt: instant,
  };

  it('sends a freelancer’s account fields only, never stale copies of the profile’s', () => {
    const shown = profileValuesOf(user);
    expect(profileInputOf({ ...shown, name: ' Ada King ' }, user.hourlyRate, true)).toEqual({
      name: 'Ada King',
      country: 'GB',
      timezone: 'Europe/London',
    });
    expect(profileInputOf(shown, user.hourlyRate)).toEqual({
      name: 'Ada Lovelace',
      headline: 'Analytical engines',
      bio: 'Notes on the engine.',
      country: 'GB',
      timezone: 'Europe/London',
      hourlyRate: { amountMinor: 9_550, currency: 'EUR' },
    });
  });

  it('refuses a client’s rate of nothing at the rate field; a freelancer’s tab sends no rate', () => {
    const client: User = { ...user, role: 'client' };
    const shown = profileValuesOf(client);
    expect(validateProfile({ ...shown, rateAmount: '0' })).toEqual({
      rateAmount: 'Must be more than 0',
    });
    expect(validateProfile({ ...shown, rateAmount: '' })).toEqual({});
    expect(validateProfile({ ...shown, rateAmount: '0' }, true)).toEqual({});
    const set: Record<string, string> = {};
    const left = applyProblemToForm(
      refused([{ pointer: '/hourlyRate/amountMinor', detail: 'must be more than 0' }]),
      (field, message) => (set[field] = message),
      profileFieldFor,
    );
    expect(set).toEqual({ rateAmount: 'Must be more than 0' });
    expect(left).toBeNull();
  });
});

describe('project files', () => {
  const file = (name: string, size: number) => ({ name, size });

  it('attaches what fits, and says why the rest cannot go', () => {
    const { accepted, refusals } = sortPickedFiles(
      [
        file('brief.pdf', 2_000),
        file('empty.txt', 0),
        file('video.mov', 25 * 1024 * 1024 + 1),
        file('logo.png', 500),
        file('extra.csv', 10),
      ],
      8,
    );
    expect(accepted.map((f) => f.name)).toEqual(['brief.pdf', 'logo.png']);
    expect(refusals).toEqual([
      'empty.txt is empty.',
      'video.mov is larger than 25 MB, the most a project file can be.',
      'extra.csv was not added: a project holds at most 10 files.',
    ]);
  });

  it('names a file as the server accepts it', () => {
    expect(attachmentNameOf('  brief\u0007v2.pdf ')).toBe('brief v2.pdf');
    expect(attachmentNameOf('\n\t')).toBe('file');
    expect(attachmentNameOf(`${'n'.repeat(300)}.txt`)).toHaveLength(255);
  });

  it('says what kind of file it is', () => {
    expect(fileTypeLabel('image/png')).toBe('PNG image');
    expect(fileTypeLabel('image/svg+xml')).toBe('SVG image');
    expect(fileTypeLabel('application/pdf')).toBe('PDF document');
    expect(fileTypeLabel('text/plain')).toBe('Text file');
    expect(fileTypeLabel('application/octet-stream')).toBe('File');
    expect(fileTypeLabel('application/x-thing')).toBe('application/x-thing');
  });

  it('explains refusals with the rule that refused them', () => {
    const conflict = new ProblemError({
      type: problemTypes.conflict,
      title: 'Too many attachments',
      status: 409,
      detail: 'A project holds at most 10 files; remove one first.',
    });
    expect(attachmentFailure('Could not attach a.txt', conflict)).toBe(
      'Could not attach a.txt: A project holds at most 10 files; remove one first.',
    );
    const tooBig = new ProblemError({
      type: problemTypes.payloadTooLarge,
      title: 'Payload too large',
      status: 413,
      detail: 'The request body exceeds the limit of 26214400 bytes.',
    });
    expect(attachmentFailure('Could not attach v.mov', tooBig)).toBe(
      'Could not attach v.mov: the file is larger than 25 MB, the most a project file can be.',
    );
    const forbidden = new ProblemError({
      type: problemTypes.forbidden,
      title: 'Forbidden',
      status: 403,
    });
    expect(attachmentFailure('Could not remove a.txt', forbidden)).toBe(
      'Could not remove a.txt: only the client who posted the project may change its files.',
    );
  });
});
