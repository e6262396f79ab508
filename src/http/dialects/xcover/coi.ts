import { Type } from 'typebox';
import { sameSecret } from '../../../auth/secrets.js';
import { notFound } from '../../../core/errors.js';
import type { Mode } from '../../../core/partners/partner.js';
import { renderCertificate } from '../../../jobs/letters/certificate.js';
import { summarizePolicy } from '../../../jobs/letters/summary.js';
import type { App } from '../../context.js';
import { findBooking, loadPackage } from './packages.js';

const MODES: Mode[] = ['live', 'test'];

/**
 * The certificate of insurance behind a booking's `coi` links. The customer follows them from an e-mail
 * or the partner's page, so they carry no signature: the package's security token is the key, as in
 * XCover's own links. `quote` picks one policy of a booking of several (the first by default).
 */
export async function coiRoutes(app: App): Promise<void> {
  app.get(
    '/coi/:partner/:file',
    {
      schema: {
        summary: "A booking's certificate of insurance (XCover `coi` link)",
        tags: ['xcover'],
        params: Type.Object({
          partner: Type.String({ maxLength: 100 }),
          file: Type.String({ maxLength: 80 }),
        }),
        querystring: Type.Object({
          security_token: Type.String({ minLength: 1, maxLength: 100 }),
          quote: Type.Optional(Type.String({ maxLength: 64 })),
        }),
      },
    },
    async (request, reply) => {
      const { store, clock } = app.protego;
      const id = request.params.file.replace(/\.pdf$/, '');
      const partner = await store.read.partners.getByCode(request.params.partner);
      if (!partner) throw notFound(`booking ${id}`, 'id');
      for (const mode of MODES) {
        const tenant = { partnerId: partner.id, mode };
        const pkg = await loadPackage(store.read, tenant, id).catch(() => undefined);
        if (!pkg || !sameSecret(pkg.data.security_token, request.query.security_token)) continue;
        const booking = await findBooking(store.read, tenant, id);
        const booked = request.query.quote
          ? booking?.data.quotes.find((q) => q.id === request.query.quote)
          : booking?.data.quotes[0];
        const policy = booked && (await store.read.policies.get(tenant, booked.policyId));
        const product = policy && (await store.read.products.get(policy.productCode));
        if (!policy || !product) break;
        const pdf = await renderCertificate(summarizePolicy(policy, product), { createdAt: clock.now() });
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${id}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(pdf);
      }
      throw notFound(`booking ${id}`, 'id');
    },
  );
}
