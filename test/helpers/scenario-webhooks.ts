import { Webhook } from 'standardwebhooks';
import type { Received, startReceiver } from './receiver.js';
import type { Json } from './scenario-answer.js';
import { parseXcoverAuthorization, pyQuote, xcoverHmacBase64, xcoverStringToSign } from './xcover-signer.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
export type WebhookFormat = 'standard' | 'xcover';

/** One request a webhook receiver got, its signature checked. */
interface Delivery {
  /** The event id (`webhook-id`, or `x-webhook-id` for XCover): the same on every retry. */
  id: string;
  /** `policy.activated`, or the XCover event name (`BOOKING_CREATED`). */
  type: string;
  /** The verified payload: `{id, type, timestamp, data}`, or XCover's `{event, payload}`. */
  body: Json;
  /** What the receiver answered. */
  status: number;
  headers: Record<string, string>;
  raw: string;
}

/** An endpoint the scenario registered, and the receiver behind it. */
interface Endpoint {
  id: string;
  secret: string;
  format: WebhookFormat;
  receiver: Receiver;
}

/**
 * The deliveries of one or more endpoints. Each is verified when read, with the endpoint's secret, the way
 * its receiver would: Standard Webhooks, or XCover's Signature header checked by the tests' own signer.
 */
export class Webhooks {
  readonly #endpoints: () => Endpoint[];
  constructor(endpoints: () => Endpoint[]) {
    this.#endpoints = endpoints;
  }

  /** Every request received, failed attempts and retries included, endpoint by endpoint. */
  deliveries(): Delivery[] {
    return this.#endpoints().flatMap((e) => e.receiver.received.map((r) => verified(e, r)));
  }

  /** Accepted deliveries, one per event, in the order the events happened (event ids sort by time). */
  events(): Delivery[] {
    const byId = new Map(this.deliveries().flatMap((d) => (d.status < 300 ? [[d.id, d] as const] : [])));
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  ofType(type: string): Delivery[] {
    return this.events().filter((d) => d.type === type);
  }
}

function verified(endpoint: Endpoint, r: Received): Delivery {
  const headers = r.headers as Record<string, string>;
  if (endpoint.format === 'standard') {
    const body = new Webhook(endpoint.secret).verify(r.body, headers) as Json;
    return { id: headers['webhook-id']!, type: body.type, body, status: r.status, headers, raw: r.body };
  }
  const auth = parseXcoverAuthorization(headers.authorization!);
  const path = new URL(endpoint.receiver.url).pathname;
  const text = xcoverStringToSign('POST', path, auth.headers!, { date: headers.date! });
  if (auth.signature !== pyQuote(xcoverHmacBase64(auth.algorithm!, endpoint.secret, text)))
    throw new Error(`XCover webhook signature does not verify: ${headers.authorization}`);
  const body = JSON.parse(r.body) as Json;
  return { id: headers['x-webhook-id']!, type: body.event, body, status: r.status, headers, raw: r.body };
}

/** The deliveries of one endpoint, with the endpoint itself (its id, secret and receiver). */
export class Subscription extends Webhooks {
  constructor(readonly endpoint: Endpoint) {
    super(() => [endpoint]);
  }
}
