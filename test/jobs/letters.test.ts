import { createServer } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/core/partners/partner.js';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { cancelPolicy } from '../../src/core/policies/cancel-policy.js';
import { startCover } from '../../src/core/policies/confirm-policy.js';
import type { Policy, Policyholder } from '../../src/core/policies/policy.js';
import { smtpMailer } from '../../src/jobs/letters/mailer.js';
import { runSchedule } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import type { Database } from '../../src/storage/database.js';
import { type CoreHarness, coreHarness } from '../helpers/core.js';
import { BACKENDS, testDatabase } from '../helpers/database.js';
import { pdfText, plainSpaces, TEST_MAIL_FROM, type TestMailbox, testMailbox } from '../helpers/mail.js';
import { testHandlers } from '../helpers/worker.js';

const DAY = 86_400_000;

const glen: Policyholder = {
  firstName: 'Glen',
  lastName: 'Clarkson',
  email: 'glen.clarkson@example.com',
  personalId: '19840726-1234',
  phone: '+33 6 12 34 56 78',
  address: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
};

/** One market per language, each with the demo product sold there and what its letter must say. */
const MARKETS = [
  {
    language: 'sv',
    country: 'SE',
    product: 'refurbished-electronics',
    term: 12,
    item: {
      category: 'Tablet',
      brand: 'Apple',
      model: 'iPad Air',
      price: { amount: 850_000, currency: 'SEK' },
    },
    subject: 'Din försäkring gäller nu: Försäkring för begagnad elektronik',
    period: '2 mars 2026 – 2 mars 2027',
    premium: ['Premie att betala', '699,00 kr'],
    tax: undefined,
  },
  {
    language: 'de',
    country: 'DE',
    product: 'garantie-1j',
    term: 12,
    item: {
      category: 'smartphones',
      brand: 'Apple',
      model: 'iPhone 14',
      price: { amount: 89_900, currency: 'EUR' },
    },
    subject: 'Ihre Versicherung ist jetzt gültig: 1 Jahr Garantieerweiterung',
    period: '2. März 2026 – 2. März 2027',
    premium: ['Zu zahlende Prämie', '12,00 €'],
    tax: ['Versicherungsteuer 19 %', '1,92 €'],
  },
  {
    language: 'fr',
    country: 'FR',
    product: 'CIFRWE',
    term: 24,
    item: {
      category: 'Laptop',
      brand: 'Lenovo',
      model: 'ThinkPad',
      price: { amount: 99_900, currency: 'EUR' },
    },
    subject: 'Votre assurance est maintenant active : Extension de garantie 2 ans',
    period: 'du 2 mars 2026 au 2 mars 2028',
    premium: ['Prime TTC', '79,92 €'],
    tax: ["Taxe sur les conventions d'assurance 9 %", '6,60 €'],
  },
  {
    language: 'en',
    country: 'GB',
    product: 'product-protection',
    term: 12,
    item: { category: 'laptop', brand: 'Lenovo', model: 'Yoga', price: { amount: 89_900, currency: 'GBP' } },
    subject: 'Your insurance is now active: Product Protection Plan',
    period: '2 March 2026 – 2 March 2027',
    premium: ['Premium payable', '£89.90'],
    tax: ['Insurance Premium Tax 12%', '£9.63'],
  },
] as const;

/** What is sold: a product and term for an item in a market. */
interface Sale {
  product: string;
  term: number;
  country: string;
  item: Policy['item'];
}

