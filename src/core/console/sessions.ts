import { countFailedAttempt } from '../access/failed-attempts.js';
import type { Clock } from '../clock.js';
import { CoreError } from '../errors.js';
import type { Repositories, Secrets } from '../ports.js';
import type { ConsoleSession, ConsoleUser, PasswordHasher } from './user.js';

/** A session lasts a working day; signing in again starts a new one. */
const SESSION_MS = 12 * 3_600_000;

/**
 * Sign-in attempts per client address and window. Every attempt counts, not only refused ones: counting
 * failures alone would still tell a guesser past the limit which guess was right.
 */
const SIGN_IN_ATTEMPTS = { limit: 20, windowMs: 15 * 60_000 };

interface SessionDeps {
  repos: Repositories;
  /** Wall-clock time: sessions expire in real time, whatever the business clock says. */
  clock: Clock;
  secrets: Secrets;
}

const refused = () =>
  new CoreError('unauthenticated', 'wrong e-mail address or password', [
    { field: 'password', message: 'wrong e-mail address or password' },
  ]);

/** Checks the password and starts a session; returns the token for the cookie (only its hash is kept). */
export async function signIn(
  deps: SessionDeps & { hasher: PasswordHasher },
  input: { email: string; password: string; source: string },
  rule = SIGN_IN_ATTEMPTS,
): Promise<{ user: ConsoleUser; token: string; session: ConsoleSession }> {
  await countFailedAttempt(deps, `console-sign-in:${input.source}`, rule);
  const found = await deps.repos.consoleUsers.byEmail(input.email.trim());
  if (!found || !(await deps.hasher.verify(found.passwordHash, input.password))) throw refused();
  const token = deps.secrets.randomToken(32);
  const now = deps.clock.now();
  const session: ConsoleSession = {
    tokenHash: deps.secrets.hash(token),
    userId: found.user.id,
    partnerId: found.user.partnerId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_MS),
  };
  await deps.repos.consoleSessions.add(session);
  return { user: found.user, token, session };
}

/** The user a session token belongs to, while the session lasts. */
export async function sessionUser(deps: SessionDeps, token: string): Promise<ConsoleUser | undefined> {
  const session = await deps.repos.consoleSessions.get(deps.secrets.hash(token));
  if (!session || session.expiresAt <= deps.clock.now()) return undefined;
  return deps.repos.consoleUsers.get(session.userId);
}

export async function signOut(deps: SessionDeps, token: string): Promise<void> {
  await deps.repos.consoleSessions.remove(deps.secrets.hash(token));
}
