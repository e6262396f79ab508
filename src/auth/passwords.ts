import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../core/console/user.js';

/** Console passwords as argon2id hashes (the library's defaults: OWASP's minimum memory and passes). */
export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password),
  async verify(stored, password) {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};