describe.each(BACKENDS)('policy letters on %s', (backend) => {
  let db: Database;
  const mailboxes: TestMailbox[] = [];
  beforeAll(async () => {
    db = await testDatabase(backend);
  });
  afterAll(async () => {
    await db.close();
    for (const m of mailboxes) m.remove();
  });

  /**
   * A partner of its own, a mailbox of its own and a worker writing into it. The worker serves every
   * tenant of the store, so each test looks only at its own policies' letters and jobs.
   */
  async function setup(mailer?: ReturnType<typeof smtpMailer>) {
    const h = coreHarness(db);
    const tenant = await h.tenant();
    const mailbox = testMailbox(h.clock);
    mailboxes.push(mailbox);
    const worker = new Worker(db, h.clock, testHandlers(db, { mailer: mailer ?? mailbox.mailer }));
    return { h, tenant, mailbox, worker };
  }

  function bind(
    h: CoreHarness,
    tenant: Tenant,
    m: Sale,
    extra: { holder?: Policyholder; start?: Date } = {},
  ) {
    return h.run((deps) =>
      bindPolicy(deps, tenant, {
        source: { productCode: m.product, termMonths: m.term, country: m.country, item: m.item },
        policyholder: extra.holder ?? glen,
        ...(extra.start ? { coverageStart: extra.start } : {}),
      }),
    );
  }

  /** The letters written for one policy, parsed. */
  async function lettersFor(mailbox: TestMailbox, policy: Policy): Promise<ParsedMail[]> {
    return Promise.all(
      mailbox
        .files()
        .filter((f) => f.includes(policy.id))
        .map((f) => mailbox.parse(f)),
    );
  }

  async function letterJob(tenant: Tenant) {
    const jobs = await db.read.jobs.list(tenant, { kind: 'policy_letter', limit: 10 });
    expect(jobs).toHaveLength(1);
    return jobs[0]!;
  }

  it.each(MARKETS)(
    'mails the $language letter with its certificate when a $country policy becomes active',
    async (m) => {
      const { h, tenant, mailbox, worker } = await setup();
      let policy = await bind(h, tenant, m);
      if (policy.status === 'scheduled') {
        // garantie-1j covers from delivery: no letter until the item ships.
        await worker.drain();
        expect(await lettersFor(mailbox, policy)).toHaveLength(0);
        policy = await h.run((deps) => startCover(deps, policy, h.clock.now()));
      }
      expect(policy.status).toBe('active');
      expect(policy.language).toBe(m.language);
      await worker.drain();

      const [letter, ...more] = await lettersFor(mailbox, policy);
      expect(more).toHaveLength(0);
      expect(letter?.to).toMatchObject({ value: [{ address: 'glen.clarkson@example.com' }] });
      expect(letter?.from?.value).toEqual([{ name: 'Protego', address: 'policies@protego.local' }]);
      expect(letter?.subject).toBe(`${m.subject} (${policy.id})`);
      const body = plainSpaces(letter?.text ?? '');
      expect(body).toContain(`${m.premium[0]}${m.language === 'fr' ? ' : ' : ': '}${m.premium[1]}`);
      expect(body).toContain(m.period);

      const [pdf, ...others] = letter?.attachments ?? [];
      expect(others).toHaveLength(0);
      expect(pdf?.contentType).toBe('application/pdf');
      expect(pdf?.filename).toMatch(new RegExp(`^[a-z-]+-${policy.id}\\.pdf$`));
      // Table cells wrap (the French tax name takes two lines): compare with white space collapsed.
      const text = (await pdfText(pdf!.content)).replace(/\s+/g, ' ');
      for (const expected of [
        policy.id,
        'Glen Clarkson',
        m.item.model,
        m.period,
        m.premium[1],
        'Protego Insurance',
      ]) {
        expect(text).toContain(expected);
      }
      for (const expected of m.tax ?? []) expect(text).toContain(expected);
      expect(text).toContain('https://protego.dev/docs/');
      expect((await letterJob(tenant)).status).toBe('done');
    },
  );

  it('confirms a policy with a future start when it is bought, with its start, and writes no second letter when cover begins', async () => {
    const { h, tenant, mailbox, worker } = await setup();
    const start = new Date(h.clock.now().getTime() + 3 * DAY);
    const policy = await bind(h, tenant, MARKETS[3], { start });
    expect(policy.status).toBe('scheduled');
    await worker.drain();
    const [letter, ...more] = await lettersFor(mailbox, policy);
    expect(more).toHaveLength(0);
    expect(letter?.subject).toBe(`Your insurance is confirmed: Product Protection Plan (${policy.id})`);
    const text = plainSpaces(letter?.text ?? '');
    expect(text).toContain('is confirmed and starts on 5 March 2026');
    expect(text).toContain('5 March 2026 – 5 March 2027');
    expect(letter?.attachments).toHaveLength(1);

    h.clock.advance(3 * DAY);
    expect(await runSchedule(db, h.clock, h.ids)).toBeGreaterThanOrEqual(1);
    await worker.drain();
    expect(await lettersFor(mailbox, policy)).toHaveLength(1);
    expect(await db.read.jobs.list(tenant, { kind: 'policy_letter', limit: 10 })).toHaveLength(1);
  });

  it('tries again later when the SMTP server cannot be reached, and sends once it can', async () => {
    const port = await closedPort();
    const { h, tenant, mailbox } = await setup();
    const down = new Worker(
      db,
      h.clock,
      testHandlers(db, { mailer: smtpMailer(`smtp://127.0.0.1:${port}`, TEST_MAIL_FROM) }),
    );
    const policy = await bind(h, tenant, MARKETS[3]);
    await down.drain();

    const job = await letterJob(tenant);
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.lastError).toMatch(/^SMTP: .*ECONNREFUSED/);
    expect(job.runAt.getTime()).toBe(h.clock.now().getTime() + 60_000);
    expect((await db.read.jobs.attempts(tenant, job.id)).map((a) => a.outcome)).toEqual(['retrying']);

    // The mail server is back (here: the file mailer) a minute later.
    h.clock.advance(60_000);
    await new Worker(db, h.clock, testHandlers(db, { mailer: mailbox.mailer })).drain();
    expect(await lettersFor(mailbox, policy)).toHaveLength(1);
    expect(await letterJob(tenant)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('dead-letters the letter at once when the policyholder has no e-mail address', async () => {
    const { h, tenant, mailbox, worker } = await setup();
    // Tech Insurance does not collect e-mail: an address given is dropped at binding.
    const policy = await bind(h, tenant, {
      product: 'tech-insurance',
      term: 12,
      country: 'SE',
      item: { category: 'Smartphone', price: { amount: 150_000, currency: 'SEK' } },
    });
    expect(policy.status).toBe('active');
    expect(policy.policyholder.email).toBeUndefined();
    await worker.drain();
    const job = await letterJob(tenant);
    expect(job).toMatchObject({ status: 'dead', attempts: 1 });
    expect(job.lastError).toContain(`policy ${policy.id} has no policyholder e-mail address`);
    expect(await lettersFor(mailbox, policy)).toHaveLength(0);
  });

  it('sends no "now active" letter for a policy cancelled before it went out, but the end of cover', async () => {
    const { h, tenant, mailbox, worker } = await setup();
    const policy = await bind(h, tenant, MARKETS[3]);
    await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id, preview: false }));
    await worker.drain();
    const job = await letterJob(tenant);
    expect(job.status).toBe('dead');
    expect(job.lastError).toContain('is cancelled');
    const [letter, ...more] = await lettersFor(mailbox, policy);
    expect(more).toHaveLength(0);
    expect(letter?.subject).toBe(`Your insurance has ended: Product Protection Plan (${policy.id})`);
    expect(letter?.attachments).toHaveLength(0);
    // Cancelled inside the cooling-off days: the whole premium comes back.
    const body = plainSpaces(letter?.text ?? '');
    expect(body).toContain('Ended on: 2 March 2026');
    expect(body).toContain('Refund: £89.90');
    expect(body).not.toContain('Cover period');
  });

  it('writes the end of cover in the policy language', async () => {
    const { h, tenant, mailbox, worker } = await setup();
    const policy = await bind(h, tenant, MARKETS[0]);
    await h.run((deps) => cancelPolicy(deps, tenant, { policyId: policy.id, preview: false }));
    await worker.drain();
    const subjects = (await lettersFor(mailbox, policy)).map((l) => l.subject);
    expect(subjects.some((s) => s?.startsWith('Din försäkring har avslutats'))).toBe(true);
  });
});

/** A local port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
