import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import type { TestApp } from './app.js';
import { type Answer, answer } from './scenario-answer.js';

/**
 * The Omocom API as a web shop calls it for one partner and market: bodies are JSON text, sent as given
 * (the guide's samples are replayed byte for byte), with the bearer token `signIn` fetched last.
 */
export function omocomApi(t: TestApp, partner: string, market: string) {
  let token = '';
  const call = async (method: 'GET' | 'POST', path: string, payload?: string): Promise<Answer> =>
    answer(
      await t.app.inject({
        method,
        url: `/omocom/v1.3/${partner}/${market}${path}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(payload !== undefined ? { payload } : {}),
      }),
    );
  return {
    /** Fetches an access token with the demo OAuth2 client; later calls carry it. */
    async signIn(): Promise<Answer> {
      const res = answer(
        await t.app.inject({
          method: 'POST',
          url: '/omocom/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: DEMO_CREDENTIALS.oauth.client_id,
            client_secret: DEMO_CREDENTIALS.oauth.client_secret,
          }).toString(),
        }),
      );
      if (res.status === 200) token = res.body.access_token;
      return res;
    },
    createUser: (json: string) => call('POST', '/Users', json),
    createObject: (json: string) => call('POST', '/InsurableObjects', json),
    quoteInsurance: (objectHandle: string, json: string) => call('POST', `/Insurances/${objectHandle}`, json),
    accept: (insuranceId: string) => call('POST', `/Insurances/${insuranceId}/accept`, '[]'),
    insurance: (insuranceId: string) => call('GET', `/Insurances/${insuranceId}`),
    insurancesOf: (ownerHandle: string) => call('GET', `/Users/${ownerHandle}/Insurances`),
  };
}
