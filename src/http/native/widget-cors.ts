import type { FastifyCorsOptionsDelegateCallback } from '@fastify/cors';
import { isPublishableKey, originAllowed } from '../../core/partners/publishable-keys.js';
import type { Services } from '../context.js';
import { WIDGET_OFFERS } from './offers.js';

/**
 * CORS for the native API: only the widget's offer route, and only for the origins its publishable key
 * allows; every other route and origin gets no CORS headers, so browsers refuse to read the answer.
 */
export function widgetCors(services: Services): FastifyCorsOptionsDelegateCallback {
  return (request, callback) => {
    const key = WIDGET_OFFERS.exec(request.url ?? '')?.[1];
    const origin = request.headers.origin;
    if (!key || !origin || !isPublishableKey(key)) return callback(null, { origin: false });
    services.db.read.credentials.find('publishable_key', key).then(
      (credential) =>
        callback(
          null,
          credential && !credential.revokedAt && originAllowed(credential, origin)
            ? {
                origin,
                methods: ['POST'],
                allowedHeaders: ['content-type', 'idempotency-key'],
                exposedHeaders: ['x-request-id'],
                maxAge: 600,
              }
            : { origin: false },
        ),
      (error: Error) => callback(error, { origin: false }),
    );
  };
}
