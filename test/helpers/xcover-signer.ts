import { createHmac } from 'node:crypto';

/**
 * An XCover client's request signing, written from the client library's behaviour and independent of
 * src/signing/http-signature.ts, so the tests check Protego against the client, not against
 * itself: `date` header (HTTP date), the string to sign from the header list (`(request-target): <method>
 * <path>` and `<name>: <value>` lines joined by "\n", missing headers skipped), HMAC with the secret,
 * standard base64, then URL-encoded like Python's quote(…, safe='').
 */
export interface XcoverSignOptions {
  method: string;
  /** The full path requested, without query: `/xcover/partners/electroshop/quotes/`. */
  path: string;
  secret: string;
  keyId: string;
  algorithm: 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512' | string;
  /** The `headers` parameter, e.g. '(request-target) date'; undefined leaves it out (meaning `date`). */
  headers?: string;
  /** The Date header; now by default. */
  date?: string;
  /** Encode with the URL-safe alphabet (- _) instead of the standard one: a client bug to refuse. */
  urlSafe?: boolean;
  /** Headers sent besides `date` that a custom header list may name. */
  extra?: Record<string, string>;
}

const PY_QUOTE_EXTRA: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/** Python's urllib.parse.quote(s, safe=''): everything but letters, digits and _.-~ percent-encoded. */
export function pyQuote(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => PY_QUOTE_EXTRA[c]!);
}

export function xcoverStringToSign(
  method: string,
  path: string,
  headerList: string,
  headers: Record<string, string>,
): string {
  const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const parts: string[] = [];
  for (const name of headerList.split(' ').filter((n) => n.length > 0)) {
    if (name === '(request-target)') parts.push(`(request-target): ${method.toLowerCase()} ${path}`);
    else if (byName.has(name.toLowerCase())) parts.push(`${name}: ${byName.get(name.toLowerCase())}`);
  }
  return parts.join('\n');
}

export function xcoverHmacBase64(algorithm: string, secret: string, text: string, urlSafe = false): string {
  const digest = createHmac(algorithm.replace(/^hmac-/, ''), secret)
    .update(text)
    .digest();
  return digest.toString(urlSafe ? 'base64url' : 'base64');
}

/** The headers an XCover client sends for one request: `date` and `authorization`. */
export function signXcover(o: XcoverSignOptions): Record<string, string> {
  const date = o.date ?? new Date().toUTCString();
  const headerList = o.headers ?? 'date';
  const sent = { ...o.extra, date };
  const text = xcoverStringToSign(o.method, o.path, headerList, sent);
  const known = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'].includes(o.algorithm);
  const signature = pyQuote(xcoverHmacBase64(known ? o.algorithm : 'hmac-sha256', o.secret, text, o.urlSafe));
  const params = [
    `keyId="${o.keyId}"`,
    `algorithm="${o.algorithm}"`,
    ...(o.headers !== undefined ? [`headers="${o.headers}"`] : []),
    `signature="${signature}"`,
  ];
  return { ...o.extra, date, authorization: `Signature ${params.join(',')}` };
}

/** Splits `Signature a="1",b="2"` into its parameters, for checking what Protego signs. */
export function parseXcoverAuthorization(header: string): Record<string, string> {
  const match = /^Signature\s+(.*)$/.exec(header);
  if (!match) throw new Error(`not a Signature header: ${header}`);
  return Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}
