import { type Clock, systemClock } from '../../core/clock.js';
import type { Job } from '../../core/notifications/job.js';
import type { WebhookFormatter } from '../../core/webhooks/formatter.js';
import type { Database } from '../../storage/database.js';
import { AttemptFailed, type JobHandler, PermanentFailure } from '../worker.js';

/** How long a receiver may take to answer before the attempt counts as failed (and is retried). */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Sends one event to one endpoint, shaped and signed by the formatter its `format` names (the server
 * registers them: Standard Webhooks, XCover's…). Any 2xx is success. The formatter is given wall-clock
 * time: signature timestamps are for the receiver's replay check, not business time.
 */
export function webhookHandler(
  db: Database,
  formatters: readonly WebhookFormatter[],
  wallClock: Clock = systemClock,
  timeoutMs: number = DELIVERY_TIMEOUT_MS,
): JobHandler {
  const byName = new Map(formatters.map((f) => [f.name, f]));
  return async (job: Job) => {
    const tenant = { partnerId: job.partnerId, mode: job.mode };
    const [event, endpoint] = await Promise.all([
      db.read.notifications.get(tenant, String(job.payload.eventId)),
      db.read.webhooks.get(tenant, String(job.payload.endpointId)),
    ]);
    if (!event || !endpoint) throw new PermanentFailure('the event or the endpoint no longer exists');
    if (!endpoint.enabled) throw new PermanentFailure('the endpoint is disabled');
    const formatter = byName.get(endpoint.format);
    if (!formatter) throw new PermanentFailure(`no webhook format "${endpoint.format}" is registered`);
    const { headers, body } = formatter.build(event, endpoint, wallClock.now());
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
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
