import type { FastifyReply } from 'fastify';

/** A certificate shown inline and kept out of shared caches: it names the policyholder. */
export function sendPdf(reply: FastifyReply, filename: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
