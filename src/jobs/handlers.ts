import type { CustomerLinks } from '../auth/customer-link.js';
import type { Clock } from '../core/clock.js';
import type { WebhookFormatter } from '../core/webhooks/formatter.js';
import type { Database } from '../storage/database.js';
import { cancellationLetterHandler, letterHandler } from './letters/handler.js';
import type { Mailer } from './letters/mailer.js';
import { webhookHandler } from './webhooks/deliver.js';
import type { JobHandlers } from './worker.js';

export interface HandlerOptions {
  /** Where policy letters go: an SMTP server, or .eml files (see createMailer). */
  mailer: Mailer;
  /** The webhook formats endpoints may name, registered at start (see server.ts). */
  webhookFormats: readonly WebhookFormatter[];
  /** Wall-clock time for transport timestamps (webhook signatures); business time is the store's clock. */
  wallClock?: Clock;
  /** How long a webhook receiver may take to answer (10 s unless told): a test's hanging receiver. */
  webhookTimeoutMs?: number;
  /** Signs the customer-page link each policy letter carries; without it, letters carry none. */
  customerLinks?: CustomerLinks;
}

/** One handler per kind of job in the outbox. */
export function jobHandlers(db: Database, options: HandlerOptions): JobHandlers {
  return {
    webhook: webhookHandler(db, options.webhookFormats, options.wallClock, options.webhookTimeoutMs),
    policy_letter: letterHandler(db, options.mailer, options.customerLinks),
    cancellation_letter: cancellationLetterHandler(db, options.mailer),
  };
}
