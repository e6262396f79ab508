import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing headers for one delivery: `webhook-id` is the event id (the same on every
 * retry, so receivers can drop repeats), `webhook-timestamp` the sending time in seconds, and
 * `webhook-signature` one `v1,…` per secret given (two during a rotation).
 */
export function standardWebhookHeaders(
  id: string,
  secrets: readonly string[],
  now: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, now, body)).join(' '),
  };
}
