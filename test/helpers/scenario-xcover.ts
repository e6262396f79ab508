import { xcoverClient } from '../http/xcover/client.js';
import type { TestApp } from './app.js';
import { type Answer, answer, type Json } from './scenario-answer.js';

/** The XCover API as the demo partner calls it, each request signed by the XCover client's scheme. */
export function xcoverApi(t: TestApp) {
  const send = xcoverClient(t);
  const call = async (method: string, path: string, body: unknown = null): Promise<Answer> =>
    answer(await send(method, path, body));
  return {
    quote: (body: Json) => call('POST', 'quotes/', body),
    book: (quotePackageId: string, body: Json) => call('POST', `bookings/${quotePackageId}/`, body),
    instantBooking: (body: Json) => call('POST', 'instant_booking/', body),
    booking: (id: string) => call('GET', `bookings/${id}/`),
    /** Cancels quotes of a booking, or with `preview: true` prices the cancellation for confirming. */
    cancel: (id: string, body: Json) => call('POST', `bookings/${id}/cancel`, body),
    confirmCancellation: (id: string, cancellationId: string) =>
      call('POST', `bookings/${id}/confirm_cancellation/${cancellationId}/`),
    quoteRenewal: (id: string) => call('PATCH', `renewals/${id}/quote_for_renewal/`),
    confirmRenewal: (id: string, renewalId: string) => call('POST', `renewals/${id}/confirm/${renewalId}/`),
    optOutOfRenewal: (id: string) => call('POST', `renewals/${id}/opt_out/`),
    payInstalments: (id: string, body: Json) => call('POST', `bookings/${id}/instalments/`, body),
    instalments: (id: string) => call('GET', `bookings/${id}/instalments/`),
  };
}
