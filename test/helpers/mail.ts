import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import type { Clock } from '../../src/core/clock.js';
import { fileMailer, type Mailer } from '../../src/jobs/letters/mailer.js';

export const TEST_MAIL_FROM = 'Protego <policies@protego.local>';

/** A folder of its own that the file mailer writes .eml files to, and ways to read them back. */
export interface TestMailbox {
  dir: string;
  mailer: Mailer;
  /** The .eml file names, oldest first. */
  files(): string[];
  parse(file: string): Promise<ParsedMail>;
  /** Every message, parsed, oldest first. */
  all(): Promise<ParsedMail[]>;
  remove(): void;
}

/** With `clock`, file names and Date headers follow the test's clock instead of the wall clock. */
export function testMailbox(clock?: Clock): TestMailbox {
  const dir = mkdtempSync(join(tmpdir(), 'protego-mail-'));
  const files = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  const parse = (file: string) => simpleParser(readFileSync(join(dir, file)));
  return {
    dir,
    mailer: fileMailer(dir, TEST_MAIL_FROM, clock),
    files,
    parse,
    all: () => Promise.all(files().map(parse)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The text of a PDF, with Intl's no-break spaces made plain so expectations can be written plainly. */
export async function pdfText(data: Buffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    return plainSpaces((await parser.getText()).text);
  } finally {
    await parser.destroy();
  }
}

export const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
