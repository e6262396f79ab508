import { CoreError, type FieldError } from '../errors.js';
import { EVENT_TYPES } from '../notifications/event.js';
import type { Mode } from '../partners/partner.js';

/** How deliveries to an endpoint are shaped and signed: Standard Webhooks, or a dialect's own way. */
export const WEBHOOK_FORMATS = ['standard', 'xcover', 'socgen'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface WebhookEndpoint {
  id: string;
  partnerId: string;
  mode: Mode;
  url: string;
  /** Event types delivered; `*` means all. */
  eventTypes: string[];
  format: WebhookFormat;
  description: string | null;
  enabled: boolean;
  /** `whsec_…`, Standard Webhooks style. */
  secret: string;
  /** While a rotation is under way the old secret signs too, so receivers can switch without a gap. */
  previousSecret: string | null;
  previousExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function subscribes(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.enabled && (endpoint.eventTypes.includes('*') || endpoint.eventTypes.includes(type));
}

/** The secrets to sign with now: the current one, and the previous one until it expires. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const previousValid =
    endpoint.previousSecret &&
    endpoint.previousExpiresAt &&
    endpoint.previousExpiresAt.getTime() > now.getTime();
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export function validateEndpointInput(
  input: { url: string; eventTypes: string[] },
  allowHttp: boolean,
): void {
  const errors: FieldError[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.url);
  } catch {
    errors.push({ field: 'url', message: 'not a URL' });
  }
  if (url && url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    errors.push({ field: 'url', message: allowHttp ? 'http or https' : 'live endpoints must use https' });
  }
  if (input.eventTypes.length === 0)
    errors.push({ field: 'eventTypes', message: 'at least one event type, or "*"' });
  input.eventTypes.forEach((t, i) => {
    if (t !== '*' && !(EVENT_TYPES as readonly string[]).includes(t)) {
      errors.push({ field: `eventTypes/${i}`, message: `one of ${EVENT_TYPES.join(', ')} or *` });
    }
  });
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid webhook endpoint', errors);
}
