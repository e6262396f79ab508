import { open, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type EmlMessage, parseEml, parseEmlHeaders } from './eml.js';

export interface MailboxEntry {
  file: string;
  date: Date | undefined;
  to: string;
  subject: string;
}

/** The .eml files the file mailer wrote, newest first (their names start with the time). */
export async function listMailbox(mailDir: string): Promise<MailboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(mailDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .reverse();
  return Promise.all(
    files.map(async (file) => {
      const headers = parseEmlHeaders(await readHead(join(mailDir, file)));
      const date = headers.get('date');
      return {
        file,
        date: date && !Number.isNaN(Date.parse(date)) ? new Date(date) : undefined,
        to: headers.get('to') ?? '',
        subject: headers.get('subject') ?? '',
      };
    }),
  );
}

/**
 * One message, by its file name in the mail folder or by a path. A bare name is looked up in the
 * folder only (so `--show ../x` cannot wander off); a path with a slash is taken as given.
 */
export async function readMailboxMessage(mailDir: string, nameOrPath: string): Promise<EmlMessage> {
  const path = nameOrPath.includes('/') ? nameOrPath : join(mailDir, basename(nameOrPath));
  return parseEml(await readFile(path, 'utf8'));
}

/** The headers end long before the attachment starts: read the first 64 KiB, not a whole PDF, to list a folder. */
async function readHead(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(65_536) });
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
