import type { OutboundEvent } from '../notifications/event.js';
import type { WebhookEndpoint } from './endpoint.js';

/** What goes over the wire for one delivery: headers (signatures included) and the body, as sent. */
interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * One way of shaping and signing deliveries, named as endpoints name it in `format`. Each API folder
 * provides its own (the native API Standard Webhooks, XCover its booking events); the server registers
 * them at start and the delivery job picks one by the endpoint's format, knowing none of them itself.
 * `now` is wall-clock time, for the receiver's replay check, not business time.
 */
export interface WebhookFormatter {
  readonly name: string;
  build(event: OutboundEvent, endpoint: WebhookEndpoint, now: Date): WebhookRequest;
}
