import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type CustomerLink,
  customerLinkKey,
  formToken,
  readCustomerToken,
} from '../../auth/customer-link.js';
import { addAttachment } from '../../core/claims/add-attachment.js';
import { ATTACHMENT_LIMITS, CLAIM_TYPES } from '../../core/claims/claim.js';
import { fileClaim } from '../../core/claims/file-claim.js';
import { utcDay } from '../../core/claims/validity.js';
import { CoreError, type FieldError, isCoreError } from '../../core/errors.js';
import { fromMajor } from '../../core/money.js';
import type { Tenant } from '../../core/partners/partner.js';
import { confirmCancellation, previewCancellation } from '../../core/policies/cancellation-change.js';
import { certifiedPolicy } from '../../core/policies/certificate.js';
import type { Policy } from '../../core/policies/policy.js';
import { quoteRefund } from '../../core/policies/refund.js';
import { type App, readDeps } from '../../http/context.js';
import { sendPdf } from '../../http/pdf.js';
import { renderCertificate } from '../../jobs/letters/certificate.js';
import { formatDate, formatMoney, letterLocale } from '../../jobs/letters/format.js';
import { summarizePolicy } from '../../jobs/letters/summary.js';
import { LETTER_LANGUAGES, type LetterLanguage, letterLanguage } from '../../jobs/letters/texts.js';
import { write, writeOnce } from '../kit/write.js';
import { type PageTexts, pageTexts } from './texts.js';

const VIEWS = fileURLToPath(new URL('./views', import.meta.url));
const STYLESHEET = readFileSync(new URL('./assets/customer.css', import.meta.url));
/** Policies a customer may still cancel; the core decides the refund. */
const CANCELLABLE = new Set(['pending_payment', 'scheduled', 'active']);

interface LinkParams {
  token: string;
}

/** A request under a valid link: its tenant, its policy and the page's language. */
interface Visit {
  token: string;
  link: CustomerLink;
  tenant: Tenant;
  policy: Policy;
  language: LetterLanguage;
  t: PageTexts;
  /** A path under this link, keeping a language the customer chose. */
  href: (path?: string) => string;
  csrf: string;
}

/** Refused before any page could be shown: rendered as the error page. */
class PageRefused extends Error {
  constructor(
    readonly status: number,
    readonly why: 'linkInvalid' | 'linkExpired' | 'formExpired' | 'notFound',
  ) {
    super(why);
  }
}

/**
 * The policyholder's own pages, reached from the link in their policy letter: the link's signed token
 * is the credential (no account), and the forms carry a token derived from it against cross-site posts.
 */
