import type { Page } from 'playwright-core';
import { navLink } from './desktop-devices.ts';
import type { Person } from './e2e-stage.ts';
import { contractBetween, createCategory, signUpAs } from './marketplace-fixtures.ts';
import type { TestDesktop } from './screenshot-desktop.ts';
import type { TestServer } from './test-server.ts';

/**
 * What the time-tracking stories share: hourly contracts between the cast that began long
 * enough ago for the tracked time to fall inside them, and the way a person opens one
 * contract's work diary on one day through the app's own links.
 */
const dayMs = 86_400_000;

export type DiaryContract = { id: string; title: string };

/**
 * Hourly contracts (€45, manual time allowed, one screenshot per slot) between `client` and
 * `freelancer`, one per title, in one category; each began `startedDaysAgo` days ago.
 */
export async function hourlyContracts(
  server: TestServer,
  parties: { client: Person; freelancer: Person },
  titles: readonly string[],
  startedDaysAgo = 30,
): Promise<DiaryContract[]> {
  const admin = await signUpAs(server, 'admin');
  const category = await createCategory(server, admin, { name: 'Illustration' });
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const contracts: DiaryContract[] = [];
  for (const title of titles) {
    const id = await contractBetween(server, { ...parties, categoryId: category.id }, 'active', {
      project: { title, budget: { type: 'hourly', min: eur(3_000), max: eur(6_000) } },
      proposal: { coverLetter: 'I draw birds.', bid: { type: 'hourly', rate: eur(4_500) } },
      acceptance: { manualTimeAllowed: true, screenshotsPerSlot: 1 },
    });
    // Tracked time before the contract's start would be refused: move the start back.
    await server.db.kysely
      .updateTable('contracts')
      .set({ created_at: new Date(Date.now() - startedDaysAgo * dayMs).toISOString() })
      .where('id', '=', id)
      .execute();
    contracts.push({ id, title });
  }
  return contracts;
}

/** `2026-11-14`: the calendar day (Europe/London, the windows' zone) an instant falls on. */
export const londonDay = (at: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);

/** `Saturday 14 November 2026`, as the diary heads the day `YYYY-MM-DD`. */
export function diaryDayTitle(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
    .format(Date.UTC(year, month - 1, date))
    .replace(',', '');
}

/** Opens the contract's diary on `day` (`YYYY-MM-DD`), through the app's own links. */
export async function openDiary(page: Page, contract: DiaryContract, day: string) {
  await navLink(page, 'Contracts').click();
  await page.getByRole('link', { name: contract.title }).first().click();
  await page.getByRole('link', { name: 'Work diary' }).click();
  await page.getByRole('heading', { level: 1, name: 'Work diary' }).waitFor();
  // Straight to the day by its address (the diary opens on today).
  await page.evaluate(
    ([id, date]) => {
      window.location.hash = `#/contracts/${id}/diary?day=${date}`;
    },
    [contract.id, day] as const,
  );
  await page
    .getByTestId('diary-date')
    .filter({ hasText: diaryDayTitle(day) })
    .waitFor();
}

/** Waits (15 s at most) for the desktop to have been captured more than `before` times. */
export async function waitForCapture(desk: TestDesktop, before = 0): Promise<number> {
  const deadline = Date.now() + 15_000;
  while (desk.captures <= before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return desk.captures;
}
