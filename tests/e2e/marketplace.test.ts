/**
 * The marketplace, end to end: a client and a freelancer, each in their own app window (own
 * browser host, own keychain entry, own browser context) against one real server on SQLite.
 * The client posts a project, the freelancer finds it by searching (with autocomplete) and
 * proposes, the client compares and accepts, and both open the contract. Refused forms show
 * the server's field errors at the fields and keep what was typed.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { Contract } from '../../shared/marketplace/contracts.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { ProposalPage } from '../../shared/marketplace/proposals.ts';
import type { CategoryNode } from '../../shared/marketplace/taxonomy.ts';
import { seedTaxonomy } from '../../server/marketplace/seed-taxonomy.ts';
import {
  fieldError,
  navLink,
  pick,
  snap,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, storyEmail, type Stage } from '../support/e2e-stage.ts';
import { client as httpClient } from '../support/http.ts';

const { grace, ada } = castOf('marketplace', 'grace', 'ada');

const title = 'Desktop chronograph for a design studio';
const description = [
  'We need an offline-first chronograph: a time tracker our designers keep open all day.',
  'It must run on <b>Windows and macOS</b>, sync when back online, and export timesheets.',
].join('\n\n');
const coverLetter =
  'I build Electron apps for a living.\n\nI would start with the tracker core, then sync.';
/** A client whose name looks like markup: it must show as the characters typed. */
const linusName = 'Linus <b>Web</b> & "Co"';

let stage: Stage;
let client: Device;
let freelancer: Device;
let projectId = '';

const api = () => httpClient(stage.server.baseUrl);

type CategoryTree = { categories: CategoryNode[] };

