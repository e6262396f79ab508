import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { type Clock, systemClock } from '../../core/clock.js';

interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  /** What the mail is about (a policy id): names the .eml file when mail is kept on disk. */
  reference: string;
}

interface SentMail {
  messageId: string;
  /** Where it went: the .eml file written, or the SMTP server's answer. */
  location: string;
}

/** Sends mail from Protego's own address. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
}

/** A message that could not be sent; `permanent` when trying again cannot help (the recipient was refused). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | null,
  ) {
    super(message);
  }
}

export interface MailSettings {
  /** smtp:// or smtps:// with credentials; none keeps each message as an .eml file in `mailDir`. */
  smtpUrl: string | undefined;
  /** The From header: `Protego <policies@protego.local>` unless MAIL_FROM says otherwise. */
  from: string;
  mailDir: string;
}

export function createMailer(settings: MailSettings, clock: Clock = systemClock): Mailer {
  return settings.smtpUrl
    ? smtpMailer(settings.smtpUrl, settings.from, clock)
    : fileMailer(settings.mailDir, settings.from, clock);
}

/**
 * Sends through an SMTP server. Timeouts are far below nodemailer's defaults (2 and 10 minutes): the
 * worker's lease is a minute, and a dead server should cost one retry, not the round.
 */
export function smtpMailer(smtpUrl: string, from: string, clock: Clock = systemClock): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const url = new URL(smtpUrl);
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail(message(mail, from, clock));
        return { messageId: info.messageId, location: `${url.host}: ${info.response}` };
      } catch (error) {
        throw smtpError(error);
      }
    },
  };
}

/**
 * Keeps each message as an .eml file (what `protego mail` lists and any mail client opens), for
 * development and demos without a mail server. File names start with the time, so they sort by it.
 */
export function fileMailer(mailDir: string, from: string, clock: Clock = systemClock): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(message(mail, from, clock));
      await mkdir(mailDir, { recursive: true });
      const file = join(mailDir, emlFileName(clock.now(), mail.reference));
      // 'wx': never overwrite a letter already written; a clash fails this attempt and the retry gets a new time.
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
      return { messageId: info.messageId, location: file };
    },
  };
}

/** `2026-03-02T10-00-00.000Z-pol_01….eml`: ISO time without colons (Windows forbids them), then what it is about. */
export function emlFileName(at: Date, reference: string): string {
  return `${at.toISOString().replaceAll(':', '-')}-${reference.replace(/[^A-Za-z0-9_-]/g, '_')}.eml`;
}

function message(mail: OutgoingMail, from: string, clock: Clock) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    date: clock.now(),
    attachments: mail.attachments,
  };
}

/** A refused recipient (5xx on the envelope) stays refused; anything else may pass on a later try. */
function smtpError(error: unknown): MailError {
  const e = error as { message?: string; code?: string; responseCode?: number };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const permanent = e.code === 'EENVELOPE' && responseCode !== null && responseCode >= 500;
  return new MailError(`SMTP: ${e.message ?? String(error)}`, permanent, responseCode);
}
