import type { FastifyReply, FastifyRequest } from 'fastify';
import { argon2Passwords } from '../../auth/passwords.js';
import { nodeSecrets } from '../../auth/secrets.js';
import { systemClock } from '../../core/clock.js';
import { sessionUser, signIn, signOut } from '../../core/console/sessions.js';
import type { ConsoleUser } from '../../core/console/user.js';
import { isCoreError } from '../../core/errors.js';
import type { ConsoleContext } from './context.js';
import { page, statusOf } from './render.js';

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser?: ConsoleUser;
  }
}

const COOKIE = 'protego_console';

const sessionDeps = (ctx: ConsoleContext) => ({
  repos: ctx.app.protego.db.read,
  clock: ctx.app.protego.wallClock ?? systemClock,
  secrets: nodeSecrets,
});

/** Only a path inside the console: a `next` pointing elsewhere would make sign-in an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes('//')
    ? next
    : '/console';
}

export async function requireUser(ctx: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[COOKIE];
  const user = token ? await sessionUser(sessionDeps(ctx), token) : undefined;
  if (!user) return reply.redirect(`/console/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  request.consoleUser = user;
}

export async function sessionPages(ctx: ConsoleContext): Promise<void> {
  const { app } = ctx;
  app.get<{ Querystring: { next?: string } }>('/sign-in', { schema: { hide: true } }, (request, reply) =>
    page(ctx, request, reply, 'sign-in', { title: 'Sign in', next: safeNext(request.query.next), email: '' }),
  );

  app.post<{ Body: { email?: string; password?: string; next?: string } }>(
    '/sign-in',
    { schema: { hide: true } },
    async (request, reply) => {
      const email = String(request.body?.email ?? '');
      const next = safeNext(request.body?.next);
      try {
        const { token, session } = await signIn(
          { ...sessionDeps(ctx), hasher: argon2Passwords },
          { email, password: String(request.body?.password ?? ''), source: request.ip },
          ...(ctx.signInAttempts ? [ctx.signInAttempts] : []),
        );
        reply.setCookie(COOKIE, token, {
          path: '/console',
          httpOnly: true,
          sameSite: 'lax',
          secure: 'auto',
          expires: session.expiresAt,
        });
        return reply.redirect(next, 303);
      } catch (error) {
        if (!isCoreError(error) || (error.code !== 'unauthenticated' && error.code !== 'rate_limited'))
          throw error;
        const message =
          error.code === 'rate_limited'
            ? 'Too many sign-in attempts from your address. Wait a few minutes and try again.'
            : 'Wrong e-mail address or password.';
        return page(
          ctx,
          request,
          reply,
          'sign-in',
          { title: 'Sign in', next, email, message },
          statusOf(error),
        );
      }
    },
  );

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[COOKIE];
    if (token) await signOut(sessionDeps(ctx), token);
    reply.clearCookie(COOKIE, { path: '/console' });
    return reply.redirect('/console/sign-in', 303);
  });
}
