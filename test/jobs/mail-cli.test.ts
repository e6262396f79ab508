import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailCommand } from '../../src/cli/mail.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseEml } from '../../src/jobs/letters/eml.js';
import { composeLetter } from '../../src/jobs/letters/letter.js';
import { emlFileName, fileMailer } from '../../src/jobs/letters/mailer.js';
import { TEST_MAIL_FROM, type TestMailbox, testMailbox } from '../helpers/mail.js';
import { policy, product } from '../unit/fixtures.js';

const swedish = product({ name: { en: 'Tech Insurance', sv: 'Teknikförsäkring' } });

/** Runs mailCommand and keeps what it printed. */
async function run(mailDir: string, show?: string, smtpUrl?: string) {
  let out = '';
  let err = '';
  const code = await mailCommand(
    { mailDir, smtpUrl },
    { show },
    { out: (t) => (out += t), err: (t) => (err += t) },
  );
  return { code, out, err };
}

describe('protego mail', () => {
  // A scratch folder; the mail folder is inside it, so a file can be put next to (outside) it.
  let box: TestMailbox;
  let mailDir: string;
  let older: string;
  let newer: string;
  beforeAll(async () => {
    box = testMailbox();
    mailDir = join(box.dir, 'mail');
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const mailer = fileMailer(mailDir, TEST_MAIL_FROM, clock);
    await mailer.send(await composeLetter(policy({ id: 'pol_a' }), swedish, 'ada@example.com'));
    clock.advance(90_000);
    await mailer.send(
      await composeLetter(policy({ id: 'pol_b', language: 'en', country: 'GB' }), swedish, 'bob@example.com'),
    );
    [older, newer] = readdirSync(mailDir).sort() as [string, string];
  });
  afterAll(() => box.remove());

  it('names files by time, then policy', () => {
    expect([older, newer]).toEqual([
      '2026-03-02T10-00-00.000Z-pol_a.eml',
      '2026-03-02T10-01-30.000Z-pol_b.eml',
    ]);
    expect(emlFileName(new Date('2026-03-02T10:00:00Z'), 'a/../b c')).toBe(
      '2026-03-02T10-00-00.000Z-a____b_c.eml',
    );
  });

  it('lists time, recipient and subject, newest first', async () => {
    const { code, out } = await run(mailDir);
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n')).toEqual([
      `2026-03-02T10:01:30.000Z\tbob@example.com\tYour insurance is now active: Tech Insurance (pol_b)\t${newer}`,
      `2026-03-02T10:00:00.000Z\tada@example.com\tDin försäkring gäller nu: Teknikförsäkring (pol_a)\t${older}`,
    ]);
  });

  it('shows one message: headers, text and attachments', async () => {
    const { code, out } = await run(mailDir, older);
    expect(code).toBe(0);
    expect(out).toContain('From:     Protego <policies@protego.local>\n');
    expect(out).toContain('To:       ada@example.com\n');
    expect(out).toContain('Subject:  Din försäkring gäller nu: Teknikförsäkring (pol_a)\n');
    expect(out).toContain('\nHej Ada Lovelace,\n\ntack för ditt köp.');
    expect(out).toMatch(
      /\nAttachments:\n {2}forsakringsbevis-pol_a\.pdf {2}application\/pdf, \d+\.\d KiB\n$/,
    );
  });

  it('reads its own messages as mailparser does', async () => {
    for (const file of [older, newer]) {
      const raw = readFileSync(join(mailDir, file));
      const ours = parseEml(raw.toString('utf8'));
      const theirs = await simpleParser(raw);
      expect(ours.headers.get('subject')).toBe(theirs.subject);
      const text = ours.parts.find((p) => p.contentType === 'text/plain');
      expect(text?.text?.trimEnd()).toBe(theirs.text?.trimEnd());
      const pdf = ours.parts.find((p) => p.contentType === 'application/pdf');
      expect(pdf?.size).toBe(theirs.attachments[0]?.size);
      expect(pdf?.filename).toBe(theirs.attachments[0]?.filename);
    }
  });

  it('says so when a message is not there, and when the folder is empty or mail goes by SMTP', async () => {
    const missing = await run(mailDir, 'nope.eml');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no message "nope.eml"');
    // A bare name is looked up in the mail folder only; a path is taken as given.
    const outside = join(box.dir, 'outside.eml');
    writeFileSync(outside, 'Subject: x\n\nx\n');
    expect((await run(mailDir, 'outside.eml')).code).toBe(1);
    expect(await run(mailDir, outside)).toMatchObject({
      code: 0,
      out: expect.stringContaining('Subject:  x\n'),
    });
    const empty = await run(join(box.dir, 'nothing-here'), undefined, 'smtp://mail.example.com');
    expect(empty).toMatchObject({ code: 0, out: expect.stringContaining('no mail in') });
    expect(empty.err).toContain('SMTP_URL is set');
  });

  it('runs as `protego mail` on the data folder', async () => {
    const dataDir = join(box.dir, 'data');
    const mailer = fileMailer(join(dataDir, 'mail'), TEST_MAIL_FROM, new ManualClock('2026-03-02T12:00:00Z'));
    await mailer.send(await composeLetter(policy({ id: 'pol_cli' }), swedish, 'cli@example.com'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PROTEGO_DATA_DIR: dataDir,
      PROTEGO_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
      SMTP_URL: '',
    };
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mail', ...args], { env });
    const list = await cli();
    expect(list.stdout).toContain('cli@example.com\tDin försäkring gäller nu: Teknikförsäkring (pol_cli)');
    const show = await cli('--show', '2026-03-02T12-00-00.000Z-pol_cli.eml');
    expect(show.stdout).toContain('Försäkringsnummer: pol_cli');
  });
});
