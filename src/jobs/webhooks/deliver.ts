import { Webhook } from 'standardwebhooks';
import { type Clock, systemClock } from '../../core/clock.js';
import type { OutboundEvent } from '../../core/notifications/event.js';
import type { Job } from '../../core/notifications/job.js';
import { signingSecrets, type WebhookEndpoint } from '../../core/webhooks/endpoint.js';
import type { Database } from '../../storage/database.js';
import { AttemptFailed, type JobHandler, PermanentFailure } from '../worker.js';
import { renderStandard } from './render.js';
import { xcoverWebhookRequest } from './xcover.js';

const TIMEOUT_MS = 10_000;

/** The Standard Webhooks body and signature headers for one delivery. */
function standardRequest(
  event: OutboundEvent,
  endpoint: WebhookEndpoint,
  now: Date,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(renderStandard(event));
  const signature = signingSecrets(endpoint, now)
    .map((secret) => new Webhook(secret).sign(event.id, now, body))
    .join(' ');
  return {
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
}

/**
 * Sends one event to one endpoint, shaped and signed as its `format` says (XCover's: see xcover.ts),
 * by default signed per Standard Webhooks: `webhook-id` is the event id (the same
 * on every retry, so receivers can drop repeats), `webhook-timestamp` the sending time in seconds, and
 * `webhook-signature` one `v1,…` per valid secret (two during a rotation). Any 2xx is success.
 * The timestamp is wall-clock time: it is for the receiver's replay check, not business time.
 */
export function webhookHandler(db: Database, wallClock: Clock = systemClock): JobHandler {
  return async (job: Job) => {
    const tenant = { partnerId: job.partnerId, mode: job.mode };
    const [event, endpoint] = await Promise.all([
      db.read.notifications.get(tenant, String(job.payload.event_id)),
      db.read.webhooks.get(tenant, String(job.payload.endpoint_id)),
    ]);
    if (!event || !endpoint) throw new PermanentFailure('the event or the endpoint no longer exists');
    if (!endpoint.enabled) throw new PermanentFailure('the endpoint is disabled');
    const now = wallClock.now();
    const { headers, body } =
      endpoint.format === 'xcover'
        ? xcoverWebhookRequest(event, endpoint, now)
        : standardRequest(event, endpoint, now);
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Protego-Webhooks/1.0',
          ...headers,
        },
        body,
      });
    } catch (error) {
      throw new AttemptFailed(`could not reach the endpoint: ${(error as Error).message}`);
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) {
      throw new AttemptFailed(`the endpoint answered ${response.status}`, response.status);
    }
    return { responseStatus: response.status };
  };
}