export async function customerPages(app: App): Promise<void> {
  const services = app.protego;
  const key = customerLinkKey(services.tokenKey);
  const eta = new Eta({ views: VIEWS, cache: true });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    // The link token is in the path: no page may leak it to another site.
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(formbody);
  await app.register(multipart, {
    limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: 1, fields: 10, fieldSize: 6000, parts: 12 },
  });

  const render = (reply: FastifyReply, status: number, view: string, data: Record<string, unknown>) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .send(eta.render(view, data));

  const chosenLanguage = (request: FastifyRequest): LetterLanguage | undefined => {
    const q = request.query as Record<string, unknown> | undefined;
    const body = request.body as Record<string, unknown> | undefined;
    const asked = q?.lang ?? body?.lang;
    return typeof asked === 'string' && (LETTER_LANGUAGES as readonly string[]).includes(asked)
      ? (asked as LetterLanguage)
      : undefined;
  };

  app.setErrorHandler((error, request, reply) => {
    const language = chosenLanguage(request) ?? 'en';
    if (error instanceof PageRefused) {
      const t = pageTexts(language);
      return render(reply, error.status, 'error', { lang: language, t, message: t[error.why] });
    }
    const t = pageTexts(language);
    // A request the framework refused (a file over the limit, a malformed form) is the sender's.
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return render(reply, status, 'error', { lang: language, t, message: t.formExpired });
    request.log.error({ err: error }, 'customer page failed');
    return render(reply, 500, 'error', { lang: language, t, message: t.errorHeading });
  });
  app.setNotFoundHandler((request, reply) => {
    const t = pageTexts(chosenLanguage(request) ?? 'en');
    return render(reply, 404, 'error', { lang: chosenLanguage(request) ?? 'en', t, message: t.notFound });
  });

  /** The link's policy, or a refusal page; forms must also carry the link's CSRF token. */
  async function visit(
    request: FastifyRequest,
    opts: { form?: Record<string, unknown> } = {},
  ): Promise<Visit> {
    const { token } = request.params as LinkParams;
    const link = await readCustomerToken(key, token, services.clock.now());
    if (link === 'expired') throw new PageRefused(410, 'linkExpired');
    if (link === 'invalid') throw new PageRefused(404, 'linkInvalid');
    if (opts.form) {
      const sent = Buffer.from(String(opts.form.csrf ?? ''));
      const expected = Buffer.from(formToken(key, token));
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
        throw new PageRefused(403, 'formExpired');
    }
    const tenant: Tenant = { partnerId: link.partnerId, mode: link.mode };
    const policy = await services.db.read.policies.get(tenant, link.policyId);
    if (!policy) throw new PageRefused(404, 'linkInvalid');
    const chosen = chosenLanguage(request);
    const language = chosen ?? letterLanguage(policy.language);
    const href = (path = '') => `/my/${token}${path}${chosen ? `?lang=${chosen}` : ''}`;
    return {
      token,
      link,
      tenant,
      policy,
      language,
      t: pageTexts(language),
      href,
      csrf: formToken(key, token),
    };
  }

  /** What every page's layout needs: the language, its switch and the form tokens. */
  function common(v: Visit, path = '') {
    return {
      lang: v.language,
      t: v.t,
      href: v.href,
      csrf: v.csrf,
      chosen: v.language,
      languages: LETTER_LANGUAGES.map((l) => ({
        code: l,
        name: pageTexts(l).languageName,
        url: `/my/${v.token}${path}?lang=${l}`,
        current: l === v.language,
      })),
    };
  }

  app.get('/assets/customer.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );

  app.get<{ Params: LinkParams }>('/:token', { schema: { hide: true } }, async (request, reply) => {
    const v = await visit(request);
    const product = await services.db.read.products.get(v.policy.productCode);
    if (!product) throw new PageRefused(404, 'notFound');
    const summary = summarizePolicy({ ...v.policy, language: v.language }, product);
    const claims = await services.db.read.claims.list(v.tenant, { policyId: v.policy.id, limit: 50 });
    const money = (amount: number, currency: string) => formatMoney(amount, currency, summary.locale);
    return render(reply, 200, 'policy', {
      ...common(v),
      summary,
      bound: v.policy.boundAt !== null,
      cancellable: CANCELLABLE.has(v.policy.status),
      claims: claims.map((c) => ({
        id: c.id,
        url: v.href(`/claims/${c.id}`),
        status: v.t.claimStatus[c.status],
        type: v.t.claimTypes[c.type],
        amount: money(c.claimedAmount.amount, c.claimedAmount.currency),
        filed: formatDate(c.createdAt, summary.locale),
      })),
      refundNow: CANCELLABLE.has(v.policy.status)
        ? quoteRefund(v.policy, product, services.clock.now()).rule
        : undefined,
    });
  });

  app.get<{ Params: LinkParams }>(
    '/:token/certificate.pdf',
    { schema: { hide: true } },
    async (request, reply) => {
      const v = await visit(request);
      const { policy, product } = await certifiedPolicy(readDeps(services), v.tenant, v.policy.id).catch(
        () => {
          throw new PageRefused(404, 'notFound');
        },
      );
      const pdf = await renderCertificate(summarizePolicy({ ...policy, language: v.language }, product), {
        createdAt: services.clock.now(),
      });
      return sendPdf(reply, `${policy.id}.pdf`, pdf);
    },
  );

  // Previewing holds the refund as a pending change (the core's rule), shown before anything ends.
  app.post<{ Params: LinkParams }>('/:token/cancel', { schema: { hide: true } }, async (request, reply) => {
    const form = formFields(request.body);
    const v = await visit(request, { form });
    if (!CANCELLABLE.has(v.policy.status)) return reply.redirect(v.href(), 303);
    const group = await write(services, (deps) =>
      previewCancellation(deps, v.tenant, {
        policyIds: [v.policy.id],
        reason: 'customer_request',
      }),
    );
    const change = group.changes[0]!;
    // A fresh preview always holds its refund (only pre-009 rows lack one).
    const refund = change.cancellation?.quote?.refund ?? {
      amount: -change.priceDiff,
      currency: v.policy.premium.currency,
    };
    const rule = change.cancellation?.quote?.rule;
    const locale = summarizeLocale(v);
    return render(reply, 200, 'cancel-preview', {
      ...common(v),
      groupId: group.groupId,
      refund: formatMoney(refund.amount, refund.currency, locale),
      rule: rule ? v.t.refundRule[rule] : '',
      expires: new Intl.DateTimeFormat(locale, {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'UTC',
      }).format(group.expiresAt),
    });
  });

  app.post<{ Params: LinkParams }>(
    '/:token/cancel/confirm',
    { schema: { hide: true } },
    async (request, reply) => {
      const form = formFields(request.body);
      const v = await visit(request, { form });
      const groupId = String(form.group_id ?? '');
      // Confirming twice answers the same (the core replays it), so a resent form is harmless.
      const confirmed = await write(services, (deps) =>
        confirmCancellation(deps, v.tenant, groupId, { within: [v.policy.id] }),
      ).catch((error: unknown) => {
        if (isCoreError(error)) throw new PageRefused(error.code === 'not_found' ? 404 : 409, 'formExpired');
        throw error;
      });
      const { quote, policy } = confirmed.cancelled[0]!;
      const refund = quote?.refund ?? { amount: 0, currency: policy.premium.currency };
      return render(reply, 200, 'cancelled', {
        ...common(v),
        refund: formatMoney(refund.amount, refund.currency, summarizeLocale(v)),
      });
    },
  );

  app.get<{ Params: LinkParams }>(
    '/:token/claims/new',
    { schema: { hide: true } },
    async (request, reply) => {
      const v = await visit(request);
      return render(reply, 200, 'claim-new', claimForm(v, {}, []));
    },
  );

  app.post<{ Params: LinkParams }>('/:token/claims', { schema: { hide: true } }, async (request, reply) => {
    const upload = await readClaimForm(request);
    const v = await visit(request, { form: upload.fields });
    const f = upload.fields;
    const currency = v.policy.premium.currency;
    const amount = fromMajor(String(f.claimed_amount ?? '').replace(',', '.'), currency);
    try {
      if (amount === undefined)
        throw new CoreError('validation_failed', 'invalid claim', [
          { field: 'claimedAmount/amount', message: 'an amount such as 1250.00' },
        ]);
      if (!upload.file)
        throw new CoreError('validation_failed', 'invalid claim', [
          { field: 'file', message: 'a photo is required' },
        ]);
      const file = upload.file;
      // The form's own id is its idempotency key: a form sent twice (a double click, a retry after a
      // lost answer) files one claim, and the second is shown the first's.
      const formId = String(f.form_id ?? '');
      const scope = /^[\w-]{8,64}$/.test(formId)
        ? {
            partnerId: v.tenant.partnerId,
            mode: v.tenant.mode,
            key: `customer-claim:${v.policy.id}:${formId}`,
          }
        : undefined;
      const hash = createHash('sha256')
        .update(JSON.stringify([v.policy.id, f.incident_date, f.type, f.description, f.claimed_amount]))
        .update(file.content)
        .digest('hex');
      const claimId = await writeOnce(
        services,
        scope && { scope, hash },
        async (deps) => {
          const filed = await fileClaim(deps, v.tenant, {
            policyId: v.policy.id,
            incidentDate: String(f.incident_date ?? ''),
            type: String(f.type ?? ''),
            description: String(f.description ?? ''),
            claimedAmount: { amount, currency },
          });
          await addAttachment(deps, v.tenant, {
            claimId: filed.id,
            filename: file.filename,
            contentType: file.contentType,
            content: file.content,
          });
          return filed.id;
        },
        () => new PageRefused(409, 'formExpired'),
      );
      return reply.redirect(v.href(`/claims/${claimId}`), 303);
    } catch (error) {
      if (!isCoreError(error)) throw error;
      return render(reply, 422, 'claim-new', claimForm(v, f, error.fields));
    }
  });

  app.get<{ Params: LinkParams & { claimId: string } }>(
    '/:token/claims/:claimId',
    { schema: { hide: true } },
    async (request, reply) => {
      const v = await visit(request);
      const claim = await services.db.read.claims.get(v.tenant, request.params.claimId);
      if (!claim || claim.policyId !== v.policy.id) throw new PageRefused(404, 'notFound');
      const history = await services.db.read.claims.history(v.tenant, claim.id);
      const locale = summarizeLocale(v);
      return render(reply, 200, 'claim', {
        ...common(v, `/claims/${claim.id}`),
        claim: {
          id: claim.id,
          status: v.t.claimStatus[claim.status],
          type: v.t.claimTypes[claim.type],
          incidentDate: formatDate(new Date(`${claim.incidentDate}T00:00:00Z`), locale),
          description: claim.description,
          amount: formatMoney(claim.claimedAmount.amount, claim.claimedAmount.currency, locale),
          currency: claim.claimedAmount.currency,
          filed: formatDate(claim.createdAt, locale),
          attachments: claim.attachments.map((a) => a.filename),
        },
        history: history.map((h) => ({
          at: formatDate(h.occurredAt, locale),
          status: v.t.claimStatus[h.toStatus],
        })),
      });
    },
  );

  function claimForm(v: Visit, values: Record<string, unknown>, errors: FieldError[]) {
    const field = (path: string) => FORM_FIELD[path.split('/')[0]!] ?? 'description';
    const errorFor: Record<string, string> = {};
    for (const e of errors) errorFor[field(e.field)] ??= e.message;
    return {
      ...common(v, '/claims/new'),
      formId: randomUUID(),
      currency: v.policy.premium.currency,
      today: utcDay(services.clock.now()),
      types: CLAIM_TYPES.map((type) => ({ value: type, label: v.t.claimTypes[type] })),
      values: {
        incident_date: String(values.incident_date ?? ''),
        type: String(values.type ?? ''),
        description: String(values.description ?? ''),
        claimed_amount: String(values.claimed_amount ?? ''),
      },
      errors: errorFor,
      labels: {
        incident_date: v.t.incidentDate,
        type: v.t.claimType,
        description: v.t.description,
        claimed_amount: v.t.claimedAmount(v.policy.premium.currency),
        file: v.t.photo,
      } as Record<string, string>,
    };
  }

  function summarizeLocale(v: Visit): string {
    return letterLocale(v.language, v.policy.country);
  }
}

/** Core error paths to the form's field names, so each message sits next to its field. */
const FORM_FIELD: Record<string, string> = {
  incidentDate: 'incident_date',
  type: 'type',
  description: 'description',
  claimedAmount: 'claimed_amount',
  file: 'file',
  policyId: 'description',
};

function formFields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

interface ClaimUpload {
  fields: Record<string, string>;
  file?: { filename: string; contentType: string; content: Buffer };
}

/** The claim form's fields and its one photo; a photo over the limit is refused as the core would word it. */
async function readClaimForm(request: FastifyRequest): Promise<ClaimUpload> {
  const fields: Record<string, string> = {};
  let file: ClaimUpload['file'];
  if (!request.isMultipart()) return { fields: formFields(request.body) as Record<string, string> };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      if (part.file.truncated) throw new PageRefused(413, 'formExpired');
      if (content.byteLength > 0) file = { filename: part.filename, contentType: part.mimetype, content };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  // The language of a multipart form is only known once it is read.
  (request as { body: unknown }).body = fields;
  return { fields, ...(file ? { file } : {}) };
}
