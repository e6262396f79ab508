import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** A JSON object read field by field in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: scenarios read answers field by field, as a client does
export type Json = Record<string, any>;

/** What an API call answered: the status, the parsed JSON body, and the raw text for failure messages. */
export interface Answer<T = Json> {
  status: number;
  /** The parsed body; undefined when the answer is not JSON (a PDF, an empty 204). */
  body: T;
  text: string;
  headers: LightMyRequestResponse['headers'];
  /** Asserts the status, with the body as the failure message, and returns the body. */
  expect(status: number): T;
}

export function answer<T = Json>(res: LightMyRequestResponse): Answer<T> {
  const json = String(res.headers['content-type'] ?? '').includes('json') && res.body.length > 0;
  const body = (json ? res.json() : undefined) as T;
  return {
    status: res.statusCode,
    body,
    text: res.body,
    headers: res.headers,
    expect(status) {
      expect(res.statusCode, res.body).toBe(status);
      return body;
    },
  };
}