describe('the marketplace, from a posted project to a contract', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'marketplace',
      people: [grace, ada],
      devices: [
        { label: 'Grace’s desk', person: grace },
        { label: 'Ada’s laptop', person: ada },
      ],
      prepare: async (server) => {
        // The category tree every installation starts with.
        await seedTaxonomy(server.db);
        const profile = await httpClient(server.baseUrl).patch('/me/profile', {
          token: ada.token,
          json: {
            headline: 'Electron and offline-first desktop apps',
            hourlyRate: { amountMinor: 9_500, currency: 'EUR' },
            skills: [
              { name: 'Electron', level: 'expert' },
              { name: 'TypeScript', level: 'intermediate' },
            ],
          },
        });
        expect(profile.status).toBe(200);
      },
    });
    [client, freelancer] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('lets a client post a project through the UI', async () => {
    const page = client.page;
    await navLink(page, 'Marketplace').click();
    await page.getByRole('heading', { level: 1, name: 'Marketplace' }).waitFor();
    const categories = page.getByRole('navigation', { name: 'Categories' });
    await categories.getByRole('link', { name: /^Desktop apps/ }).waitFor();
    await page.getByRole('status').filter({ hasText: 'No open projects yet' }).waitFor();

    await page.getByRole('link', { name: 'Post a project' }).first().click();
    const form = page.getByRole('form', { name: 'Post a project' });
    await form.waitFor();
    await form.getByRole('textbox', { name: 'Title' }).fill(title);
    await form.getByRole('textbox', { name: 'Description' }).fill(description);
    await pick(page, form.getByRole('combobox', { name: 'Category' }), 'Desktop', /Desktop apps$/);
    const skills = form.getByRole('combobox', { name: 'Skills' });
    for (const skill of ['Electron', 'TypeScript']) {
      await skills.fill(skill);
      await skills.press('Enter');
    }
    await form.getByRole('textbox', { name: 'Budget from' }).fill('1500');
    await form.getByRole('textbox', { name: 'Budget up to' }).fill('3,000.00');
    await pick(page, form.getByRole('combobox', { name: 'Currency' }), 'EUR', /^EUR/);
    await form.getByRole('button', { name: 'Publish project' }).click();

    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    projectId = /#\/marketplace\/projects\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(projectId).not.toBe('');
    const about = page.getByRole('region', { name: 'About this project' });
    expect(await about.textContent()).toContain('€1,500.00 – €3,000.00');
    // The description's markup is the server's sanitised subset, rendered as elements.
    await page
      .getByRole('region', { name: 'Description' })
      .locator('strong, b')
      .filter({ hasText: 'Windows and macOS' })
      .waitFor();
    await page.getByRole('list', { name: 'Skills' }).getByText('Electron').waitFor();
    await page
      .getByRole('group', { name: 'Project status' })
      .getByRole('button', {
        name: 'Cancel project',
      })
      .waitFor();
    await page.getByRole('region', { name: 'Proposals' }).getByText('No proposals yet').waitFor();

    const stored = await api().get<Project>(`/projects/${projectId}`, { token: grace.token });
    expect(stored.body).toMatchObject({
      title,
      status: 'open',
      budget: {
        type: 'fixed',
        min: { amountMinor: 150_000, currency: 'EUR' },
        max: { amountMinor: 300_000, currency: 'EUR' },
      },
    });
    expect(stored.body.skills.map((skill) => skill.name).sort()).toEqual([
      'Electron',
      'TypeScript',
    ]);

    // Editing keeps the description's markup as it was typed and changes what was changed.
    await page.getByRole('link', { name: 'Edit project' }).click();
    const edit = page.getByRole('form', { name: 'Edit project' });
    expect(await edit.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(title);
    expect(await edit.getByRole('textbox', { name: 'Description' }).inputValue()).toContain(
      '<b>Windows and macOS</b>',
    );
    await edit.getByRole('textbox', { name: 'Deadline' }).fill('2099-12-31');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect.poll(() => about.textContent()).toContain('31 December 2099');
    await snap(page, 'marketplace-project-owner.png');
  });

  it('shows refused fields at the fields and keeps what was typed', async () => {
    const page = client.page;
    await page.getByRole('link', { name: 'Post a project' }).first().click();
    const form = page.getByRole('form', { name: 'Post a project' });
    const titleBox = form.getByRole('textbox', { name: 'Title' });
    await titleBox.fill('Logo');
    await form.getByRole('textbox', { name: 'Description' }).fill('A logo for a bakery.');
    await pick(
      page,
      form.getByRole('combobox', { name: 'Category' }),
      'Graphic',
      /Graphic design$/,
    );
    await form.getByRole('textbox', { name: 'Budget from' }).fill('200');
    await form.getByRole('textbox', { name: 'Budget up to' }).fill('400');
    await form.getByRole('textbox', { name: 'Deadline' }).fill('2020-01-31');
    await form.getByRole('button', { name: 'Publish project' }).click();
    // Checked here with the server's own schema before anything is sent.
    await expect.poll(() => fieldError(titleBox)).toBe('Must be at least 5 characters');

    // The server alone knows today's date: its refusal lands on the deadline field.
    await titleBox.fill('A logo for a bakery');
    const refused = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/projects') && response.status() === 422,
    );
    await form.getByRole('button', { name: 'Publish project' }).click();
    await refused;
    const deadline = form.getByRole('textbox', { name: 'Deadline' });
    await expect.poll(() => fieldError(deadline)).toBe('Must not be in the past');
    expect(await titleBox.inputValue()).toBe('A logo for a bakery');
    expect(await form.getByRole('textbox', { name: 'Description' }).inputValue()).toBe(
      'A logo for a bakery.',
    );
    expect(await deadline.inputValue()).toBe('2020-01-31');
    const mine = await api().get<{ items: Project[] }>('/projects?mine=true', {
      token: grace.token,
    });
    expect(mine.body.items.map((project) => project.id)).toEqual([projectId]);
    await snap(page, 'marketplace-refused-project.png');
  });

  it('lets a freelancer find it by search, with suggestions, and propose', async () => {
    // Grace keeps her project open meanwhile; the window is marked to show it never reloads.
    await client.page.goto(`${client.host.url}/#/marketplace/projects/${projectId}`);
    await client.page.getByRole('heading', { level: 1, name: title }).waitFor();
    const gracesCount = client.page.getByRole('region', { name: 'About this project' });
    await expect.poll(() => gracesCount.textContent()).toContain('0 proposals');
    await client.page.evaluate(() => Reflect.set(window, 'sameDocument', true));

    // Another client's 21 web projects: more than a page of them.
    const other = await api().post<AuthResult>('/auth/register', {
      json: {
        name: linusName,
        email: storyEmail('linus', 'marketplace'),
        password: 'a long enough password',
        role: 'client',
        deviceName: 'Setup',
      },
    });
    const tree = await api().get<CategoryTree>('/categories', { token: ada.token });
    const web = tree.body.categories
      .flatMap((node) => node.children)
      .find((node) => node.slug === 'web-development');
    for (let n = 1; n <= 21; n += 1) {
      const posted = await api().post('/projects', {
        token: other.body.accessToken,
        json: {
          title: `Shop front number ${n}`,
          description: 'A small web shop.',
          categoryId: web?.id,
          budget: {
            type: 'hourly',
            min: { amountMinor: 4_000, currency: 'USD' },
            max: { amountMinor: 6_000, currency: 'USD' },
          },
          publish: true,
        },
      });
      expect(posted.status).toBe(201);
    }

    const page = freelancer.page;
    await navLink(page, 'Marketplace').click();
    // Following nobody yet: the home says what following a client would bring here.
    await page
      .getByRole('region', { name: 'From clients you follow' })
      .getByText(/Follow a client from one of their projects/)
      .waitFor();
    const categories = page.getByRole('navigation', { name: 'Categories' });
    await categories.getByRole('link', { name: /^Web development/ }).click();
    const webList = page.getByRole('list', { name: 'Open projects: Web development' });
    await expect.poll(() => webList.getByRole('article').count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => webList.getByRole('article').count()).toBe(21);
    const shopFront = webList.getByRole('article', { name: 'Shop front number 1', exact: true });
    await shopFront.waitFor();
    // Each card names its client, as text: the name's markup never becomes elements.
    await shopFront.getByRole('link', { name: linusName, exact: true }).waitFor();
    expect(await shopFront.locator('b').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await categories.getByRole('link', { name: /^Desktop apps/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Desktop apps' }).waitFor();
    await page
      .getByRole('list', { name: 'Open projects: Desktop apps' })
      .getByText(title)
      .waitFor();

    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Search' })
      .click();
    const box = page.getByRole('combobox', { name: 'Search projects' });
    await box.pressSequentially('chronog', { delay: 40 });
    const suggestion = page.getByRole('option', { name: `Project: ${title}` });
    await suggestion.waitFor();
    await snap(page, 'marketplace-autocomplete.png');
    await box.press('Enter');
    await expect.poll(() => page.url()).toContain('q=chronog');
    const results = page.getByRole('list', { name: 'Search results' });
    const card = results.getByRole('article', { name: title });
    await card.waitFor();
    // The matched word is marked in the excerpt, as text: never as markup from the project.
    expect((await card.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain(
      'chronograph',
    );
    await page.getByRole('button', { name: 'Save this search' }).click();
    const save = page.getByRole('form', { name: 'Save this search' });
    await save.getByRole('textbox', { name: 'Name' }).fill('Chronograph work');
    await save.getByRole('button', { name: 'Save search' }).click();
    await save.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Budget from' }).fill('5000');
    await page.getByRole('textbox', { name: 'Budget from' }).press('Enter');
    await page.getByRole('status').filter({ hasText: 'No open projects match' }).waitFor();
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await card.waitFor();
    await card.getByRole('link', { name: title }).click();

    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    // Who posted it, how they are rated, and a way to follow them.
    const aboutClient = page.getByRole('region', { name: 'About the client' });
    await aboutClient.getByRole('link', { name: grace.name, exact: true }).waitFor();
    await expect
      .poll(() => aboutClient.getByTestId('client-rating').textContent())
      .toBe('Not rated yet');
    await expect
      .poll(() => aboutClient.getByTestId('follow-counts').textContent())
      .toBe('0 followers');
    await aboutClient.getByRole('button', { name: `Follow ${grace.name}` }).click();
    await aboutClient.getByRole('button', { name: `Unfollow ${grace.name}` }).waitFor();
    await expect
      .poll(() => aboutClient.getByTestId('follow-counts').textContent())
      .toBe('1 follower');
    const star = page.getByRole('button', { name: 'Favorite this project' });
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('link', { name: 'Propose' }).click();
    const form = page.getByRole('form', { name: 'Propose' });
    await form.getByRole('textbox', { name: 'Cover letter' }).fill(coverLetter);
    const price = form.getByRole('textbox', { name: 'Your price' });
    await price.fill('0');
    await form.getByRole('textbox', { name: 'Duration in days' }).fill('30');
    await form.getByRole('button', { name: 'Send proposal' }).click();
    await expect.poll(() => fieldError(price)).toBe('Must be at least €0.01');

    // A plan that does not add up to the price: only the server checks the sum.
    await price.fill('2400');
    await form.getByRole('switch', { name: 'Split the price into milestones' }).check();
    const plan = form.getByRole('group', { name: 'Milestone plan' });
    await plan.getByRole('textbox', { name: 'Milestone 1 title' }).fill('Tracker core');
    await plan.getByRole('textbox', { name: 'Milestone 1 amount' }).fill('1000');
    await plan.getByRole('button', { name: 'Add a milestone' }).click();
    await plan.getByRole('textbox', { name: 'Milestone 2 title' }).fill('Sync and export');
    await plan.getByRole('textbox', { name: 'Milestone 2 amount' }).fill('1000');
    await form.getByRole('button', { name: 'Send proposal' }).click();
    await plan
      .getByRole('alert')
      .filter({ hasText: 'Must sum to the bid of €2,400.00, not €2,000.00' })
      .waitFor();
    expect(await form.getByRole('textbox', { name: 'Cover letter' }).inputValue()).toBe(
      coverLetter,
    );
    expect(await price.inputValue()).toBe('2400');
    const none = await api().get<ProposalPage>('/proposals/mine', { token: ada.token });
    expect(none.body.items).toEqual([]);
    await snap(page, 'marketplace-refused-proposal.png');

    await plan.getByRole('textbox', { name: 'Milestone 2 amount' }).fill('1400');
    await form.getByRole('button', { name: 'Send proposal' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const mine = page.getByRole('region', { name: 'Your proposal' });
    await mine.getByText('Pending').waitFor();
    expect(await mine.textContent()).toContain('€2,400.00, 30 days');

    // In Grace's window the count went from 0 to 1 as Ada sent it, and her review shows it.
    await expect.poll(() => gracesCount.textContent()).toContain('1 proposal');
    await client.page
      .getByRole('table', { name: 'Proposals side by side' })
      .getByRole('columnheader', { name: ada.name })
      .waitFor();
    expect(await client.page.evaluate(() => Reflect.get(window, 'sameDocument') === true)).toBe(
      true,
    );
    await snap(client.page, 'marketplace-live-proposal-count.png');

    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Your proposals' })
      .click();
    const row = page
      .getByRole('list', { name: 'Your proposals' })
      .getByRole('article', { name: title });
    await row.getByText('Pending').waitFor();
    await row.getByRole('link', { name: `Edit your proposal on ${title}` }).waitFor();

    // Changed while the client has not decided.
    await row.getByRole('link', { name: `Edit your proposal on ${title}` }).click();
    const change = page.getByRole('form', { name: 'Edit your proposal' });
    expect(await change.getByRole('textbox', { name: 'Cover letter' }).inputValue()).toBe(
      coverLetter,
    );
    await change.getByRole('textbox', { name: 'Duration in days' }).fill('28');
    await change.getByRole('button', { name: 'Save proposal' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect.poll(() => mine.textContent()).toContain('€2,400.00, 4 weeks');

    // The home: viewed and proposed on, it trends; the saved search runs with its results.
    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Browse' })
      .click();
    await page
      .getByRole('list', { name: 'Trending projects' })
      .getByRole('link', { name: title })
      .waitFor();
    await page
      .getByRole('list', { name: 'Projects from clients you follow' })
      .getByRole('link', { name: title })
      .waitFor();
    await page
      .getByRole('list', { name: 'Saved searches' })
      .getByRole('link', { name: 'Chronograph work' })
      .waitFor();
    await snap(page, 'marketplace-home.png');
    await page
      .getByRole('list', { name: 'Saved searches' })
      .getByRole('link', { name: 'Chronograph work' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Chronograph work' }).waitFor();
    await page
      .getByRole('list', { name: 'Results of Chronograph work' })
      .getByRole('article', { name: title })
      .waitFor();
    await snap(page, 'marketplace-saved-search.png');

    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Favorites' })
      .click();
    await page
      .getByRole('list', { name: 'Favorite projects' })
      .getByRole('article', { name: title })
      .waitFor();
  });

  it('lets the client compare, accept, and both parties open the contract', async () => {
    const page = client.page;
    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Your projects' })
      .click();
    const mine = page.getByRole('list', { name: 'Your projects' });
    await mine.getByRole('article', { name: title }).getByText('Open', { exact: true }).waitFor();
    await mine.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const about = page.getByRole('region', { name: 'About this project' });
    await expect.poll(() => about.textContent()).toContain('1 proposal');
    const review = page.getByRole('table', { name: 'Proposals side by side' });
    await review.getByText('€2,400.00').waitFor();
    await review.getByText('4 weeks').waitFor();
    await review.getByText('Tracker core: €1,000.00').waitFor();
    await review.getByText('I build Electron apps for a living.').waitFor();
    // Proposals name their freelancer, with what a client compares, all from the answer itself.
    await review.getByRole('columnheader', { name: ada.name }).waitFor();
    await review.getByText('Electron and offline-first desktop apps').waitFor();
    await review.getByText('€95.00 per hour').waitFor();
    await review.getByText('Not rated yet').waitFor();
    await review.getByText('0 jobs', { exact: true }).waitFor();

    await review.getByRole('button', { name: /^Shortlist .*proposal$/ }).click();
    await review.getByText('Shortlisted', { exact: true }).waitFor();
    await snap(page, 'marketplace-review.png');

    await review.getByRole('button', { name: /^Accept .*proposal$/ }).click();
    const dialog = page.getByRole('dialog');
    const terms = dialog.getByRole('form', { name: 'Contract terms' });
    const milestones = terms.getByRole('group', { name: 'Contract milestones' });
    expect(await milestones.getByRole('textbox', { name: 'Milestone 1 title' }).inputValue()).toBe(
      'Tracker core',
    );
    await milestones.getByRole('textbox', { name: 'Milestone 2 due' }).fill('2099-03-31');
    await terms.getByRole('button', { name: 'Accept and start the contract' }).click();

    await expect.poll(() => page.url()).toMatch(/#\/contracts\/[0-9a-f-]{36}$/);
    const contractId = /#\/contracts\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';

    const asGrace = await api().get<Contract>(`/contracts/${contractId}`, { token: grace.token });
    const asAda = await api().get<Contract>(`/contracts/${contractId}`, { token: ada.token });
    expect(asGrace.status).toBe(200);
    expect(asAda.body).toEqual(asGrace.body);
    expect(asGrace.body).toMatchObject({
      projectId,
      type: 'fixed',
      status: 'active',
      total: { amountMinor: 240_000, currency: 'EUR' },
    });
    expect(asGrace.body.milestones.map((m) => [m.title, m.amount.amountMinor, m.dueDate])).toEqual([
      ['Tracker core', 100_000, null],
      ['Sync and export', 140_000, '2099-03-31'],
    ]);

    // Both see it on the Contracts screen, titled after the project.
    await page.getByRole('heading', { name: title }).waitFor({ timeout: 15_000 });
    await freelancer.page.goto(`${freelancer.host.url}/#/contracts/${contractId}`);
    await freelancer.page.getByRole('heading', { name: title }).waitFor({ timeout: 15_000 });
    await snap(freelancer.page, 'marketplace-contract-freelancer.png');

    // The project moved on, and the freelancer's proposal says so.
    const project = await api().get<Project>(`/projects/${projectId}`, { token: ada.token });
    expect(project.body.status).toBe('in_progress');
    await navLink(freelancer.page, 'Marketplace').click();
    await freelancer.page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Your proposals' })
      .click();
    const row = freelancer.page
      .getByRole('list', { name: 'Your proposals' })
      .getByRole('article', { name: title });
    await row.getByText('Accepted').waitFor();
    expect(await row.getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
  });

  it('shows a freelancer’s profile from search, and keeps them among favorites', async () => {
    const page = client.page;
    await navLink(page, 'Marketplace').click();
    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Freelancers' })
      .click();
    const box = page.getByRole('textbox', { name: 'Search freelancers' });
    await box.fill('offline-first desktop');
    await box.press('Enter');
    const found = page.getByRole('list', { name: 'Freelancers found' });
    await found.getByRole('article', { name: ada.name }).getByText('Electron · Expert').waitFor();
    await found.getByRole('link', { name: ada.name }).click();

    await page.getByRole('heading', { level: 1, name: ada.name }).waitFor();
    await page.getByText('Electron and offline-first desktop apps').waitFor();
    await page.getByText('€95.00 per hour').waitFor();
    const skills = page.getByRole('region', { name: 'Skills' });
    expect(await skills.textContent()).toContain('ElectronExpert');
    expect(await skills.textContent()).toContain('TypeScriptIntermediate');
    const stats = page.getByRole('region', { name: 'Stats' });
    expect(await stats.textContent()).toContain('Contracts1');
    await page
      .getByRole('region', { name: 'Reviews' })
      .getByText('No public reviews yet')
      .waitFor();

    const star = page.getByRole('button', { name: `Favorite ${ada.name}` });
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    // Ada follows Grace (since the project page); Grace now follows Ada.
    const counts = page.getByTestId('follow-counts');
    await expect.poll(() => counts.textContent()).toBe('0 followers · follows 1');
    await page.getByRole('button', { name: `Follow ${ada.name}` }).click();
    await page.getByRole('button', { name: `Unfollow ${ada.name}` }).waitFor();
    await expect.poll(() => counts.textContent()).toBe('1 follower · follows 1');
    await snap(page, 'marketplace-freelancer-profile.png');

    // Both marks are the profile's own answer: they hold on a fresh load.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: ada.name }).waitFor();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: `Unfollow ${ada.name}` }).waitFor();

    await page
      .getByRole('navigation', { name: 'Marketplace' })
      .getByRole('link', { name: 'Favorites' })
      .click();
    await page.getByRole('tab', { name: 'Freelancers' }).click();
    const favorites = page.getByRole('list', { name: 'Favorite freelancers' });
    await favorites.getByRole('article', { name: ada.name }).waitFor();
    await favorites.getByRole('button', { name: `Remove ${ada.name} from favorites` }).click();
    await page.getByText('No favorite freelancers yet').waitFor();
  });

  it('brings a followed client’s new project to the freelancer’s home', async () => {
    const fresh = 'Timesheet export for the design studio';
    const posted = await api().post<Project>('/projects', {
      token: grace.token,
      json: {
        title: fresh,
        description: 'Export the tracked hours as timesheets.',
        categoryId: (await api().get<Project>(`/projects/${projectId}`, { token: grace.token }))
          .body.category.id,
        budget: {
          type: 'fixed',
          min: { amountMinor: 50_000, currency: 'EUR' },
          max: { amountMinor: 80_000, currency: 'EUR' },
        },
        publish: true,
      },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);

    const page = freelancer.page;
    await navLink(page, 'Dashboard').click();
    await navLink(page, 'Marketplace').click();
    const feed = page.getByRole('list', { name: 'Projects from clients you follow' });
    await feed.getByRole('link', { name: fresh }).waitFor();
    // The first project is in progress now: no longer open, so no longer in the feed.
    expect(await feed.getByRole('link', { name: title }).count()).toBe(0);
    expect(await feed.getByRole('listitem').count()).toBe(1);
    expect(await feed.getByRole('listitem').textContent()).toContain(`by ${grace.name}`);
    await page.mouse.move(0, 0);
    await snap(page, 'marketplace-following-feed.png');

    // The client's name leads to their page: their rating, reviews and followers.
    await feed.getByRole('link', { name: grace.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: grace.name }).waitFor();
    expect(await page.getByTestId('rating-summary').textContent()).toBe('Not rated yet');
    await expect
      .poll(() => page.getByTestId('follow-counts').textContent())
      .toBe('1 follower · follows 1');
    await page.getByRole('button', { name: `Unfollow ${grace.name}` }).waitFor();
    await page
      .getByRole('region', { name: 'Reviews' })
      .getByText('No public reviews yet')
      .waitFor();
  });

  it('logged no unexpected errors in either window', () => {
    // The refused forms' answers.
    const expected = [/^Failed to load resource: the server responded with a status of 422\b/];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});
