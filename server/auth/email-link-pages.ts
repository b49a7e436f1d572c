import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { emailLinkTokenSchema } from '../../shared/accounts/email-links.ts';
import { passwordSchema } from '../../shared/accounts/user.ts';
import { HttpProblem } from '../http/problem.ts';
import { requestMeta } from '../http/route.ts';
import { escapeHtml } from '../marketplace/sanitize.ts';
import { resetPasswordPath, verifyEmailPath, type AccountEmailService } from './account-email.ts';

const tokenQuery = z.object({ token: emailLinkTokenSchema });
const resetForm = z.object({ token: emailLinkTokenSchema, newPassword: passwordSchema });

/**
 * The pages the mailed links open in any browser. Opening a link changes nothing (mail
 * scanners prefetch links); the button on the page posts the token, and only that spends it.
 */
export function emailLinkPagesRouter(service: AccountEmailService): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get(verifyEmailPath, (req, res) => {
    const query = tokenQuery.safeParse(req.query);
    if (!query.success) return send(res, 400, 'Confirm your email address', badLink);
    send(
      res,
      200,
      'Confirm your email address',
      `<form method="post" action="${verifyEmailPath}"><input type="hidden" name="token" value="${escapeHtml(query.data.token)}"><button type="submit">Confirm my email address</button></form>`,
    );
  });
  router.post(verifyEmailPath, form, async (req, res) => {
    const body = tokenQuery.safeParse(req.body);
    if (!body.success) return send(res, 400, 'Confirm your email address', badLink);
    try {
      await service.verifyEmail(body.data.token, requestMeta(req));
    } catch (error) {
      return failed(res, 'Confirm your email address', error);
    }
    send(
      res,
      200,
      'Email address confirmed',
      '<p>Thank you: your email address is confirmed. You can close this tab and go back to MegiLance.</p>',
    );
  });

  router.get(resetPasswordPath, (req, res) => {
    const query = tokenQuery.safeParse(req.query);
    if (!query.success) return send(res, 400, 'Choose a new password', badLink);
    send(res, 200, 'Choose a new password', resetFormHtml(query.data.token, null));
  });
  router.post(resetPasswordPath, form, async (req: Request, res: Response) => {
    const token = tokenQuery.safeParse(req.body);
    if (!token.success) return send(res, 400, 'Choose a new password', badLink);
    const body = resetForm.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0]?.message ?? 'is not valid';
      return send(
        res,
        422,
        'Choose a new password',
        resetFormHtml(token.data.token, `The new password ${issue}.`),
      );
    }
    try {
      await service.resetPassword(body.data.token, body.data.newPassword, requestMeta(req));
    } catch (error) {
      // A weak or recently used password: say why and let them try another on the same link.
      if (error instanceof HttpProblem && error.status === 422) {
        return send(
          res,
          422,
          'Choose a new password',
          resetFormHtml(body.data.token, error.message),
        );
      }
      return failed(res, 'Choose a new password', error);
    }
    send(
      res,
      200,
      'Password changed',
      '<p>Your password is changed and every device was signed out. Sign in again in MegiLance with the new password.</p>',
    );
  });
  return router;
}

const badLink =
  '<p>This link is incomplete. Open the link from the email again, or ask for a new one.</p>';

function resetFormHtml(token: string, error: string | null): string {
  return `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="${resetPasswordPath}"><input type="hidden" name="token" value="${escapeHtml(token)}"><label>New password <input type="password" name="newPassword" autocomplete="new-password" minlength="10" maxlength="200" required></label> <button type="submit">Set new password</button></form>`;
}

function failed(res: Response, title: string, error: unknown): void {
  if (!(error instanceof HttpProblem) || error.status >= 500) throw error;
  send(res, error.status, title, `<p role="alert">${escapeHtml(error.message)}</p>`);
}

function send(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}
