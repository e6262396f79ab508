import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Secrets } from '../core/ports.js';

/** Random, URL-safe secret material. */
function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** API keys and client secrets are long random strings, so one SHA-256 is a sound one-way hash for them. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The core's secrets port, over node:crypto. */
export const nodeSecrets: Secrets = { randomToken, hash: hashSecret };

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
