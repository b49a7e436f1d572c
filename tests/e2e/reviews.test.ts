/**
 * Reviews end to end: a client and a freelancer, each on a device of their own, against one
 * real server (SQLite). The client ends their contract on its page; both then review each
 * other there. The first review stays hidden from the other side until they have sent
 * theirs, on screen as on the server; then both show, on the contract and on the public
 * pages (the freelancer's profile, the client's page). Offline, the section says it needs
 * the server, while the contract itself still shows from the device.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractReviews, ReviewPage } from '../../shared/marketplace/reviews.ts';
import {
  navLink,
  snap,
  syncStatus,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client } from '../support/http.ts';
import {
  contractBetween,
  createCategory,
  projectInput,
  signUpAs,
} from '../support/marketplace-fixtures.ts';

const members = castOf('reviews', 'grace', 'ada');
const { grace, ada } = members;
const projectTitle = projectInput('').title;
const graceText = 'Careful work, delivered a week early.';
const adaText = 'Clear brief <3 & paid on time';

/** A change on one device shows on the other within this. */
const liveMs = 5_000;

let stage: Stage;
let graceDesk: Device;
let adaDesk: Device;
let contractId = '';

describe('reviews after a contract ends, on both parties’ devices', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'reviews',
      people: [grace, ada],
      devices: [
        { label: 'Grace’s desk', person: grace },
        { label: 'Ada’s desk', person: ada },
      ],
      prepare: async (server) => {
        const admin = await signUpAs(server, 'admin');
        const category = await createCategory(server, admin, { name: 'Desktop apps' });
        contractId = await contractBetween(
          server,
          { client: grace, freelancer: ada, categoryId: category.id },
          'active',
        );
      },
    });
    [graceDesk, adaDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('opens the reviews on both sides once the client ends the contract', async () => {
    for (const device of [graceDesk, adaDesk]) {
      await navLink(device.page, 'Contracts').click();
      await device.page.getByRole('link', { name: new RegExp(projectTitle) }).click({
        timeout: liveMs,
      });
      await device.page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
      await expect.poll(() => statusOf(device.page)).toBe('Active');
      // Nothing to review while the work goes on.
      expect(await reviewsOf(device.page).count()).toBe(0);
    }

    await graceDesk.page
      .getByRole('group', { name: 'Contract actions' })
      .getByRole('button', { name: 'End contract' })
      .click();
    await graceDesk.page
      .getByRole('dialog', { name: 'End this contract?' })
      .getByRole('button', { name: 'End contract' })
      .click();

    for (const [device, other] of [
      [graceDesk, ada.name],
      [adaDesk, grace.name],
    ] as const) {
      await expect.poll(() => statusOf(device.page), { timeout: liveMs }).toBe('Ended');
      const reviews = reviewsOf(device.page);
      await reviews.getByRole('form', { name: `Review ${other}` }).waitFor({ timeout: liveMs });
      await expect.poll(() => theirStatus(device.page)).toBe(`${other} has not reviewed you yet.`);
    }
  });

  it('refuses a review without stars or words, then keeps the first hidden from the other side', async () => {
    const page = graceDesk.page;
    const form = reviewsOf(page).getByRole('form', { name: `Review ${ada.name}` });
    const text = form.getByRole('textbox', { name: 'Your review' });
    await text.fill('<script>alert(1)</script>');
    await form.getByRole('button', { name: 'Send review' }).click();
    // Checked with the server's own schema before anything is sent.
    await form.getByText('Choose from 1 to 5 stars').waitFor();

    // Only the server sanitises: nothing visible is left, and its refusal lands at the field.
    await rate(form, 4);
    const refused = page.waitForResponse(
      (response) => response.url().endsWith('/reviews') && response.status() === 422,
    );
    await form.getByRole('button', { name: 'Send review' }).click();
    await refused;
    await form.getByText('Must contain some text').waitFor();
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    expect((await reviewsAs('grace')).mine).toBeNull();

    await text.fill(graceText);
    await form.getByRole('button', { name: 'Send review' }).click();
    const mine = reviewsOf(page).getByRole('article', { name: 'Your review' });
    await mine.getByText(graceText).waitFor();
    await mine.getByRole('img', { name: 'Rated 4 out of 5' }).waitFor();
    expect(await page.getByTestId('my-review-visibility').textContent()).toMatch(
      new RegExp(`^Only you can see it for now\\. It becomes public once ${ada.name} reviews`),
    );
    expect(await form.count()).toBe(0);

    // Ada learns that Grace has reviewed her, but not what she wrote.
    const adaPage = adaDesk.page;
    await reviewsOf(adaPage).getByRole('button', { name: 'Check the reviews again' }).click();
    await expect
      .poll(() => theirStatus(adaPage))
      .toBe(`${grace.name} has reviewed you; it shows once you submit yours or after 14 days.`);
    expect(await adaPage.getByText(graceText).count()).toBe(0);
    expect(
      await reviewsOf(adaPage)
        .getByRole('article', { name: `${grace.name}’s review of you` })
        .count(),
    ).toBe(0);
    // The server agrees: nothing of it is public yet.
    const forAda = await reviewsAs('ada');
    expect(forAda).toMatchObject({ canSubmit: true, theirs: null, theirsSubmitted: true });
    expect((await publicReviewsOf(members.ada.id)).items).toEqual([]);
    await reviewsOf(adaPage).scrollIntoViewIfNeeded();
    await adaPage.mouse.move(0, 0);
    await snap(adaPage, 'reviews-hidden.png');
  });

  it('shows both reviews to both once the second is in', async () => {
    const page = adaDesk.page;
    const form = reviewsOf(page).getByRole('form', { name: `Review ${grace.name}` });
    await rate(form, 5);
    await form.getByRole('textbox', { name: 'Your review' }).fill(adaText);
    await form.getByRole('button', { name: 'Send review' }).click();

    const theirs = reviewsOf(page).getByRole('article', { name: `${grace.name}’s review of you` });
    await theirs.getByText(graceText).waitFor();
    await theirs.getByRole('img', { name: 'Rated 4 out of 5' }).waitFor();
    // Typed as plain text, shown as the same characters.
    const mine = reviewsOf(page).getByRole('article', { name: 'Your review' });
    await mine.getByText(adaText, { exact: true }).waitFor();
    await expect
      .poll(() => page.getByTestId('my-review-visibility').textContent())
      .toMatch(/^Public since /);
    await page.mouse.move(0, 0);
    await snap(page, 'reviews-both.png');

    const gracePage = graceDesk.page;
    await reviewsOf(gracePage).getByRole('button', { name: 'Check the reviews again' }).click();
    await reviewsOf(gracePage)
      .getByRole('article', { name: `${ada.name}’s review of you` })
      .getByText(adaText, { exact: true })
      .waitFor();
    await expect
      .poll(() => gracePage.getByTestId('my-review-visibility').textContent())
      .toMatch(/^Public since /);
  });

  it('lists each public review on the reviewed person’s page', async () => {
    const gracePage = graceDesk.page;
    await gracePage.goto(`${graceDesk.host.url}/#/marketplace/freelancers/${members.ada.id}`);
    await gracePage.getByRole('heading', { level: 1, name: ada.name }).waitFor();
    await gracePage
      .getByRole('region', { name: 'Reviews' })
      .getByRole('article', { name: `Review by ${grace.name}` })
      .getByText(graceText)
      .waitFor();
    await expect
      .poll(() => gracePage.getByRole('region', { name: 'Stats' }).textContent())
      .toContain('Rating4.00 from 1 review');

    const adaPage = adaDesk.page;
    await adaPage.goto(`${adaDesk.host.url}/#/marketplace/clients/${members.grace.id}`);
    await adaPage.getByRole('heading', { level: 1, name: grace.name }).waitFor();
    await expect
      .poll(() => adaPage.getByTestId('rating-summary').textContent())
      .toBe('★ 5.00 from 1 review');
    await adaPage
      .getByRole('region', { name: 'Reviews' })
      .getByRole('article', { name: `Review by ${ada.name}` })
      .getByText(adaText, { exact: true })
      .waitFor();
    await adaPage.mouse.move(0, 0);
    await snap(adaPage, 'reviews-client-page.png');
  });

  it('says the reviews need the server while the contract shows offline', async () => {
    await stage.stopServer();
    const page = adaDesk.page;
    await syncStatus(page, 'Offline').waitFor({ timeout: 15_000 });
    await navLink(page, 'Contracts').click();
    await page.getByRole('link', { name: new RegExp(projectTitle) }).click();
    await page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
    expect(await statusOf(page)).toBe('Ended');
    await reviewsOf(page)
      .getByRole('status')
      .filter({ hasText: 'Reviews are kept on the server, not on this device' })
      .waitFor();
    // No failure shouted for what the notice already explains.
    expect(await reviewsOf(page).getByRole('alert').count()).toBe(0);
    await reviewsOf(page).scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await snap(page, 'reviews-offline.png');
  });

  it('logged no unexpected errors in any window', () => {
    // The refused review's answer; the server was stopped on purpose: refused or cut-short connections.
    const expected = [
      /^Failed to load resource: the server responded with a status of 422\b/,
      /ERR_CONNECTION_(REFUSED|RESET)|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/,
      /WebSocket connection to .* failed/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

/** Picks the stars as a keyboard user does: the star's radio button, then Space. */
async function rate(form: Locator, stars: number) {
  const star = form
    .getByRole('radiogroup', { name: 'Your rating' })
    .getByRole('radio', { name: stars === 1 ? '1 star' : `${stars} stars` });
  await star.press('Space');
  await expect.poll(() => star.isChecked()).toBe(true);
}

function reviewsOf(page: Page): Locator {
  return page.getByRole('region', { name: 'Reviews', exact: true });
}

async function statusOf(page: Page): Promise<string | null> {
  return (await page.getByTestId('contract-status').textContent())?.trim() ?? null;
}

async function theirStatus(page: Page): Promise<string | null> {
  const status = page.getByTestId('their-review-status');
  return (await status.count()) ? await status.textContent() : null;
}

async function reviewsAs(who: 'grace' | 'ada'): Promise<ContractReviews> {
  const answer = await client(stage.server.baseUrl).get<ContractReviews>(
    `/contracts/${contractId}/reviews`,
    { token: members[who].token },
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

async function publicReviewsOf(userId: string): Promise<ReviewPage> {
  const answer = await client(stage.server.baseUrl).get<ReviewPage>(`/users/${userId}/reviews`, {
    token: members.grace.token,
  });
  expect(answer.status).toBe(200);
  return answer.body;
}
