/**
 * Someone who signs in to the console. An operator (the insurer's staff) has no partner and sees every
 * partner; a partner user (a merchant's staff) sees its own partner only.
 */
export interface ConsoleUser {
  id: string;
  /** null: an operator. */
  partnerId: string | null;
  email: string;
  name: string;
  createdAt: Date;
}

export type ConsoleRole = 'operator' | 'partner';

export const roleOf = (user: ConsoleUser): ConsoleRole => (user.partnerId ? 'partner' : 'operator');

/** A signed-in session: the cookie holds a random token, the store its hash. */
export interface ConsoleSession {
  tokenHash: string;
  userId: string;
  partnerId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Password hashing, implemented outside the core (argon2id in src/auth). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
