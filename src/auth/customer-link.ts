import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Mode } from '../core/partners/partner.js';

/** What a customer's link names: one policy of one tenant. The link itself is the credential. */
export interface CustomerLink {
  partnerId: string;
  mode: Mode;
  policyId: string;
}

/** Signs and reads the links in policy letters; the jobs sign them, the customer pages read them. */
export interface CustomerLinks {
  /** Where the customer pages are served, without a trailing slash: `https://insurer.example`. */
  baseUrl: string;
  key: LinkKey;
}

/** The links' signing key: `customerLinkKey`'s, or raw bytes. */
type LinkKey = KeyObject | Uint8Array;

const AUDIENCE = 'protego/customer';
const DAY_MS = 86_400_000;
/** Claims may be filed after cover ends: the link outlives the cover by a year. */
const AFTER_COVER_DAYS = 365;
/** A policy without an end date yet (cover from delivery) gets a link for three years. */
const UNDATED_DAYS = 3 * 365;

/** Derived keys by the key they came from: one per process, not one per link signed. */
const derived = new WeakMap<Uint8Array, KeyObject>();

/**
 * The links' own key, derived from the access-token key so there is no other secret to keep. As a key
 * object, derived once: a page of 100 XCover bookings signs 100 links, and deriving and importing the
 * key for each was a fifth of the page's time.
 */
export function customerLinkKey(tokenKey: Uint8Array): KeyObject {
  let key = derived.get(tokenKey);
  if (!key) {
    key = createSecretKey(
      new Uint8Array(hkdfSync('sha256', tokenKey, 'protego', 'protego/customer-links/v1', 32)),
    );
    derived.set(tokenKey, key);
  }
  return key;
}

/** When a link to this policy stops working. */
function linkExpiry(coverageEnd: Date | null, now: Date): Date {
  return coverageEnd
    ? new Date(Math.max(coverageEnd.getTime(), now.getTime()) + AFTER_COVER_DAYS * DAY_MS)
    : new Date(now.getTime() + UNDATED_DAYS * DAY_MS);
}

export async function signCustomerToken(
  key: LinkKey,
  link: CustomerLink,
  now: Date,
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({ pid: link.partnerId, mode: link.mode })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(link.policyId)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

/** The page of a policy, as a letter links it. */
export async function customerUrl(
  links: CustomerLinks,
  link: CustomerLink,
  coverageEnd: Date | null,
  now: Date,
): Promise<string> {
  const token = await signCustomerToken(links.key, link, now, linkExpiry(coverageEnd, now));
  return `${links.baseUrl}/my/${token}`;
}

/** What a token names, or why it names nothing (`expired`, `invalid`). */
export async function readCustomerToken(
  key: LinkKey,
  token: string,
  now: Date,
): Promise<CustomerLink | 'expired' | 'invalid'> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
    });
    const mode = payload.mode;
    if (typeof payload.pid !== 'string' || (mode !== 'test' && mode !== 'live') || !payload.sub)
      return 'invalid';
    return { partnerId: payload.pid, mode, policyId: payload.sub };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return 'expired';
    if (error instanceof errors.JOSEError) return 'invalid';
    throw error;
  }
}

/**
 * The CSRF token of a link's forms: derived from the link token, so a form posts only with the
 * credential it was served under, and nothing is kept between requests.
 */
export function formToken(key: LinkKey, token: string): string {
  return createHmac('sha256', key).update(`csrf:${token}`).digest('base64url');
}
