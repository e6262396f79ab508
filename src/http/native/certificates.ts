import { Type } from 'typebox';
import { certifiedPolicy } from '../../core/policies/certificate.js';
import { renderCertificate } from '../../jobs/letters/certificate.js';
import { summarizePolicy } from '../../jobs/letters/summary.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { sendPdf } from '../pdf.js';
import { IdParams } from './schemas.js';

/** The certificate of insurance, the same PDF the policyholder's letter carries. */
export async function certificateRoutes(app: App, _kit: Kit): Promise<void> {
  app.get(
    '/policies/:id/certificate.pdf',
    {
      schema: {
        summary: "A policy's certificate of insurance (PDF)",
        description:
          "The certificate the policyholder received by e-mail, in the policy's language, as the policy stands now. A policy that was only quoted has none (409).",
        tags: ['policies'],
        params: IdParams,
        response: {
          200: {
            description: 'the certificate',
            content: {
              'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { policy, product } = await certifiedPolicy(
        readDeps(app.protego),
        request.tenant,
        request.params.id,
      );
      const pdf = await renderCertificate(summarizePolicy(policy, product), {
        createdAt: app.protego.clock.now(),
      });
      return sendPdf(reply, `${policy.id}.pdf`, pdf);
    },
  );
}
