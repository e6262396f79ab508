import { readdirSync, readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_CREDENTIALS } from '../../../src/demo/catalog.js';
import type { TestApp } from '../../helpers/app.js';
import { signXcover } from '../../helpers/xcover-signer.js';

/** One recorded call of the public XCover API, as the python client's cassettes hold it. */
export interface Interaction {
  method: string;
  path: string;
  request_body: unknown;
  status: number;
  response_body: unknown;
}

/** Copied from ../shared/reference/xcover-cassettes: the recordings travel with the tests. */
const CASSETTES = new URL('../../fixtures/xcover-cassettes/', import.meta.url);

export function cassetteNames(): string[] {
  return readdirSync(CASSETTES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function cassette(name: string): Interaction[] {
  const raw = JSON.parse(readFileSync(new URL(`${name}.json`, CASSETTES), 'utf8')) as Interaction[];
  return raw.map((i) => ({
    ...i,
    response_body:
      typeof i.response_body === 'string' && i.response_body.length > 0
        ? JSON.parse(i.response_body.replaceAll('\uFFFD', '£'))
        : i.response_body,
  }));
}

/**
 * Sends requests as the xcover-python client does: JSON body (`null` when there is none, even on GET),
 * a `date` header and the Signature made with the demo partner's HMAC key over `(request-target) date`
 * with hmac-sha512, signed by the test's own signer.
 */
export function xcoverClient(
  t: TestApp,
  opts: {
    partner?: string;
    hmac?: { key_id: string; secret: string };
    date?: () => string;
    /** Where the API is reached: `/xcover` (the default), or `` as a base URL without its slash makes it. */
    base?: string;
  } = {},
) {
  const partner = opts.partner ?? 'electroshop';
  const hmac = opts.hmac ?? DEMO_CREDENTIALS.hmac;
  return async (
    method: string,
    path: string,
    body: unknown = null,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> => {
    const url = `${opts.base ?? '/xcover'}/partners/${partner}/${path.replace(/^\//, '')}`;
    const signed = signXcover({
      method,
      path: url.split('?')[0]!,
      secret: hmac.secret,
      keyId: hmac.key_id,
      algorithm: 'hmac-sha512',
      headers: '(request-target) date',
      ...(opts.date ? { date: opts.date() } : {}),
    });
    return t.app.inject({
      method: method as 'GET',
      url,
      headers: { 'content-type': 'application/json', ...signed, ...headers },
      payload: JSON.stringify(body),
    });
  };
}

/**
 * Whether `ours` has every field `theirs` has, with the same JSON type (null matches anything: fields
 * the recording left empty may be filled here and the reverse). Returns the paths that differ.
 */
export function shapeDiff(
  theirs: unknown,
  ours: unknown,
  path = '',
  ignore: (p: string) => boolean = () => false,
): string[] {
  if (ignore(path) || theirs === null || ours === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
  if (kind(theirs) !== kind(ours)) return [`${path}: ${kind(theirs)} recorded, ${kind(ours)} here`];
  if (Array.isArray(theirs)) {
    const ourList = ours as unknown[];
    if (theirs.length === 0 || ourList.length === 0) return [];
    return shapeDiff(theirs[0], ourList[0], `${path}/0`, ignore);
  }
  if (typeof theirs === 'object') {
    const ourObject = ours as Record<string, unknown>;
    return Object.entries(theirs as Record<string, unknown>).flatMap(([key, value]) =>
      key in ourObject
        ? shapeDiff(value, ourObject[key], `${path}/${key}`, ignore)
        : ignore(`${path}/${key}`)
          ? []
          : [`${path}/${key}: missing`],
    );
  }
  return [];
}
