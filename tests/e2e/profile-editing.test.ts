/**
 * Editing what the marketplace shows, end to end: a freelancer fills their profile in Settings
 * (skills with levels, a portfolio with an uploaded image, reordered and edited) and sees it as
 * clients do; refused fields show the server's words at the field and keep what was typed. A
 * client attaches files to a project (while posting it and on its page), a freelancer downloads
 * them byte for byte, and refusals (too big, too many, no longer editable) are said in words.
 * Each person in their own app window against one real server: on SQLite, then on PostgreSQL.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/accounts/user.ts';
import type { ProjectAttachment } from '../../shared/marketplace/attachments.ts';
import type { FreelancerProfile } from '../../shared/marketplace/profiles.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import { seedTaxonomy } from '../../server/marketplace/seed-taxonomy.ts';
import {
  fieldError,
  navLink,
  pick,
  snap,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client as httpClient } from '../support/http.ts';

const { katherine, dorothy } = castOf('profile-editing', 'katherine', 'dorothy');
const dialects = ['sqlite', 'postgres'] as const;

const projectTitle = 'Orbit plots for a planetarium show';
const briefText = 'Brief: twelve orbit plots, 4K, delivered as PNG.\nDeadline is flexible.\n';

let stage: Stage;
let freelancer: Device;
let client: Device;
let projectId = '';

const api = () => httpClient(stage.server.baseUrl);

describe.each(dialects)('editing a freelancer profile and a project’s files (%s)', (dialect) => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: `profile-editing-${dialect}`,
      dialect,
      people: [katherine, dorothy],
      devices: [
        { label: 'Katherine’s desk', person: katherine },
        { label: 'Dorothy’s desk', person: dorothy },
      ],
      // The category tree and skills every installation starts with.
      prepare: (server) => seedTaxonomy(server.db),
    });
    [freelancer, client] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('lets a freelancer fill their profile with skills and levels, and save it', async () => {
    const page = freelancer.page;
    await navLink(page, 'Settings').click();
    await page.getByRole('tab', { name: 'Freelancer profile' }).click();
    expect(page.url()).toContain('#/settings/freelancer-profile');
    const form = page.getByRole('form', { name: 'Freelancer profile' });
    await form.getByRole('textbox', { name: 'Headline' }).fill('Orbital mechanics, by hand');
    await form
      .getByRole('textbox', { name: 'About you' })
      .fill('I compute trajectories.\nLaunch windows are my speciality.');
    await pick(page, form.getByRole('combobox', { name: 'Currency' }), 'EUR', /^EUR/);
    // A rate of nothing is refused at its field, before anything is sent.
    const rate = form.getByRole('textbox', { name: 'Hourly rate' });
    await rate.fill('0');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => fieldError(rate)).toBe('Must be more than 0');
    const unsaved = await api().get<FreelancerProfile>(`/freelancers/${katherine.id}`, {
      token: dorothy.token,
    });
    expect(unsaved.body).toMatchObject({ headline: null, hourlyRate: null });
    await rate.fill('72.50');

    // A skill the marketplace knows, picked from the suggestions.
    const skillBox = form.getByRole('combobox', { name: 'Add a skill' });
    await skillBox.fill('types');
    await page.getByRole('option', { name: 'TypeScript', exact: true }).click();
    const skills = form.getByRole('list', { name: 'Your skills' });
    await skills.getByText('TypeScript', { exact: true }).waitFor();
    expect(await skillBox.inputValue()).toBe('');
    await form.getByRole('combobox', { name: 'Level of TypeScript' }).selectOption('expert');
    // New ones, typed in full; one taken back.
    for (const name of ['Orbital mechanics', 'Slide rules']) {
      await skillBox.fill(name);
      await skillBox.press('Enter');
      await skills.getByText(name, { exact: true }).waitFor();
    }
    await form
      .getByRole('combobox', { name: 'Level of Orbital mechanics' })
      .selectOption('beginner');
    await form.getByRole('button', { name: 'Remove Slide rules' }).click();
    await skills.getByText('Slide rules').waitFor({ state: 'detached' });
    // The same skill twice, spelled differently, is refused at the box.
    await skillBox.fill('typescript');
    await skillBox.press('Enter');
    await expect.poll(() => fieldError(skillBox)).toBe('That skill is already listed');

    await form.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('alert').filter({ hasText: 'Profile saved' }).waitFor();

    const stored = await api().get<FreelancerProfile>(`/freelancers/${katherine.id}`, {
      token: dorothy.token,
    });
    expect(stored.body).toMatchObject({
      headline: 'Orbital mechanics, by hand',
      bio: 'I compute trajectories.\nLaunch windows are my speciality.',
      hourlyRate: { amountMinor: 7_250, currency: 'EUR' },
    });
    expect(stored.body.skills.map((skill) => [skill.name, skill.level])).toEqual([
      ['TypeScript', 'expert'],
      ['Orbital mechanics', 'beginner'],
    ]);
    // The form starts again from what the server kept, and the rest of the app knows it too.
    expect(await form.getByRole('textbox', { name: 'Hourly rate' }).inputValue()).toBe('72.50');
    expect(await form.getByRole('combobox', { name: 'Level of TypeScript' }).inputValue()).toBe(
      'expert',
    );
  });

  it('builds a portfolio: an uploaded image, reordered, edited and pruned', async () => {
    const page = freelancer.page;
    const png = orbitPng(200, 120);
    await page.getByRole('button', { name: 'Add a piece of work' }).click();
    const add = page.getByRole('form', { name: 'Add to your portfolio' });
    await add.getByRole('textbox', { name: 'Title' }).fill('Trajectory tables');
    await add
      .getByRole('textbox', { name: 'Description' })
      .fill('Launch and re-entry tables for a crewed orbital flight.');
    await add.getByRole('textbox', { name: 'Link' }).fill('https://example.com/trajectories');
    await add.getByRole('textbox', { name: 'Completed on' }).fill('2024-05-01');
    await add.locator('input[type="file"][name="portfolio-image"]').setInputFiles({
      name: 'orbit.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const preview = add.getByRole('img', { name: 'Image of Trajectory tables' });
    await expect.poll(() => naturalWidth(preview)).toBe(200);
    await add.getByRole('button', { name: 'Add to portfolio' }).click();
    await add.waitFor({ state: 'detached' });

    const portfolio = page.getByRole('list', { name: 'Your portfolio' });
    const first = portfolio.getByRole('listitem', { name: 'Trajectory tables' });
    await expect
      .poll(() => naturalWidth(first.getByRole('img', { name: 'Trajectory tables' })))
      .toBe(200);

    for (const title of ['Flight checklist', 'Scratch notes']) {
      await page.getByRole('button', { name: 'Add a piece of work' }).click();
      const next = page.getByRole('form', { name: 'Add to your portfolio' });
      await next.getByRole('textbox', { name: 'Title' }).fill(title);
      await next.getByRole('button', { name: 'Add to portfolio' }).click();
      await portfolio.getByRole('listitem', { name: title }).waitFor();
    }
    await portfolio.getByRole('button', { name: 'Move Flight checklist up' }).click();
    await expect
      .poll(() => namesOf(portfolio.getByRole('listitem')))
      .toEqual(['Flight checklist', 'Trajectory tables', 'Scratch notes']);
    await expect
      .poll(() => storedPortfolio())
      .toEqual(['Flight checklist', 'Trajectory tables', 'Scratch notes']);

    await portfolio.getByRole('button', { name: 'Edit Flight checklist' }).click();
    const edit = page.getByRole('form', { name: 'Edit Flight checklist' });
    expect(await edit.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(
      'Flight checklist',
    );
    await edit.getByRole('textbox', { name: 'Title' }).fill('Flight checklists for Mercury');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await portfolio.getByRole('listitem', { name: 'Flight checklists for Mercury' }).waitFor();

    await portfolio.getByRole('button', { name: 'Remove Scratch notes' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await portfolio.getByRole('listitem', { name: 'Scratch notes' }).waitFor({ state: 'detached' });
    await expect
      .poll(() => storedPortfolio())
      .toEqual(['Flight checklists for Mercury', 'Trajectory tables']);
    await snap(page, 'profile-editing-settings.png');
  });

  it('shows the profile as clients see it', async () => {
    const page = freelancer.page;
    await page.getByRole('link', { name: 'View public profile' }).click();
    await page.getByRole('heading', { level: 1, name: katherine.name }).waitFor();
    await page.getByText('Orbital mechanics, by hand').waitFor();
    await page.getByText('€72.50 per hour').waitFor();
    const skills = page.getByRole('region', { name: 'Skills' });
    await expect.poll(() => skills.textContent()).toContain('TypeScriptExpert');
    expect(await skills.textContent()).toContain('Orbital mechanicsBeginner');
    const portfolio = page.getByRole('region', { name: 'Portfolio' });
    await expect
      .poll(() => namesOf(portfolio.getByRole('article')))
      .toEqual(['Flight checklists for Mercury', 'Trajectory tables']);
    const card = portfolio.getByRole('article', { name: 'Trajectory tables' });
    await expect
      .poll(() => naturalWidth(card.getByRole('img', { name: 'Trajectory tables' })))
      .toBe(200);
    await card.getByText('Launch and re-entry tables for a crewed orbital flight.').waitFor();
    await snap(page, 'profile-editing-public.png');

    // Another member reads the same, image included (the blob is public with the profile).
    const image = await fetch(
      `${stage.server.baseUrl}/api/v1/blobs/${(await storedProfile()).portfolio[1]?.imageHash}`,
      { headers: { authorization: `Bearer ${dorothy.token}` } },
    );
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(orbitPng(200, 120))).toBe(true);
  });

  it('shows refused fields at the field and keeps what was typed', async () => {
    const page = freelancer.page;
    await page.goBack();
    await page.getByRole('button', { name: 'Add a piece of work' }).click();
    const add = page.getByRole('form', { name: 'Add to your portfolio' });
    const title = add.getByRole('textbox', { name: 'Title' });
    const description = add.getByRole('textbox', { name: 'Description' });
    const link = add.getByRole('textbox', { name: 'Link' });
    const completed = add.getByRole('textbox', { name: 'Completed on' });
    await title.fill('Moon shot');
    await description.fill('Trajectory for a lunar landing.');
    await link.fill('ftp://files.example.com/moon');
    await add.getByRole('button', { name: 'Add to portfolio' }).click();
    // Checked with the server's own schema before anything is sent.
    await expect.poll(() => fieldError(link)).toBe('Must be an http or https address');

    // Only the server knows today's date: its refusal lands on the date field.
    await link.fill('https://example.com/moon');
    await completed.fill('2099-07-20');
    const refused = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/me/portfolio') && response.status() === 422,
    );
    await add.getByRole('button', { name: 'Add to portfolio' }).click();
    await refused;
    await expect.poll(() => fieldError(completed)).toBe('Must not be in the future');
    expect(await title.inputValue()).toBe('Moon shot');
    expect(await description.inputValue()).toBe('Trajectory for a lunar landing.');
    expect(await link.inputValue()).toBe('https://example.com/moon');
    expect(await completed.inputValue()).toBe('2099-07-20');
    expect(await storedPortfolio()).toEqual(['Flight checklists for Mercury', 'Trajectory tables']);
    await snap(page, 'profile-editing-refused.png');
    await add.getByRole('button', { name: 'Cancel' }).click();
  });

  it('refuses a client’s hourly rate of nothing at its field on the Profile tab', async () => {
    const page = client.page;
    await navLink(page, 'Settings').click();
    await page.getByRole('tab', { name: 'Profile', exact: true }).click();
    const form = page.getByRole('form', { name: 'Profile', exact: true });
    const rate = form.getByRole('textbox', { name: 'Hourly rate' });
    await rate.fill('0');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => fieldError(rate)).toBe('Must be more than 0');
    const me = await api().get<User>('/auth/me', { token: dorothy.token });
    expect(me.body.hourlyRate).toBeNull();
    await form.getByRole('button', { name: 'Discard changes' }).click();
    expect(await rate.inputValue()).toBe('');
  });

  it('lets a client attach files while posting a project and on its page', async () => {
    const page = client.page;
    await navLink(page, 'Marketplace').click();
    await page.getByRole('link', { name: 'Post a project' }).first().click();
    const form = page.getByRole('form', { name: 'Post a project' });
    await form.getByRole('textbox', { name: 'Title' }).fill(projectTitle);
    await form
      .getByRole('textbox', { name: 'Description' })
      .fill('Twelve plots of planetary orbits for a dome projection.');
    await pick(
      page,
      form.getByRole('combobox', { name: 'Category' }),
      'Graphic',
      /Graphic design$/,
    );
    await form.getByRole('textbox', { name: 'Budget from' }).fill('800');
    await form.getByRole('textbox', { name: 'Budget up to' }).fill('1200');
    await form.locator('input[type="file"][name="project-attachments"]').setInputFiles({
      name: 'brief.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(briefText),
    });
    const toAttach = form.getByRole('list', { name: 'Files to attach' });
    await toAttach.getByText('brief.txt').waitFor();
    await toAttach.getByLabel('Uploading brief.txt').waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Publish project' }).click();

    await page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
    projectId = /#\/marketplace\/projects\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(projectId).not.toBe('');
    const files = page.getByRole('region', { name: 'Files' });
    const list = files.getByRole('list', { name: 'Project files' });
    await list
      .getByRole('listitem', { name: 'brief.txt' })
      .getByText(`${Buffer.byteLength(briefText)} B · Text file`)
      .waitFor();

    // More on the project page: uploaded, then attached, in the order picked.
    await files
      .locator('input[type="file"][name="project-attachments"]')
      .setInputFiles([{ name: 'orbit.png', mimeType: 'image/png', buffer: orbitPng(320, 180) }]);
    await list
      .getByRole('listitem', { name: 'orbit.png' })
      .getByText(/PNG image$/)
      .waitFor();
    expect((await storedAttachments()).map((file) => [file.name, file.mimeType])).toEqual([
      ['brief.txt', 'text/plain'],
      ['orbit.png', 'image/png'],
    ]);

    // Too big for the blob store: refused before anything is sent.
    await files.locator('input[type="file"][name="project-attachments"]').setInputFiles({
      name: 'raw-footage.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(25 * 1024 * 1024 + 1),
    });
    await files
      .getByRole('alert')
      .getByText('raw-footage.bin is larger than 25 MB, the most a project file can be.')
      .waitFor();
    await files.getByRole('button', { name: 'Dismiss' }).click();

    // Another device of hers fills the project to its 10 files meanwhile: the server refuses.
    const extra: string[] = [];
    for (let n = 1; n <= 8; n += 1) {
      const hash = await uploadAs(dorothy.token, Buffer.from(`extra sheet ${n}`), 'text/plain');
      const attached = await api().post(`/projects/${projectId}/attachments`, {
        token: dorothy.token,
        json: { hash, name: `sheet-${n}.txt` },
      });
      expect(attached.status).toBe(201);
      extra.push(hash);
    }
    await files.locator('input[type="file"][name="project-attachments"]').setInputFiles({
      name: 'late.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('one too many'),
    });
    await files
      .getByRole('alert')
      .getByText('Could not attach late.txt: A project holds at most 10 files; remove one first.')
      .waitFor();
    expect(await storedAttachments()).toHaveLength(10);
    for (const hash of extra) {
      const removed = await api().delete(`/projects/${projectId}/attachments/${hash}`, {
        token: dorothy.token,
      });
      expect(removed.status).toBe(204);
    }
    await snap(page, 'profile-editing-attachments-owner.png');
  });

  it('lets a freelancer download the files byte for byte', async () => {
    const page = freelancer.page;
    await page.goto(`${freelancer.host.url}/#/marketplace/projects/${projectId}`);
    await page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
    const list = page.getByRole('region', { name: 'Files' }).getByRole('list', {
      name: 'Project files',
    });
    await list.getByRole('listitem', { name: 'brief.txt' }).waitFor();
    expect(await list.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Attach files' }).count()).toBe(0);

    for (const [name, bytes] of [
      ['brief.txt', Buffer.from(briefText)],
      ['orbit.png', orbitPng(320, 180)],
    ] as const) {
      const download = page.waitForEvent('download');
      await list.getByRole('button', { name: `Download ${name}` }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(name);
      expect((await readFile(await file.path())).equals(bytes)).toBe(true);
    }
    await snap(page, 'profile-editing-attachments-freelancer.png');
  });

  it('lets the client remove a file, and says so when the project can no longer change', async () => {
    const page = client.page;
    const files = page.getByRole('region', { name: 'Files' });
    const list = files.getByRole('list', { name: 'Project files' });
    const brief = (await storedAttachments()).find((file) => file.name === 'brief.txt');
    await list.getByRole('button', { name: 'Remove brief.txt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove file' }).click();
    await list.getByRole('listitem', { name: 'brief.txt' }).waitFor({ state: 'detached' });
    expect((await storedAttachments()).map((file) => file.name)).toEqual(['orbit.png']);

    // The freelancer's next look shows it gone, and the bytes are no longer theirs to read.
    const asFreelancer = await api().get<Project>(`/projects/${projectId}`, {
      token: katherine.token,
    });
    expect(asFreelancer.body.attachments?.map((file) => file.name)).toEqual(['orbit.png']);
    const bytes = await api().get(`/blobs/${brief?.hash}`, { token: katherine.token });
    expect(bytes.status).toBe(404);

    // Cancelled from another device while this page was open: the removal is refused.
    const cancelled = await api().post(`/projects/${projectId}/status`, {
      token: dorothy.token,
      json: { to: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    await list.getByRole('button', { name: 'Remove orbit.png' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove file' }).click();
    await files
      .getByRole('alert')
      .getByText(
        "Could not remove orbit.png: A cancelled project's files cannot change; only draft and open ones can.",
      )
      .waitFor();
    expect((await storedAttachments()).map((file) => file.name)).toEqual(['orbit.png']);
  });

  it('logged no unexpected errors in either window', () => {
    // The refused portfolio item (422), the eleventh file and the cancelled project (409).
    const expected = [
      /^Failed to load resource: the server responded with a status of (422|409)\b/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

async function storedProfile(): Promise<FreelancerProfile> {
  const answer = await api().get<FreelancerProfile>(`/freelancers/${katherine.id}`, {
    token: katherine.token,
  });
  return answer.body;
}

async function storedPortfolio(): Promise<string[]> {
  return (await storedProfile()).portfolio.map((item) => item.title);
}

async function storedAttachments(): Promise<ProjectAttachment[]> {
  const answer = await api().get<{ items: ProjectAttachment[] }>(
    `/projects/${projectId}/attachments`,
    { token: dorothy.token },
  );
  return answer.body.items;
}

async function uploadAs(token: string, bytes: Buffer, mimeType: string): Promise<string> {
  const response = await fetch(`${stage.server.baseUrl}/api/v1/blobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': mimeType },
    body: new Uint8Array(bytes),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { hash: string }).hash;
}

/** The names elements take from the heading they are labelled by, in document order. */
function namesOf(elements: Locator): Promise<string[]> {
  return elements.evaluateAll((found) =>
    found.map(
      (element) =>
        document.getElementById(element.getAttribute('aria-labelledby') ?? '')?.textContent ?? '',
    ),
  );
}

function naturalWidth(image: Locator): Promise<number> {
  return image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
}

/**
 * A real PNG (8-bit RGB, filter 0 on every row): a night sky with an elliptical orbit, so a
 * thumbnail has something to show and the bytes are the test's own.
 */
function orbitPng(width: number, height: number): Buffer {
  const raw = Buffer.alloc((1 + width * 3) * height);
  const [cx, cy, rx, ry] = [width / 2, height / 2, width * 0.4, height * 0.3];
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const ellipse = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      const onOrbit = Math.abs(ellipse - 1) < 0.06;
      const planet = (x - cx) ** 2 + (y - cy) ** 2 < (height * 0.08) ** 2;
      const colour = planet ? [250, 176, 5] : onOrbit ? [116, 192, 252] : [16, 24, 48 + (y % 32)];
      raw.set(colour, row + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body), body.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per sample, RGB, deflate, filter 0, no interlace
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
