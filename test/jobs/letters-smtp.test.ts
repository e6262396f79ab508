import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { Worker } from '../../src/jobs/worker.js';
import { configuredHandlers } from '../../src/server.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { pdfText } from '../helpers/mail.js';

interface Received {
  user: string | undefined;
  from: string;
  to: string[];
  raw: Buffer;
}

/**
 * A real SMTP server on a local port: it wants a login, refuses `refused@…` for good (550) and
 * `busy@…` for now (451), and keeps everything else.
 */
async function startSmtp() {
  const received: Received[] = [];
  const refuse = (address: SMTPServerAddress) => {
    const [code, text] = address.address.startsWith('refused@')
      ? [550, 'no such mailbox']
      : address.address.startsWith('busy@')
        ? [451, 'try again later']
        : [0, ''];
    return code ? Object.assign(new Error(text), { responseCode: code }) : null;
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'protego' && auth.password === 's3cret')
        return callback(null, { user: auth.username });
      return callback(new Error('bad credentials'));
    },
    onRcptTo(address, _session, callback) {
      callback(refuse(address));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          user: session.user as string | undefined,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(BACKENDS)('policy letters through an SMTP server on %s', (backend) => {
  let db: Database;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let h: CoreHarness;
  let tenant: Tenant;
  let worker: Worker;
  beforeAll(async () => {
    db = await testDatabase(backend);
    smtp = await startSmtp();
    h = coreHarness(db);
    tenant = await h.tenant();
    // Configured as in production: from the environment, through the server's own wiring.
    const config = loadConfig({
      PROTEGO_DATA_DIR: '/nonexistent/protego',
      PROTEGO_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      SMTP_URL: `smtp://protego:s3cret@127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Protego Försäkring <brev@protego.example>',
    });
    worker = new Worker(db, h.clock, configuredHandlers(config, db));
  });
  afterAll(async () => {
    await smtp.close();
    await db.close();
  });

  const bind = (email: string) =>
    h.run((deps) =>
      bindPolicy(deps, tenant, {
        source: {
          productCode: 'product-protection',
          termMonths: 12,
          country: 'GB',
          item: { category: 'laptop', model: 'Yoga', price: { amount: 89_900, currency: 'GBP' } },
        },
        policyholder: { firstName: 'Glen', lastName: 'Clarkson', email },
      }),
    );

  async function jobFor(policyId: string) {
    const jobs = await db.read.jobs.list(tenant, { kind: 'policy_letter', limit: 50 });
    const job = jobs.find((j) => j.payload.policyId === policyId);
    expect(job).toBeDefined();
    return job!;
  }

  it('logs in and delivers the letter with its certificate', async () => {
    const policy = await bind('glen@example.com');
    await worker.drain();
    const mine = smtp.received.filter((r) => r.to.includes('glen@example.com'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      user: 'protego',
      from: 'brev@protego.example',
      to: ['glen@example.com'],
    });
    const mail = await simpleParser(mine[0]!.raw);
    expect(mail.from?.value).toEqual([{ name: 'Protego Försäkring', address: 'brev@protego.example' }]);
    expect(mail.subject).toBe(`Your insurance is now active: Product Protection Plan (${policy.id})`);
    expect(await pdfText(mail.attachments[0]!.content)).toContain(policy.id);
    expect(await jobFor(policy.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('dead-letters a recipient the server refuses for good, and retries one it refuses for now', async () => {
    const refused = await bind('refused@example.com');
    const busy = await bind('busy@example.com');
    await worker.drain();
    const dead = await jobFor(refused.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.lastError).toMatch(/^SMTP: .*550/);
    const later = await jobFor(busy.id);
    expect(later).toMatchObject({ status: 'pending', attempts: 1 });
    expect(later.lastError).toMatch(/^SMTP: .*451/);
    expect((await db.read.jobs.attempts(tenant, later.id))[0]?.responseStatus).toBe(451);
  });

  it('keeps a letter while the SMTP server is down, and sends it once the server is back', async () => {
    const down = await startSmtp();
    await down.close();
    const config = (port: number) =>
      loadConfig({
        PROTEGO_DATA_DIR: '/nonexistent/protego',
        PROTEGO_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
        SMTP_URL: `smtp://protego:s3cret@127.0.0.1:${port}`,
      });
    const policy = await bind('waiting@example.com');
    await new Worker(db, h.clock, configuredHandlers(config(down.port), db)).drain();
    const waiting = await jobFor(policy.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);

    h.clock.advance(60 * 60_000);
    await new Worker(db, h.clock, configuredHandlers(config(smtp.port), db)).drain();
    expect(await jobFor(policy.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(smtp.received.some((m) => m.to.includes('waiting@example.com'))).toBe(true);
  });
});
