/**
 * The email outbox end to end: jobs are written in the transaction of their cause, delivered
 * by the worker to a real SMTP server (smtp-server) with HTML and text parts, retried with
 * backoff while the server is down, dead-lettered after the configured attempts, never sent
 * twice by two workers, and neither lost nor repeated across a server restart. Without SMTP,
 * mail lands in DATA_DIR/mail and the dev mailbox page shows it.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { EmailJob } from '../../shared/email/email-jobs.ts';
import { loadConfig } from '../../server/config.ts';
import { enqueueEmail } from '../../server/email/email-jobs.ts';
import { createEmailWorker } from '../../server/email/email-worker.ts';
import { smtpTransport } from '../../server/email/mail-transport.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { client } from '../support/http.ts';
import { signUpAs } from '../support/marketplace-fixtures.ts';
import { freePort } from '../support/ports.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import {
  dropSchema,
  startTestServer,
  testPostgresUrl,
  type Dialect,
  type TestServer,
} from '../support/test-server.ts';

const minute = 60_000;
let counter = 0;
const address = () => `person-${Date.now()}-${(counter += 1)}@example.com`;

async function queueWelcome(server: RunningServer, to = address()): Promise<string> {
  await server.db.kysely.transaction().execute(async (trx) => {
    await enqueueEmail(trx, {
      to,
      template: 'welcome',
      data: { name: 'Ada' },
      dedupeKey: `test:${to}`,
    });
  });
  return to;
}

const jobsTo = (server: RunningServer, to: string) =>
  server.db.kysely.selectFrom('email_jobs').selectAll().where('recipient', '=', to).execute();

describe.each(['sqlite', 'postgres'] as Dialect[])('email delivery on %s', (dialect) => {
  describe('with an SMTP server', () => {
    let sink: SmtpSink;
    let server: TestServer;

    beforeAll(async () => {
      sink = await startSmtpSink();
      server = await startTestServer({
        dialect,
        env: {
          SMTP_URL: sink.url,
          EMAIL_WORKER_INTERVAL_MS: '0',
          EMAIL_MAX_ATTEMPTS: '3',
          EMAIL_RETRY_BASE_MS: String(minute),
        },
      });
    });
    afterAll(async () => {
      await server.close();
      await sink.stop();
    });

    it('writes the job with its change, and a rolled back change leaves no job', async () => {
      const kept = await queueWelcome(server);
      expect(await jobsTo(server, kept)).toMatchObject([
        { status: 'queued', attempts: 0, template: 'welcome' },
      ]);

      const dropped = address();
      await expect(
        server.db.kysely.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set({ name: 'changed' })
            .where('email', '=', 'nobody@example.com')
            .execute();
          await enqueueEmail(trx, {
            to: dropped,
            template: 'welcome',
            data: { name: 'Ada' },
            dedupeKey: `test:${dropped}`,
          });
          throw new Error('the change fails after queueing its mail');
        }),
      ).rejects.toThrow('the change fails');
      expect(await jobsTo(server, dropped)).toEqual([]);

      // Data that does not fit the template fails the cause, not the worker later.
      await expect(
        server.db.kysely.transaction().execute((trx) =>
          enqueueEmail(trx, {
            to: dropped,
            template: 'verify-email',
            data: { name: 'Ada', link: 'not a url', expiresInHours: 24 },
            dedupeKey: `bad:${dropped}`,
          }),
        ),
      ).rejects.toThrow();
      expect(await jobsTo(server, dropped)).toEqual([]);

      // The same cause twice queues one mail.
      await queueWelcome(server, kept);
      expect(await jobsTo(server, kept)).toHaveLength(1);
      await server.email.worker.runOnce();
    });

    it('delivers sign-up mail with HTML and text parts and a Message-ID from the job', async () => {
      const before = sink.received.length;
      const member = await signUpAs(server, 'freelancer', 'Grace Hopper');
      const user = await server.db.kysely
        .selectFrom('users')
        .select('email')
        .where('id', '=', member.id)
        .executeTakeFirstOrThrow();
      const run = await server.email.worker.runOnce();
      expect(run).toEqual({ sent: 2, retried: 0, dead: 0 });
      const mails = sink.received.slice(before);
      expect(mails.map((mail) => mail.subject).sort()).toEqual([
        'Confirm your email address',
        'Welcome to MegiLance',
      ]);
      const jobs = await jobsTo(server, user.email);
      for (const mail of mails) {
        expect(mail.recipients).toEqual([user.email]);
        expect(mail.from).toBe('MegiLance <no-reply@megilance.local>');
        expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative/);
        expect(mail.html).toContain('<html');
        expect(mail.html).toContain('Grace Hopper');
        // The plain-text part writes headings in capitals.
        expect(mail.text?.toLowerCase()).toContain('grace hopper');
        expect(mail.text).not.toContain('<');
        const job = jobs.find(
          (candidate) => mail.messageId === `<${candidate.id}@megilance.local>`,
        );
        expect(job).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
        expect(job?.sent_at).not.toBeNull();
      }
      // Nothing is left to send.
      expect(await server.email.worker.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    });

    it('lists jobs to admins only, filtered by status', async () => {
      const admin = await signUpAs(server, 'admin');
      const member = await signUpAs(server, 'client');
      const api = client(server.baseUrl);
      const queued = await api.get<EmailJob[]>('/admin/email-jobs?status=queued', {
        token: admin.token,
      });
      expect(queued.status).toBe(200);
      expect(queued.body.length).toBeGreaterThanOrEqual(2);
      expect(queued.body.every((job) => job.status === 'queued')).toBe(true);
      expect(queued.body[0]).not.toHaveProperty('data');
      await server.email.worker.runOnce();
      const sent = await api.get<EmailJob[]>('/admin/email-jobs?status=sent', {
        token: admin.token,
      });
      expect(sent.body.some((job) => job.template === 'verify-email')).toBe(true);
      expect((await api.get('/admin/email-jobs', { token: member.token })).status).toBe(403);
      const unknownStatus = await api.get<{ type: string }>('/admin/email-jobs?status=lost', {
        token: admin.token,
      });
      expect(unknownStatus.status).toBe(422);
      expect(unknownStatus.body.type).toBe(problemTypes.validation);
    });

    it('two workers racing over the same jobs send each exactly once', async () => {
      const recipients = await Promise.all(Array.from({ length: 12 }, () => queueWelcome(server)));
      const before = sink.received.length;
      const other = createEmailWorker({
        db: server.db,
        transport: smtpTransport(sink.url),
        from: 'MegiLance <no-reply@megilance.local>',
        maxAttempts: 3,
        retryBaseMs: minute,
        logger: pino({ level: 'silent' }),
      });
      const runs = await Promise.all([server.email.worker.runOnce(), other.runOnce()]);
      expect(runs[0].sent + runs[1].sent).toBe(12);
      const mails = sink.received.slice(before);
      expect(mails).toHaveLength(12);
      expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(12);
      expect(mails.flatMap((mail) => mail.recipients).sort()).toEqual([...recipients].sort());
    });

    it('takes back a job whose worker died mid-send once its lease ran out', async () => {
      const to = await queueWelcome(server);
      const now = Date.now();
      // What a crashed worker leaves: claimed, lease running.
      await server.db.kysely
        .updateTable('email_jobs')
        .set({
          status: 'sending',
          attempts: 1,
          next_attempt_at: new Date(now + minute).toISOString(),
        })
        .where('recipient', '=', to)
        .execute();
      expect(await server.email.worker.runOnce(new Date(now))).toMatchObject({ sent: 0 });
      expect(await server.email.worker.runOnce(new Date(now + minute))).toMatchObject({ sent: 1 });
      expect(await jobsTo(server, to)).toMatchObject([{ status: 'sent', attempts: 2 }]);
      expect(sink.received.filter((mail) => mail.recipients.includes(to))).toHaveLength(1);
    });
  });

  describe('while the SMTP server is down', () => {
    let server: TestServer;
    let port: number;
    let sink: SmtpSink | undefined;

    beforeAll(async () => {
      port = await freePort();
      server = await startTestServer({
        dialect,
        env: {
          SMTP_URL: `smtp://127.0.0.1:${port}`,
          EMAIL_WORKER_INTERVAL_MS: '0',
          EMAIL_MAX_ATTEMPTS: '3',
          EMAIL_RETRY_BASE_MS: String(minute),
        },
      });
    });
    afterEach(async () => {
      await sink?.stop();
      sink = undefined;
    });
    afterAll(async () => {
      await server.close();
    });

    it('retries with doubling delays and delivers once the server is up', async () => {
      const to = await queueWelcome(server);
      const t0 = Date.now() + 1000;
      expect(await server.email.worker.runOnce(new Date(t0))).toMatchObject({ retried: 1 });
      let [job] = await jobsTo(server, to);
      expect(job).toMatchObject({ status: 'queued', attempts: 1 });
      expect(job?.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(job?.next_attempt_at ?? '')).toBe(t0 + minute);

      // Not due before its delay.
      expect(await server.email.worker.runOnce(new Date(t0 + minute - 1))).toEqual({
        sent: 0,
        retried: 0,
        dead: 0,
      });
      await server.email.worker.runOnce(new Date(t0 + minute));
      [job] = await jobsTo(server, to);
      expect(job).toMatchObject({ status: 'queued', attempts: 2 });
      expect(Date.parse(job?.next_attempt_at ?? '')).toBe(t0 + 3 * minute);

      sink = await startSmtpSink(port);
      expect(await server.email.worker.runOnce(new Date(t0 + 3 * minute))).toMatchObject({
        sent: 1,
      });
      [job] = await jobsTo(server, to);
      expect(job).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
      expect(sink.received.map((mail) => mail.recipients)).toEqual([[to]]);
    });

    it('dead-letters after the configured attempts and lists it for admins', async () => {
      const to = await queueWelcome(server);
      const t0 = Date.now() + 1000;
      await server.email.worker.runOnce(new Date(t0));
      await server.email.worker.runOnce(new Date(t0 + minute));
      expect(await server.email.worker.runOnce(new Date(t0 + 3 * minute))).toMatchObject({
        dead: 1,
      });
      const [job] = await jobsTo(server, to);
      expect(job).toMatchObject({ status: 'dead', attempts: 3 });
      // A dead job stays dead, even with the SMTP server back.
      sink = await startSmtpSink(port);
      await server.email.worker.runOnce(new Date(t0 + 24 * 60 * minute));
      expect(sink.received).toEqual([]);
      const admin = await signUpAs(server, 'admin');
      const dead = await client(server.baseUrl).get<EmailJob[]>('/admin/email-jobs?status=dead', {
        token: admin.token,
      });
      expect(dead.body.find((listed) => listed.to === to)).toMatchObject({
        status: 'dead',
        attempts: 3,
        lastError: expect.stringMatching(/ECONNREFUSED|connect/i) as unknown,
      });
    });
  });

  it('loses and repeats no mail across a restart with jobs queued', async () => {
    const sink = await startSmtpSink();
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-mail-restart-'));
    const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const start = (workerIntervalMs: string) =>
      startServer(
        loadConfig({
          PORT: '0',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          SHUTDOWN_GRACE_MS: '2000',
          SMTP_URL: sink.url,
          EMAIL_WORKER_INTERVAL_MS: workerIntervalMs,
          RATE_LIMIT_SIGN_IN: '1000',
          ...(dialect === 'postgres'
            ? { DATABASE_URL: testPostgresUrl, DATABASE_SCHEMA: schema }
            : {}),
        }),
      );
    try {
      const first = await start('0');
      const api = client(first.url);
      const emails = Array.from({ length: 8 }, () => address());
      const register = (email: string) =>
        api.post('/auth/register', {
          json: { email, password: 'a long enough password', name: 'Ada', role: 'client' },
        });
      await Promise.all(emails.slice(0, 4).map(register));
      expect(await first.email.worker.runOnce()).toMatchObject({ sent: 8 });
      await Promise.all(emails.slice(4).map(register));
      // Stopped with the second half's 8 mails queued.
      const queuedAtStop = await first.db.kysely
        .selectFrom('email_jobs')
        .select('id')
        .where('status', '=', 'queued')
        .execute();
      expect(queuedAtStop).toHaveLength(8);
      await first.close();
      expect(sink.received).toHaveLength(8);
      const second = await start('20');
      try {
        await sink.waitFor(emails.length * 2);
        // Give a wrongly repeating worker the chance to show itself.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const statuses = await second.db.kysely
          .selectFrom('email_jobs')
          .select(['status'])
          .execute();
        expect(statuses.map((job) => job.status)).toEqual(Array(16).fill('sent'));
      } finally {
        await second.close();
      }
      expect(sink.received).toHaveLength(emails.length * 2);
      expect(new Set(sink.received.map((mail) => mail.messageId)).size).toBe(emails.length * 2);
      expect(sink.received.flatMap((mail) => mail.recipients).sort()).toEqual(
        [...emails, ...emails].sort(),
      );
    } finally {
      await sink.stop();
      if (dialect === 'postgres') await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('without SMTP (the embedded default)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { EMAIL_WORKER_INTERVAL_MS: '0' } });
    });
    afterAll(async () => {
      await server.close();
    });

    it('writes each mail into DATA_DIR/mail and shows it in the dev mailbox', async () => {
      await signUpAs(server, 'client', 'Ada <script>alert(1)</script>');
      expect(await server.email.worker.runOnce()).toMatchObject({ sent: 2 });
      const folder = join(server.config.dataDir, 'mail');
      const files = await readdir(folder);
      expect(files.filter((name) => name.endsWith('.eml'))).toHaveLength(2);

      const list = await fetch(`${server.baseUrl}/dev/mailbox`);
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toMatch(/text\/html/);
      const listing = await list.text();
      expect(listing).toContain('Welcome to MegiLance');
      expect(listing).toContain('Confirm your email address');
      const link = /href="(\/dev\/mailbox\/[^"]+)"/.exec(listing)?.[1] ?? '';
      const message = await (await fetch(`${server.baseUrl}${link}`)).text();
      expect(message).toContain('Ada &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(message).not.toContain('<script>');
      const html = await fetch(`${server.baseUrl}${link}/html`);
      expect(html.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(await html.text()).toContain('<html');
      expect((await fetch(`${server.baseUrl}/dev/mailbox/..%2Fmegilance`)).status).toBe(404);
      // Another machine (here: one a local proxy forwards for) is not shown the mail.
      const remote = await fetch(`${server.baseUrl}/dev/mailbox`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect(remote.status).toBe(404);
    });
  });
});

describe('the dev mailbox with SMTP configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { SMTP_URL: 'smtp://127.0.0.1:1', EMAIL_WORKER_INTERVAL_MS: '0' },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('does not exist', async () => {
    expect((await fetch(`${server.baseUrl}/dev/mailbox`)).status).toBe(404);
  });
});
