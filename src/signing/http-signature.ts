import { createHmac, timingSafeEqual } from 'node:crypto';
import { CoreError } from '../core/errors.js';

/**
 * XCover's request signing (it lives outside src/http because both the XCover API's authentication and
 * XCover-format webhooks use it), as its client library (CoverGenius/xcover-python) does it: an HTTP
 * Signatures (draft-cavage) `Authorization: Signature keyId="…",algorithm="hmac-sha512",
 * headers="(request-target) date",signature="…"` whose signature is an HMAC of the listed headers,
 * in standard base64 (+ / =) and then URL-encoded (%2B %2F %3D).
 *
 * The string to sign has one line per name in `headers`, joined with "\n":
 * `(request-target): <lower-case method> <path without query>` for `(request-target)`, and
 * `<name>: <value>` for a header; headers the request does not carry are left out.
 *
 * Everything here is pure: the verifier (xcover/authenticate.ts) and the webhook signer
 * (xcover/webhook-format.ts) share `stringToSign` and `signatureOf`, so both ends of Protego sign the same way.
 */

const XCOVER_ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;
export type XcoverAlgorithm = (typeof XCOVER_ALGORITHMS)[number];

const HASHES: Record<XcoverAlgorithm, string> = {
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
};

/** How far the Date header may be from the server's clock, either way. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What the verifier needs of a request; a FastifyRequest is one. */
export interface SignedRequestLike {
  method: string;
  /** The raw request URL, path and query, as received (`/xcover/partners/…/quotes/?x=1`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface SignatureParams {
  keyId: string;
  algorithm: XcoverAlgorithm;
  /** The names in `headers`, in order; `['date']` when the parameter is absent. */
  headers: string[];
  /** The signature's bytes (percent-decoded, then base64-decoded). */
  signature: Buffer;
}

/** Every XCover authentication refusal: the XCover error handler answers it 401 authentication_error. */
export function refusal(message: string): CoreError {
  return new CoreError('unauthenticated', message, [{ field: 'Authorization', message }]);
}

