import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/context.js';
import { claimPages } from './claims.js';
import type { ConsoleContext } from './context.js';
import { dashboardPages } from './dashboard.js';
import { partnerPages } from './partners.js';
import { policyPages } from './policies.js';
import { productPages } from './products.js';
import { renderError, views } from './render.js';
import { sellPages } from './sell.js';
import { requireUser, sessionPages } from './session.js';
import { statementPages } from './statements.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Chart.js's self-contained build, served from our origin: the CSP allows no other. */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/**
 * The operations console under /console: its own security headers, cookies, CSRF tokens and HTML error
 * pages, encapsulated so that the other web areas' choices do not leak in or out.
 */
export async function consolePages(app: App, opts: { signInAttempts?: { limit: number; windowMs: number } }) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'protego_console_csrf',
    cookieOpts: { path: '/console', httpOnly: true, sameSite: 'strict', secure: 'auto' },
  });
  await app.register(fastifyStatic, { root: join(HERE, 'assets'), prefix: '/assets/', decorateReply: false });
  const chartJs = readFileSync(CHART_JS);
  app.get('/assets/chart.umd.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(chartJs),
  );

  const ctx: ConsoleContext = {
    app,
    views: views(join(HERE, 'views')),
    ...(opts.signInAttempts ? { signInAttempts: opts.signInAttempts } : {}),
  };
  app.setErrorHandler((error, request, reply) => renderError(ctx, request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    renderError(ctx, request, reply, Object.assign(new Error('no such page'), { statusCode: 404 })),
  );
  // Every POST carries the form's CSRF token, read from the parsed form (so not before preValidation); the
  // sign-in form too, against signing a victim in as someone else.
  app.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (request.method === 'POST') app.csrfProtection(request, reply, done);
    else done();
  });
  await sessionPages(ctx);
  // Every page below needs a signed-in user.
  await app.register(async (pages) => {
    pages.addHook('preHandler', (request, reply) => requireUser(ctx, request, reply));
    const scoped = { ...ctx, app: pages as App };
    for (const page of [
      dashboardPages,
      sellPages,
      policyPages,
      claimPages,
      productPages,
      partnerPages,
      statementPages,
    ])
      await page(scoped);
  });
}
