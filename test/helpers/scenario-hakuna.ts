import type { TestApp } from './app.js';
import { type Answer, answer, type Json } from './scenario-answer.js';

/**
 * The Hakuna API as the guide's shop and ERP call it, on sandbox with a test key sent the guide's way
 * (`Bearer: sk_test_…`), plus the native API's view of the same partner's policies.
 */
export function hakunaApi(t: TestApp, key: string, environment: 'sandbox' | 'live' = 'sandbox') {
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    opts: { body?: Json; query?: Record<string, string | number>; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const query = opts.query
      ? `?${new URLSearchParams(Object.entries(opts.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
      : '';
    return answer(
      await t.app.inject({
        method,
        url: `/hakuna/${environment}${path}${query}`,
        headers: { bearer: key, ...opts.headers },
        ...(opts.body ? { payload: opts.body } : {}),
      }),
    );
  };
  return {
    plans: (query: Record<string, string | number>) => call('GET', '/products/plans', { query }),
    cart: (body: Json, headers?: Record<string, string>) =>
      call('POST', '/carts', { body, ...(headers ? { headers } : {}) }),
    connections: (cartId: string, sessionId: string) =>
      call('GET', `/carts/${cartId}/plan-connections`, { query: { user_session_id: sessionId } }),
    checkout: (body: Json) => call('POST', '/checkouts', { body }),
    event: (body: Json, headers?: Record<string, string>) =>
      call('POST', '/events', { body, ...(headers ? { headers } : {}) }),
    /** The partner's policies of an order, through the native API. */
    async policies(orderId: string): Promise<Json[]> {
      const res = answer(await t.call({ method: 'GET', url: `/v1/policies?order_id=${orderId}`, key }));
      return res.expect(200).data;
    },
  };
}
