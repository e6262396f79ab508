import type { FastifyInstance } from 'fastify';

/**
 * A client posting no body as JSON (`Content-Type: application/json` and nothing, as .NET's and Python's
 * HTTP clients send an accept or cancel without content) posts no body (`null`): the route's schema says
 * whether it needs one. Any other text is parsed as JSON by Fastify's own parser.
 */
export function emptyJsonBodyIsNull(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, null);
    return json(request, text, done);
  });
}