function headerValue(headers: SignedRequestLike['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

/** The request path the client signed: the raw URL up to its query string. */
function requestPath(url: string): string {
  return url.split('?')[0] ?? '';
}

/** The lines of the string to sign, joined with "\n". Header names are matched case-insensitively. */
function stringToSign(
  method: string,
  path: string,
  names: readonly string[],
  header: (name: string) => string | undefined,
): string {
  const lines: string[] = [];
  for (const name of names) {
    if (name.toLowerCase() === '(request-target)') {
      lines.push(`(request-target): ${method.toLowerCase()} ${path}`);
      continue;
    }
    const value = header(name);
    if (value !== undefined) lines.push(`${name}: ${value}`);
  }
  return lines.join('\n');
}

/** The raw HMAC of a string to sign. */
function signatureOf(algorithm: XcoverAlgorithm, secret: string, text: string): Buffer {
  return createHmac(HASHES[algorithm], Buffer.from(secret, 'utf8')).update(text, 'utf8').digest();
}

/** Standard base64, then URL-encoded, as `signature="…"` carries it. */
function encodeSignature(signature: Buffer): string {
  return encodeURIComponent(signature.toString('base64'));
}

/** An HTTP date (RFC 7231 IMF-fixdate): `Fri, 24 Sep 2021 03:29:20 GMT`. */
export function httpDate(at: Date): string {
  return at.toUTCString();
}

/**
 * Signs a request: returns the `Authorization` header value. `headers` are the request's headers
 * (any case) that the signed names refer to.
 */
export function signRequest(input: {
  method: string;
  path: string;
  headers: Record<string, string>;
  keyId: string;
  secret: string;
  algorithm?: XcoverAlgorithm;
  signedHeaders?: readonly string[];
}): string {
  const algorithm = input.algorithm ?? 'hmac-sha512';
  const names = input.signedHeaders ?? ['(request-target)', 'date'];
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const text = stringToSign(input.method, input.path, names, (name) => lower[name.toLowerCase()]);
  const signature = encodeSignature(signatureOf(algorithm, input.secret, text));
  return `Signature keyId="${input.keyId}",algorithm="${algorithm}",headers="${names.join(' ')}",signature="${signature}"`;
}

/** `key="value"` pairs, separated by commas with optional spaces; values may be unquoted tokens. */
function parseParams(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  const pair = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|([^\s,"]*))\s*(?:,|$)/y;
  let at = 0;
  while (at < text.length) {
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (!match || match[0].length === 0) return undefined;
    params.set(match[1]!, match[2] ?? match[3] ?? '');
    at = pair.lastIndex;
  }
  return params;
}

const SIGNATURE_FORM =
  'send Authorization: Signature keyId="<API key>",algorithm="hmac-sha512",headers="(request-target) date",signature="<URL-encoded base64 HMAC>"';

/** Parses `Authorization: Signature …`, refusing each way it can be wrong with its own message. */
function parseSignatureHeader(authorization: string | undefined): SignatureParams {
  if (!authorization || authorization.trim() === '')
    throw refusal(`missing Authorization header: ${SIGNATURE_FORM}`);
  const scheme = /^\s*(\S+)(?:\s+(.*))?$/s.exec(authorization);
  if (scheme?.[1]?.toLowerCase() !== 'signature') {
    throw refusal(`the Authorization header is not a Signature: ${SIGNATURE_FORM}`);
  }
  const params = parseParams(scheme[2]?.trim() ?? '');
  if (!params) throw refusal(`the Signature parameters cannot be read: ${SIGNATURE_FORM}`);
  const keyId = params.get('keyId');
  if (!keyId) throw refusal('the Signature has no keyId: put the API key in keyId="…"');
  const algorithm = params.get('algorithm');
  if (!algorithm) throw refusal(`the Signature has no algorithm: use one of ${XCOVER_ALGORITHMS.join(', ')}`);
  if (!(XCOVER_ALGORITHMS as readonly string[]).includes(algorithm.toLowerCase())) {
    throw refusal(
      `unsupported signature algorithm "${algorithm}": use one of ${XCOVER_ALGORITHMS.join(', ')}`,
    );
  }
  const headersParam = params.get('headers');
  const headers =
    headersParam === undefined ? ['date'] : headersParam.split(' ').filter((name) => name.length > 0);
  if (!headers.some((name) => name.toLowerCase() === 'date')) {
    throw refusal('the signed headers must include date (headers="(request-target) date")');
  }
  const encoded = params.get('signature');
  if (!encoded) throw refusal('the Signature has no signature value');
  return {
    keyId,
    algorithm: algorithm.toLowerCase() as XcoverAlgorithm,
    headers,
    signature: decodeSignature(encoded),
  };
}

function decodeSignature(encoded: string): Buffer {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw refusal('the signature is not properly URL-encoded');
  }
  if (/[-_]/.test(decoded)) {
    throw refusal(
      'the signature is URL-safe base64 (it contains - or _): encode the HMAC in standard base64 (+ / =) and URL-encode that',
    );
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(decoded) || decoded.length % 4 !== 0) {
    throw refusal(
      'the signature is not base64: encode the HMAC in standard base64 (+ / =) and URL-encode that',
    );
  }
  return Buffer.from(decoded, 'base64');
}

/** The Date header must be there, be a date, and be within ±5 minutes of `now` (wall-clock time). */
function checkDate(request: SignedRequestLike, now: Date): void {
  const value = headerValue(request.headers, 'date');
  if (!value) throw refusal('missing Date header: send the current time as an HTTP date and sign it');
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    throw refusal(`the Date header "${value}" is not an HTTP date (e.g. ${httpDate(now)})`);
  }
  const offMs = at - now.getTime();
  if (Math.abs(offMs) > MAX_CLOCK_SKEW_MS) {
    const seconds = Math.round(Math.abs(offMs) / 1000);
    throw refusal(
      `the Date header is ${seconds} s ${offMs < 0 ? 'behind' : 'ahead of'} the server's clock (${httpDate(now)}); at most ${MAX_CLOCK_SKEW_MS / 1000} s either way is accepted`,
    );
  }
}

/** XCover documents `X-Api-Key` with the API key; when sent it must name the key that signed. */
function checkApiKeyHeader(request: SignedRequestLike, keyId: string): void {
  const apiKey = headerValue(request.headers, 'x-api-key');
  if (apiKey !== undefined && apiKey !== keyId) {
    throw refusal('the X-Api-Key header names another key than the Signature keyId');
  }
}

/**
 * Parses the Authorization header and checks what needs no secret: the Date and the X-Api-Key.
 * The caller then looks the keyId up and calls `verifySignature`.
 */
export function readSignedRequest(request: SignedRequestLike, now: Date): SignatureParams {
  const params = parseSignatureHeader(headerValue(request.headers, 'authorization'));
  checkApiKeyHeader(request, params.keyId);
  checkDate(request, now);
  return params;
}

/** Recomputes the HMAC over the request and compares it in constant time. */
export function verifySignature(request: SignedRequestLike, params: SignatureParams, secret: string): void {
  const text = stringToSign(request.method, requestPath(request.url), params.headers, (name) =>
    headerValue(request.headers, name),
  );
  const expected = signatureOf(params.algorithm, secret, text);
  const ok = expected.length === params.signature.length && timingSafeEqual(expected, params.signature);
  if (!ok) {
    throw refusal(
      `signature mismatch: sign "${params.headers.join(' ')}" of ${request.method.toUpperCase()} ${requestPath(request.url)} with the API secret (${params.algorithm})`,
    );
  }
}
