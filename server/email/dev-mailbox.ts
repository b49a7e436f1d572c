import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { escapeHtml } from '../marketplace/sanitize.ts';
import { problems } from '../http/problem.ts';
import { readEml } from './eml-reader.ts';

const fileName = /^[\w-]+\.eml$/;

/**
 * `GET /dev/mailbox`: every mail the file transport wrote, newest first, and each one readable.
 * Mounted only when no SMTP server is configured, so a fresh install shows its mail somewhere,
 * and answered only to this machine.
 * Everything from a message is escaped; its HTML part is served on its own URL under a
 * sandboxing CSP, never inlined.
 */
export function devMailboxRouter(folder: string): Router {
  const router = express.Router();
  // The mail holds sign-in links: only this machine may read it, even on HOST=0.0.0.0
  // (req.ip: behind a local proxy, the address it forwards for).
  router.use('/dev/mailbox', (req, _res, next) => {
    next(isLoopback(req.ip) ? undefined : problems.notFound('The dev mailbox is local only.'));
  });
  router.get('/dev/mailbox', async (_req, res) => {
    const names = (await listMail(folder)).reverse();
    const rows = await Promise.all(
      names.map(async (name) => {
        const mail = readEml(await readFile(join(folder, name), 'utf8'));
        const id = encodeURIComponent(name.replace(/\.eml$/, ''));
        return `<tr><td>${escapeHtml(mail.date)}</td><td>${escapeHtml(mail.to)}</td><td><a href="/dev/mailbox/${id}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`;
      }),
    );
    const body =
      rows.length === 0
        ? '<p>No mail yet.</p>'
        : `<table><thead><tr><th>Date</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    res
      .type('html')
      .send(
        page(
          'MegiLance dev mailbox',
          `<p>Mail the server would have sent (no SMTP server is configured). Files: ${escapeHtml(folder)}</p>${body}`,
        ),
      );
  });
  router.get('/dev/mailbox/:id', async (req, res) => {
    const raw = await readMail(folder, req.params.id);
    const mail = readEml(raw);
    const id = encodeURIComponent(req.params.id);
    res.type('html').send(
      page(
        mail.subject || '(no subject)',
        `<p><a href="/dev/mailbox">← All mail</a></p>
<dl><dt>From</dt><dd>${escapeHtml(mail.from)}</dd><dt>To</dt><dd>${escapeHtml(mail.to)}</dd><dt>Date</dt><dd>${escapeHtml(mail.date)}</dd><dt>Message-ID</dt><dd>${escapeHtml(mail.messageId)}</dd></dl>
<p>${mail.html !== null ? `<a href="/dev/mailbox/${id}/html">HTML version</a> · ` : ''}<a href="/dev/mailbox/${id}/raw">Raw message</a></p>
<pre>${escapeHtml(mail.text ?? '')}</pre>`,
      ),
    );
  });
  router.get('/dev/mailbox/:id/html', async (req, res) => {
    const mail = readEml(await readMail(folder, req.params.id));
    if (mail.html === null) throw problems.notFound('This message has no HTML part.');
    // Shown as the mail client would, but sandboxed: no scripts, no forms, its own origin.
    res.set(
      'Content-Security-Policy',
      "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'",
    );
    res.type('html').send(mail.html);
  });
  router.get('/dev/mailbox/:id/raw', async (req, res) => {
    res.type('message/rfc822').send(await readMail(folder, req.params.id));
  });
  return router;
}

function isLoopback(ip: string | undefined): boolean {
  return ip === '::1' || ip?.startsWith('127.') === true || ip?.startsWith('::ffff:127.') === true;
}

async function listMail(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => fileName.test(name)).sort();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
}

async function readMail(folder: string, id: string): Promise<string> {
  const name = `${id}.eml`;
  // Only names the transport writes: nothing outside the folder can be asked for.
  if (!fileName.test(name) || !(await listMail(folder)).includes(name)) {
    throw problems.notFound('No such message in the dev mailbox.');
  }
  return readFile(join(folder, name), 'utf8');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
