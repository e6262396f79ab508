import { Type } from 'typebox';
import { CoreError, notFound } from '../../core/errors.js';
import { renderCertificate } from '../../jobs/letters/certificate.js';
import { summarizePolicy } from '../../jobs/letters/summary.js';
import type { App } from '../context.js';
import { IdParams } from './schemas.js';

/** The certificate of insurance, the same PDF the policyholder's letter carries. */
export async function certificateRoutes(app: App): Promise<void> {
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
      const { store, clock } = app.protego;
      const policy = await store.read.policies.get(request.tenant, request.params.id);
      if (!policy) throw notFound('policy', 'id');
      if (!policy.boundAt) {
        throw new CoreError(
          'invalid_transition',
          `policy ${policy.id} was never bound: it has no certificate`,
          [{ field: 'id', message: `the policy is ${policy.status}; bind it first` }],
        );
      }
      const product = await store.read.products.get(policy.productCode);
      if (!product) throw notFound('product');
      const pdf = await renderCertificate(summarizePolicy(policy, product), { createdAt: clock.now() });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${policy.id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
}
