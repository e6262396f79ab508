import { DEMO_CREDENTIALS } from '../../src/demo/catalog.js';
import type { TestApp } from './app.js';
import { ADMIN_TOKEN } from './constants.js';
import { socgenToken } from './socgen.js';
import { signXcover } from './xcover-signer.js';

/**
 * The demo partner's real credentials for a request to any API, each the way its own clients send them
 * (tokens fetched once): what a test that walks every operation needs so its requests reach validation
 * and the core rather than stopping at a 401.
 */
export async function apiCredentials(
  t: TestApp,
): Promise<(url: string, method: string) => Record<string, string>> {
  const omocom = (
    await t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      payload: { grant_type: 'client_credentials', ...DEMO_CREDENTIALS.oauth },
    })
  ).json().access_token as string;
  const socgen = await socgenToken(t, DEMO_CREDENTIALS.oauth.client_id, DEMO_CREDENTIALS.oauth.client_secret);
  return (url, method) => {
    if (url.startsWith('/socgen/baas/prod/insurance/')) return { authorization: `Bearer ${socgen}` };
    if (url.startsWith('/admin/')) return { authorization: `Bearer ${ADMIN_TOKEN}` };
    if (url.startsWith('/v1/')) return { authorization: `Bearer ${DEMO_CREDENTIALS.api_key}` };
    if (url.startsWith('/omocom/v1.3/')) return { authorization: `Bearer ${omocom}` };
    // The guide's own header; the demo's test key reaches sandbox (live answers 401 in its format).
    if (url.startsWith('/hakuna/')) return { bearer: DEMO_CREDENTIALS.api_key };
    if (url.startsWith('/sitoo/')) {
      const { client_id, client_secret } = DEMO_CREDENTIALS.oauth;
      return {
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
        'store-id': 'store-1',
        'request-id': 'fuzz',
      };
    }
    if (url.startsWith('/xcover/partners/'))
      return signXcover({
        method,
        path: url.split('?')[0]!,
        secret: DEMO_CREDENTIALS.hmac.secret,
        keyId: DEMO_CREDENTIALS.hmac.key_id,
        algorithm: 'hmac-sha512',
        headers: '(request-target) date',
      });
    return {};
  };
}
