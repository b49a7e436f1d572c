import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per job: a receiver that sees one twice can tell it is the same mail. */
  messageId: string;
}

/** Hands a message over; resolves once the receiving side accepted it. */
export interface MailTransport {
  kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  // Short timeouts: a worker waiting minutes for a dead server holds its claimed jobs.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    send: async (mail) => {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
}

/**
 * The embedded default: each message as an .eml file in `folder`, named so a listing sorts
 * oldest first. The dev mailbox page reads them back.
 */
export function fileTransport(folder: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    kind: 'file',
    send: async (mail) => {
      const info = await transporter.sendMail(mail);
      const raw: unknown = info.message;
      if (!Buffer.isBuffer(raw)) throw new Error('the stream transport gave no message buffer');
      await mkdir(folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}_${mailFileId(mail.messageId)}.eml`;
      await writeFile(join(folder, name), raw);
    },
    close: () => transporter.close(),
  };
}

/** The job id inside a Message-ID, safe as part of a file name. */
function mailFileId(messageId: string): string {
  return messageId.replace(/[^\w-]/g, '').slice(0, 80);
}
