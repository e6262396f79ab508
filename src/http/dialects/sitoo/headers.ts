import type { FastifyRequest } from 'fastify';

/** A Sitoo header's value (API-Version, Store-ID, Staff-ID…); an empty one counts as absent. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
