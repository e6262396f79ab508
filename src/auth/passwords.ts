import type { PasswordHasher } from '../core/console/user.js';

// Loaded at the first sign-in or new console user: the native module was a tenth of the server's start.
const argon2 = () => import('@node-rs/argon2');

/** Console passwords as argon2id hashes (the library's defaults: OWASP's minimum memory and passes). */
export const argon2Passwords: PasswordHasher = {
  hash: async (password) => (await argon2()).hash(password),
  async verify(stored, password) {
    try {
      return await (await argon2()).verify(stored, password);
    } catch {
      return false;
    }
  },
};
