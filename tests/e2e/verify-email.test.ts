/**
 * Confirming the email address, end to end: a freelancer signed up (the stage does it over the
 * API) sees the banner in the app, asks for a new link, opens the newest mail (read out of the
 * server's mail folder, the embedded default), follows its link in the browser and confirms;
 * back in the app the banner is gone. The link of the first mail no longer works. Then, signed
 * out, she uses "Forgot password?", follows the reset mail's link, sets a new password on the
 * page it opens and signs in with it.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/accounts/user.ts';
import { readEml, type ReadMessage } from '../../server/email/eml-reader.ts';
import { snap, unexpectedErrors, type Device } from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';

const { ada } = castOf('verify-email', 'ada');

let stage: Stage;
let device: Device;

/** The verification mails the server wrote for `to`, oldest first. */
async function verificationMails(to: string): Promise<ReadMessage[]> {
  await stage.server.email.worker.runOnce();
  const folder = join(stage.server.config.dataDir, 'mail');
  const mails = await Promise.all(
    (await readdir(folder))
      .sort()
      .map(async (name) => readEml(await readFile(join(folder, name), 'utf8'))),
  );
  return mails.filter((mail) => mail.to === to && mail.subject === 'Confirm your email address');
}

describe('confirming the email address from the app', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'verify-email',
      people: [ada],
      verifyEmails: false,
      devices: [{ label: 'Ada’s desk', person: ada }],
    });
    [device] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('shows the banner, resends the link, and hides the banner once confirmed', async () => {
    const page = device.page;
    const banner = page.getByTestId('verify-email-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(ada.email);
    // A standing notice: it does not count as an alert (stories check the page has none).
    expect(await page.getByRole('alert').count()).toBe(0);
    await snap(page, 'verify-email-banner.png');

    await banner.getByRole('button', { name: 'Resend email' }).click();
    await expect
      .poll(() => banner.getByRole('status').textContent())
      .toContain('A new link is on its way');
    const mails = await verificationMails(ada.email);
    expect(mails).toHaveLength(2);
    const prefix = `${stage.server.baseUrl}/account/verify-email?token=`;
    const [first, newest] = mails.map((mail) => linkIn(mail, prefix));
    if (!first || !newest) throw new Error('no links');

    // Not yet: the app says so and keeps the banner.
    await banner.getByRole('button', { name: 'I have confirmed it' }).click();
    await expect
      .poll(() => banner.getByRole('status').textContent())
      .toContain('Not confirmed yet');

    // The first mail's link was replaced by the resend.
    const browserTab = await device.context.newPage();
    await browserTab.goto(first.href);
    await browserTab.getByRole('button', { name: 'Confirm my email address' }).click();
    await browserTab.getByText('already used or replaced by a newer one').waitFor();

    await browserTab.goto(newest.href);
    await browserTab.getByRole('button', { name: 'Confirm my email address' }).click();
    await browserTab.getByRole('heading', { name: 'Email address confirmed' }).waitFor();
    await browserTab.close();

    await banner.getByRole('button', { name: 'I have confirmed it' }).click();
    await banner.waitFor({ state: 'detached' });
    const me = await client(stage.server.baseUrl).get<User>('/auth/me', { token: ada.token });
    expect(me.body.emailVerified).toBe(true);
    await snap(page, 'verify-email-confirmed.png');
    expect(unexpectedErrors([device], [])).toEqual([]);
  });

  it('resets a forgotten password from the sign-in page through the mailed link', async () => {
    const page = device.page;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill(ada.email);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset your password' });
    expect(await dialog.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(ada.email);
    await dialog.getByRole('button', { name: 'Send reset link' }).click();
    await dialog
      .getByText('If an account uses this address, a link to reset its password is on its way.')
      .waitFor();
    // The sign-in form behind the dialog was not submitted.
    expect(await page.getByRole('alert').count()).toBe(0);
    await snap(page, 'forgot-password-sent.png');
    await dialog.getByRole('button', { name: 'Back to sign in' }).click();

    await stage.server.email.worker.runOnce();
    const folder = join(stage.server.config.dataDir, 'mail');
    const mails = await Promise.all(
      (await readdir(folder)).map(async (name) =>
        readEml(await readFile(join(folder, name), 'utf8')),
      ),
    );
    const mail = mails.find(
      (candidate) =>
        candidate.to === ada.email && candidate.subject === 'Reset your MegiLance password',
    );
    if (!mail) throw new Error('no reset mail');
    const link = linkIn(mail, `${stage.server.baseUrl}/account/reset-password?token=`);

    const browserTab = await device.context.newPage();
    await browserTab.goto(link.href);
    await browserTab.getByLabel('New password').fill('brass lantern harbour 1852 quill');
    await browserTab.getByRole('button', { name: 'Set new password' }).click();
    await browserTab.getByRole('heading', { name: 'Password changed' }).waitFor();
    await browserTab.close();

    await page.getByRole('textbox', { name: 'Email' }).fill(ada.email);
    await page
      .getByRole('textbox', { name: 'Password', exact: true })
      .fill('brass lantern harbour 1852 quill');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('current-user-name').waitFor();
    // Chromium logs every refused request: a background request still in flight when the
    // session ended (signing out, then the reset revoking every session) is answered 401.
    const refused = /^Failed to load resource: the server responded with a status of 401\b/;
    expect(unexpectedErrors([device], [refused])).toEqual([]);
  });
});
