import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets and personal ids at rest (AES-256-GCM). Each value carries its own nonce and
 * tag: `v1.<nonce>.<tag>.<ciphertext>`, base64url.
 *
 * Key rotation: a new key seals from then on; the keys before it, kept as `previous`, still open what
 * they sealed (GCM's tag tells which key a value was sealed with). A previous key can be dropped once
 * nothing sealed with it remains: `protego reseal` (see reseal.ts) seals everything again with the new key.
 */
export class SecretBox {
  readonly #key: Buffer;
  readonly #previous: Buffer[];
  constructor(key: Buffer, previous: Buffer[] = []) {
    for (const k of [key, ...previous])
      if (k.length !== 32) throw new Error('an encryption key must be 32 bytes');
    this.#key = key;
    this.#previous = previous;
  }
  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }
  open(sealed: string): string {
    let failure: unknown;
    for (const key of [this.#key, ...this.#previous]) {
      try {
        return this.#openWith(key, sealed);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
  /**
   * The value sealed again with the current key, or `undefined` when the current key sealed it already
   * (so re-sealing twice changes nothing the second time).
   */
  reseal(sealed: string): string | undefined {
    try {
      this.#openWith(this.#key, sealed);
      return undefined;
    } catch {
      return this.seal(this.open(sealed));
    }
  }
  #openWith(key: Buffer, sealed: string): string {
    const [version, nonce, tag, data] = sealed.split('.');
    if (version !== 'v1' || !nonce || !tag || data === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
