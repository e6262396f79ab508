import { listMailbox, readMailboxMessage } from '../jobs/letters/mailbox.js';
import type { Output } from './statement.js';

/**
 * `protego mail`: the letters kept as .eml files when no SMTP server is configured, newest first;
 * `protego mail --show <file>`: one of them, its text and what is attached.
 */
export async function mailCommand(
  settings: { mailDir: string; smtpUrl: string | undefined },
  options: { show?: string | undefined },
  io: Output,
): Promise<number> {
  if (options.show) return showMessage(settings.mailDir, options.show, io);
  if (settings.smtpUrl) {
    io.err(
      `SMTP_URL is set: mail goes to the SMTP server; ${settings.mailDir} holds only what was kept before.`,
    );
  }
  const entries = await listMailbox(settings.mailDir);
  if (entries.length === 0) {
    io.out(`no mail in ${settings.mailDir}\n`);
    return 0;
  }
  for (const e of entries) {
    io.out(`${e.date?.toISOString() ?? '?'}\t${e.to}\t${e.subject}\t${e.file}\n`);
  }
  return 0;
}

async function showMessage(mailDir: string, file: string, io: Output): Promise<number> {
  let message: Awaited<ReturnType<typeof readMailboxMessage>>;
  try {
    message = await readMailboxMessage(mailDir, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`no message "${file}" in ${mailDir} (protego mail lists them)`);
      return 1;
    }
    throw error;
  }
  for (const name of ['date', 'from', 'to', 'subject']) {
    io.out(
      `${name[0]!.toUpperCase()}${name.slice(1)}:${' '.repeat(8 - name.length)} ${message.headers.get(name) ?? ''}\n`,
    );
  }
  const body = message.parts.find((p) => p.contentType === 'text/plain' && !p.filename);
  io.out(`\n${body?.text?.trimEnd() ?? '(no text)'}\n`);
  const attachments = message.parts.filter((p) => p !== body);
  if (attachments.length > 0) {
    io.out('\nAttachments:\n');
    for (const a of attachments) {
      io.out(`  ${a.filename ?? '(unnamed)'}  ${a.contentType}, ${(a.size / 1024).toFixed(1)} KiB\n`);
    }
  }
  return 0;
}
