/**
 * Money end to end, on the sandbox rail (no Stripe keys): a client and a freelancer, each on a
 * device of their own, against one real server. The client saves test cards; a declined card
 * says why and funds nothing; a good card funds a milestone into escrow; the freelancer
 * submits the work; the client approves and releases; both see it released with the fee
 * split; the freelancer's wallet holds the net; the freelancer invoices the released
 * milestone, sends the invoice and opens its PDF, and the client receives it.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import {
  navLink,
  pick,
  snap,
  syncStatus,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client } from '../support/http.ts';
import { contractBetween, createCategory, signUpAs } from '../support/marketplace-fixtures.ts';

const { grace, ada } = castOf('money', 'grace', 'ada');
const projectTitle = 'Illustrated annual report';
const hourlyTitle = 'Weekly editorial illustrations';
const declined = 'Your card was declined (sandbox test card).';

/** A change on one device shows on the other within this. */
const liveMs = 10_000;

let stage: Stage;
let graceDesk: Device;
let adaDesk: Device;
let contractId = '';

describe('escrow, release, wallet and invoice on both parties’ devices', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'money',
      people: [grace, ada],
      devices: [
        { label: 'Grace’s desk', person: grace },
        { label: 'Ada’s desk', person: ada },
      ],
      prepare: async (server) => {
        const admin = await signUpAs(server, 'admin');
        const category = await createCategory(server, admin, { name: 'Illustration' });
        const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
        contractId = await contractBetween(
          server,
          { client: grace, freelancer: ada, categoryId: category.id },
          'active',
          {
            project: { title: projectTitle },
            proposal: {
              coverLetter: 'I illustrate reports.',
              bid: { type: 'fixed', amount: eur(200_000) },
              durationDays: 30,
              milestonePlan: [
                { title: 'Sketches', amount: eur(50_000) },
                { title: 'Final art', amount: eur(150_000) },
              ],
            },
          },
        );
        await contractBetween(
          server,
          { client: grace, freelancer: ada, categoryId: category.id },
          'active',
          {
            project: {
              title: hourlyTitle,
              budget: { type: 'hourly', min: eur(3_000), max: eur(6_000) },
            },
            proposal: {
              coverLetter: 'Weekly drawings.',
              bid: { type: 'hourly', rate: eur(4_500) },
            },
            acceptance: { weeklyHourLimit: 10 },
          },
        );
      },
    });
    [graceDesk, adaDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('shows the sandbox rail plainly and saves a test card that declines', async () => {
    const { page } = graceDesk;
    await openPaymentsSettings(page);
    await page.getByText('Sandbox — no real money moves').waitFor();
    await page.getByRole('button', { name: 'Add test card that declines' }).click();
    await page.getByTestId('saved-card').filter({ hasText: '•••• 0002' }).waitFor();
  });

  it('says why a declined card failed, and funds nothing', async () => {
    const { page } = graceDesk;
    await openContract(page);
    const row = paymentRow(page, 'Sketches');
    expect(await statusOf(row)).toBe('Not funded');
    await row.getByRole('button', { name: 'Fund' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fund this milestone' });
    await dialog.getByRole('combobox', { name: 'Card' }).waitFor();
    expect(await dialog.getByRole('combobox', { name: 'Card' }).inputValue()).toContain('0002');
    await dialog.getByRole('button', { name: 'Pay €500.00' }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'The milestone was not funded' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(declined);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await expect.poll(() => statusOf(row), { timeout: liveMs }).toBe('Payment failed');
    expect(await row.textContent()).toContain(declined);
    const [escrow] = await escrowsOnServer();
    expect(escrow).toMatchObject({ status: 'payment_failed', fundedMinor: 0, heldMinor: 0 });
    await row.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await snap(page, 'money-declined.png');
  });

  it('funds the milestone with a card that succeeds, seen by both', async () => {
    const { page } = graceDesk;
    await openPaymentsSettings(page);
    await page.getByRole('button', { name: 'Add test card that succeeds' }).click();
    await page.getByTestId('saved-card').filter({ hasText: '•••• 4242' }).waitFor();

    await openContract(page);
    const row = paymentRow(page, 'Sketches');
    await row.getByRole('button', { name: 'Retry payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry the payment' });
    // The newest card comes first.
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Card' }).inputValue())
      .toContain('4242');
    await dialog.getByRole('button', { name: 'Pay €500.00' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => statusOf(row), { timeout: liveMs }).toBe('Funded');

    await openContract(adaDesk.page);
    await expect
      .poll(() => statusOf(paymentRow(adaDesk.page, 'Sketches')), { timeout: liveMs })
      .toBe('Funded');
    // The client's command is not the freelancer's.
    expect(await buttonsOf(paymentRow(adaDesk.page, 'Sketches'))).toEqual([
      'Submit work',
      'Offer refund',
      'Open dispute',
    ]);
  });

  it('lets the freelancer submit the work, with the review deadline shown to both', async () => {
    const { page } = adaDesk;
    const row = paymentRow(page, 'Sketches');
    await row.getByRole('button', { name: 'Submit work' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit this work for approval?' });
    await dialog.getByRole('button', { name: 'Submit work' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => statusOf(row), { timeout: liveMs }).toBe('Submitted');
    const graceRow = paymentRow(graceDesk.page, 'Sketches');
    await expect.poll(() => statusOf(graceRow), { timeout: liveMs }).toBe('Submitted');
    expect(await graceRow.textContent()).toMatch(/Auto-release on \d+ \w+ \d{4}/);
  });

  it('lets the client approve and release, and both see the fee split', async () => {
    const { page } = graceDesk;
    const row = paymentRow(page, 'Sketches');
    await row.getByRole('button', { name: 'Approve & release' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve and release' });
    await dialog.getByRole('radio', { name: 'Everything held: €500.00' }).check();
    await dialog.getByRole('button', { name: 'Release payment' }).click();
    await dialog.waitFor({ state: 'detached' });

    for (const device of [graceDesk, adaDesk]) {
      const released = paymentRow(device.page, 'Sketches');
      await expect.poll(() => statusOf(released), { timeout: liveMs }).toBe('Released');
      expect(await released.getByTestId('freelancer-net').textContent()).toBe('€450.00');
      expect(await released.getByTestId('fee-split').textContent()).toBe(
        'of €500.00 released, after a €50.00 platform fee',
      );
      // The other milestone has not moved.
      expect(await statusOf(paymentRow(device.page, 'Final art'))).toBe('Not funded');
    }
    await paymentRow(page, 'Final art').scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await snap(page, 'money-released.png');
  });

  it('shows the net in the freelancer’s wallet, with the release in its history', async () => {
    const { page } = adaDesk;
    await navLink(page, 'Wallet').click();
    await page.getByRole('heading', { level: 1, name: 'Wallet' }).waitFor();
    const balance = page.getByRole('region', { name: 'EUR balance' });
    await balance.waitFor();
    expect(await balance.textContent()).toContain('Pending€450.00');
    const release = page.getByTestId('wallet-transaction').filter({
      hasText: 'Released to freelancer',
    });
    await release.waitFor();
    expect(await cellsOf(release)).toEqual(
      expect.arrayContaining(['€500.00', '€50.00', '€450.00']),
    );
    await snap(page, 'money-wallet.png');
    // The kind filter narrows the history on the server.
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Escrow funded' }).click();
    await page.getByText('No transactions match these filters.').waitFor();
  });

  it('lets the freelancer invoice the released milestone, send it and open its PDF', async () => {
    const { page } = adaDesk;
    await navLink(page, 'Invoices').click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
    await page.getByRole('button', { name: 'New invoice' }).click();
    const dialog = page.getByRole('dialog', { name: 'New invoice' });
    await pick(page, dialog.getByRole('combobox', { name: 'Contract' }), 'Illustrated', /Grace/);
    await dialog.getByRole('combobox', { name: 'Released milestone' }).click();
    await page.getByRole('option', { name: 'Sketches — €500.00' }).click();
    await dialog.getByRole('button', { name: 'Create draft' }).click();

    await page.getByRole('heading', { level: 1, name: 'Draft invoice' }).waitFor({
      timeout: liveMs,
    });
    expect(await page.getByTestId('invoice-total').textContent()).toBe('€500.00');
    await invoiceAction(page, 'Send').click();
    await page
      .getByRole('dialog', { name: 'Send this invoice?' })
      .getByRole('button', {
        name: 'Send',
      })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Invoice INV-0001' }).waitFor({
      timeout: liveMs,
    });
    expect((await page.getByTestId('invoice-status').textContent())?.trim()).toBe('Sent');

    const [pdf, viewer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/pdf')),
      page.context().waitForEvent('page'),
      invoiceAction(page, 'Open PDF').click(),
    ]);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(viewer.url()).toMatch(/^blob:/);
    await viewer.close();
    // Print opens the same PDF in a window of its own and prints it there.
    const [printed] = await Promise.all([
      page.context().waitForEvent('page'),
      invoiceAction(page, 'Print').click(),
    ]);
    expect(printed.url()).toMatch(/^blob:/);
    await printed.close();
    await snap(page, 'money-invoice.png');
  });

  it('shows the client the invoice received, from the device’s database', async () => {
    const { page } = graceDesk;
    await navLink(page, 'Invoices').click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
    // A client starts on the invoices received; none issued.
    const row = page.getByTestId('invoice-row').filter({ hasText: 'INV-0001' });
    await row.waitFor({ timeout: liveMs });
    await page.getByText('Issued', { exact: true }).click();
    await page.getByText('You have not issued an invoice yet.').waitFor();
    await page.getByText('Received', { exact: true }).click();
    await row.waitFor();
    expect(await row.textContent()).toContain('Ada Lovelace');
    expect(await page.getByTestId('invoices-total').textContent()).toBe('€500.00');
    await row.getByRole('link', { name: 'INV-0001' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoice INV-0001' }).waitFor();
    // The recipient pays; only the issuer moves the invoice.
    expect(await buttonsOf(page.getByRole('group', { name: 'Invoice actions' }))).toEqual([
      'Open PDF',
      'Print',
    ]);
  });

  it('lets the freelancer write an invoice by hand, with each line checked, edit and void it', async () => {
    const { page } = adaDesk;
    await navLink(page, 'Invoices').click();
    await page.getByRole('button', { name: 'New invoice' }).click();
    const dialog = page.getByRole('dialog', { name: 'New invoice' });
    await pick(page, dialog.getByRole('combobox', { name: 'Contract' }), 'Illustrated', /Grace/);
    await dialog.getByText('By hand', { exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Line 1 unit price' }).fill('12.345');
    await dialog.getByRole('button', { name: 'Create draft' }).click();
    await dialog.getByText('Describe the work').waitFor();
    await dialog.getByText('EUR amounts have at most 2 decimal places').waitFor();
    await dialog.getByRole('textbox', { name: 'Line 1 description' }).fill('Extra revisions');
    await dialog.getByRole('textbox', { name: 'Line 1 quantity' }).fill('2.5');
    await dialog.getByRole('textbox', { name: 'Line 1 unit price' }).fill('40');
    await dialog.getByRole('textbox', { name: 'Tax rate (%)' }).fill('20');
    expect(await dialog.getByTestId('invoice-preview-total').textContent()).toBe(
      'Subtotal €100.00 · Tax €20.00 · Total €120.00',
    );
    await dialog.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Draft invoice' }).waitFor({
      timeout: liveMs,
    });
    await expect
      .poll(() => page.getByTestId('invoice-total').textContent(), { timeout: liveMs })
      .toBe('€120.00');

    await invoiceAction(page, 'Edit draft').click();
    const editor = page.getByRole('region', { name: 'Edit draft' });
    await editor.getByRole('textbox', { name: 'Line 1 quantity' }).fill('3');
    await editor.getByRole('button', { name: 'Save draft' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByTestId('invoice-total').textContent(), { timeout: liveMs })
      .toBe('€144.00');

    await invoiceAction(page, 'Void').click();
    await page
      .getByRole('dialog', { name: 'Void this invoice?' })
      .getByRole('button', { name: 'Void' })
      .click();
    await expect
      .poll(async () => (await page.getByTestId('invoice-status').textContent())?.trim(), {
        timeout: liveMs,
      })
      .toBe('Void');
    expect(await buttonsOf(page.getByRole('group', { name: 'Invoice actions' }))).toEqual([
      'Open PDF',
      'Print',
    ]);
  });

  it('refunds part of a funded milestone on the freelancer’s approval, then freezes the rest in a dispute', async () => {
    const { page } = graceDesk;
    await openContract(page);
    const row = paymentRow(page, 'Final art');
    await row.getByRole('button', { name: 'Fund' }).click();
    const fund = page.getByRole('dialog', { name: 'Fund this milestone' });
    await expect
      .poll(() => fund.getByRole('combobox', { name: 'Card' }).inputValue())
      .toContain('4242');
    await fund.getByRole('button', { name: 'Pay €1,500.00' }).click();
    await fund.waitFor({ state: 'detached' });
    await expect.poll(() => statusOf(row), { timeout: liveMs }).toBe('Funded');

    await row.getByRole('button', { name: 'Request refund' }).click();
    const ask = page.getByRole('dialog', { name: 'Request a refund' });
    await ask.getByRole('textbox', { name: 'Amount (EUR)' }).fill('2000');
    await ask.getByRole('button', { name: 'Request refund' }).click();
    await ask.getByText('At most €1,500.00 is held').waitFor();
    await ask.getByText('Say why, for the other party').waitFor();
    await ask.getByRole('textbox', { name: 'Amount (EUR)' }).fill('500');
    await ask.getByRole('textbox', { name: 'Reason' }).fill('The cover is no longer needed');
    await ask.getByRole('button', { name: 'Request refund' }).click();
    await ask.waitFor({ state: 'detached' });

    const adaRow = paymentRow(adaDesk.page, 'Final art');
    await openContract(adaDesk.page);
    await adaRow.getByRole('button', { name: 'Review refund request' }).click({ timeout: liveMs });
    const decide = adaDesk.page.getByRole('dialog', { name: 'Refund of €500.00 asked for' });
    await decide.getByText('“The cover is no longer needed”').waitFor();
    await decide.getByRole('button', { name: 'Approve refund' }).click();
    await decide.waitFor({ state: 'detached' });
    for (const side of [row, adaRow]) {
      await expect.poll(() => statusOf(side), { timeout: liveMs }).toBe('Partly refunded');
      expect(await side.textContent()).toContain('€500.00 refunded; €1,000.00 still held.');
    }

    await adaRow.getByRole('button', { name: 'Open dispute' }).click();
    const dispute = adaDesk.page.getByRole('dialog', { name: 'Open a dispute' });
    await dispute.getByRole('textbox', { name: 'What went wrong' }).fill('The art was delivered');
    await dispute.getByRole('button', { name: 'Open dispute' }).click();
    await dispute.waitFor({ state: 'detached' });
    for (const side of [row, adaRow]) {
      await expect.poll(() => statusOf(side), { timeout: liveMs }).toBe('Disputed');
      // Frozen: nobody can move it until an administrator resolves it.
      expect(await side.getByRole('button').count()).toBe(0);
    }
  });

  it('funds a week of an hourly contract, prefilled with the weekly limit at the rate', async () => {
    const { page } = graceDesk;
    await navLink(page, 'Contracts').click();
    await page.getByRole('link', { name: new RegExp(hourlyTitle) }).click();
    await page.getByRole('heading', { level: 1, name: hourlyTitle }).waitFor();
    await page.getByRole('button', { name: 'Fund a week' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fund a week' });
    const amount = dialog.getByRole('textbox', { name: 'Amount (EUR)' });
    expect(await amount.inputValue()).toBe('450.00');
    await dialog.getByText('10 hours a week at €45.00').waitFor();
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Card' }).inputValue())
      .toContain('4242');
    await dialog.getByRole('button', { name: 'Pay €450.00' }).click();
    await dialog.waitFor({ state: 'detached' });
    const week = page.getByRole('table', { name: 'Weekly payments' }).getByTestId('payment-row');
    await expect.poll(() => statusOf(week), { timeout: liveMs }).toBe('Funded');
    expect(await week.textContent()).toContain('€450.00');
  });

  it('still shows the invoice and the released escrow with the server stopped', async () => {
    await stage.stopServer();
    const { page } = graceDesk;
    await syncStatus(page, 'Offline').waitFor({ timeout: 15_000 });
    await navLink(page, 'Dashboard').click();
    await navLink(page, 'Invoices').click();
    await page.getByTestId('invoice-row').filter({ hasText: 'INV-0001' }).waitFor();
    await openContract(page);
    expect(await statusOf(paymentRow(page, 'Sketches'))).toBe('Released');
    expect(await paymentRow(page, 'Sketches').getByTestId('freelancer-net').textContent()).toBe(
      '€450.00',
    );
  });

  it('logged no unexpected errors in any window', () => {
    // The declined payment is the server's 402 answer, which Chromium logs; the server was
    // stopped on purpose at the end.
    const expected = [
      /status of 402/,
      /ERR_CONNECTION_(REFUSED|RESET)|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/,
      /WebSocket connection to .* failed/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

async function openPaymentsSettings(page: Page) {
  await navLink(page, 'Settings').click();
  await page.getByRole('tab', { name: 'Payments' }).click();
  await page.getByTestId('payment-rail').waitFor();
}

async function openContract(page: Page) {
  await navLink(page, 'Contracts').click();
  await page.getByRole('link', { name: new RegExp(projectTitle) }).click();
  await page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
  await page.getByRole('table', { name: 'Milestone payments' }).waitFor();
}

function paymentRow(page: Page, milestone: string): Locator {
  return page.getByTestId('payment-row').filter({ hasText: milestone });
}

async function statusOf(row: Locator): Promise<string | null> {
  return (await row.getByTestId('escrow-status').textContent())?.trim() ?? null;
}

async function buttonsOf(scope: Locator): Promise<string[]> {
  return (await scope.getByRole('button').allTextContents()).map((text) => text.trim());
}

async function cellsOf(row: Locator): Promise<string[]> {
  return (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
}

function invoiceAction(page: Page, name: string): Locator {
  return page.getByRole('group', { name: 'Invoice actions' }).getByRole('button', { name });
}

async function escrowsOnServer(): Promise<EscrowDocument[]> {
  const answer = await client(stage.server.baseUrl).get<EscrowDocument[]>(
    `/contracts/${contractId}/escrows`,
    { token: grace.token },
  );
  expect(answer.status).toBe(200);
  return answer.body;
}
