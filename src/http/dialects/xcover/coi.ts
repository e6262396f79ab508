import { Type } from 'typebox';
import { sameSecret } from '../../../auth/secrets.js';
import { notFound } from '../../../core/errors.js';
import type { Mode } from '../../../core/partners/partner.js';
import { certifiedPolicy } from '../../../core/policies/certificate.js';
import { renderCertificate } from '../../../jobs/letters/certificate.js';
import { summarizePolicy } from '../../../jobs/letters/summary.js';
import { type App, readDeps } from '../../context.js';
import { sendPdf } from '../../pdf.js';
import { findBooking, findPackage } from './packages.js';
import { PdfResponse } from './response-schemas.js';

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
        response: { 200: PdfResponse },
      },
    },
    async (request, reply) => {
      const { db, clock } = app.protego;
      const id = request.params.file.replace(/\.pdf$/, '');
      const partner = await db.read.partners.getByCode(request.params.partner);
      for (const mode of partner ? MODES : []) {
        const tenant = { partnerId: partner!.id, mode };
        const pkg = await findPackage(db.read, tenant, id);
        if (!pkg || !sameSecret(pkg.data.security_token, request.query.security_token)) continue;
        const booking = await findBooking(db.read, tenant, id);
        const booked = request.query.quote
          ? booking?.data.quotes.find((q) => q.id === request.query.quote)
          : booking?.data.quotes[0];
        if (!booked) break;
        const { policy, product } = await certifiedPolicy(readDeps(app.protego), tenant, booked.policyId);
        const pdf = await renderCertificate(summarizePolicy(policy, product), { createdAt: clock.now() });
        return sendPdf(reply, `${id}.pdf`, pdf);
      }
      throw notFound(`booking ${id}`, 'id');
    },
  );
}
