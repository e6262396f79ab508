import { WEBHOOK_FORMATTERS } from '../../src/http/app.js';
import { type HandlerOptions, jobHandlers } from '../../src/jobs/handlers.js';
import type { JobHandlers } from '../../src/jobs/worker.js';
import type { Database } from '../../src/storage/database.js';

/** The outbox handlers with the webhook formats the server registers, for tests that build workers. */
export function testHandlers(db: Database, options: Omit<HandlerOptions, 'webhookFormats'>): JobHandlers {
  return jobHandlers(db, { ...options, webhookFormats: WEBHOOK_FORMATTERS });
}
