import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { TEST_TOKEN_KEY } from '../helpers/constants.js';
import { BACKENDS } from '../helpers/database.js';
import { signXcover } from '../helpers/xcover-signer.js';
import { expectProblem } from './support.js';

/**
 * Revoking a credential set (issue #12, authentication): through the admin API, then every API that
 * takes one of its credentials refuses it in its own 401, while another set of the same partner works.
 */
interface IssuedSet {
  set_id: string;
  api_key: string;
  oauth: { client_id: string; client_secret: string };
  hmac: { key_id: string; secret: string };
}

interface CredentialJson {
  id: string;
  kind: string;
  set_id: string;
  revoked_at: string | null;
}

describe.each(BACKENDS)('revoking credentials on %s', (backend) => {
  let t: TestApp;
  let code: string;
  let first: IssuedSet;
  let second: IssuedSet;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
    ({ code } = await t.newPartner());
    first = await issue(code);
    second = await issue(code);
  });
  afterAll(() => t.close());

  async function issue(partner: string): Promise<IssuedSet> {
    const r = await t.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner}/credentials`,
      payload: { mode: 'test' },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().set_id).toMatch(/^crs_/);
    return r.json();
  }

  const revoke = (partner: string, setId: string, headers: Record<string, string> = {}) =>
    t.admin({ method: 'POST', url: `/admin/v1/partners/${partner}/credentials/${setId}/revoke`, headers });

  const basic = (s: IssuedSet) =>
    `Basic ${Buffer.from(`${s.oauth.client_id}:${s.oauth.client_secret}`).toString('base64')}`;

  const native = (s: IssuedSet) =>
    t.app.inject({ method: 'GET', url: '/v1/policies', headers: { authorization: `Bearer ${s.api_key}` } });

  const sitoo = (authorization: string) =>
    t.app.inject({
      method: 'POST',
      url: '/sitoo/cart-insurances',
      headers: { authorization, 'x-request-id': 'req-revoke' },
      payload: {},
    });

  function xcover(s: IssuedSet) {
    const url = `/xcover/partners/${code}/quotes/QUOTE-UNKNOWN/`;
    const headers = signXcover({
      method: 'GET',
      path: url,
      secret: s.hmac.secret,
      keyId: s.hmac.key_id,
      algorithm: 'hmac-sha512',
      headers: '(request-target) date',
    });
    return t.app.inject({ method: 'GET', url, headers });
  }

  const tokenRequest = (s: IssuedSet) =>
    t.app.inject({
      method: 'POST',
      url: '/omocom/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${s.oauth.client_id}&client_secret=${s.oauth.client_secret}`,
    });

  async function tokenOf(s: IssuedSet): Promise<string> {
    const r = await tokenRequest(s);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().access_token;
  }

  const omocom = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: `/omocom/v1.3/${code}/SE/Users/find?UserId=nobody`,
      headers: { authorization: `Bearer ${token}` },
    });

  /** Past authentication: whatever the route answers, it is not a refused credential. */
  function accepted(r: LightMyRequestResponse, surface: string) {
    expect(r.statusCode, `${surface}: ${r.body}`).not.toBe(401);
    expect(r.statusCode, `${surface}: ${r.body}`).toBeLessThan(500);
  }

  async function expectAllAccepted(s: IssuedSet, token: string) {
    const listed = await native(s);
    expect(listed.statusCode, listed.body).toBe(200);
    accepted(await sitoo(basic(s)), 'sitoo basic');
    accepted(await sitoo(`Bearer ${s.api_key}`), 'sitoo bearer');
    accepted(await xcover(s), 'xcover');
    accepted(await omocom(token), 'omocom');
    await tokenOf(s);
  }

  function expectSitoo401(r: LightMyRequestResponse) {
    expect(r.statusCode, r.body).toBe(401);
    expect(r.json()).toMatchObject({
      request_id: 'req-revoke',
      error_code: 'other',
      error_data: { message: expect.stringContaining('revoked') },
    });
  }

  function credentialsOf(body: { credentials: CredentialJson[] }, setId: string): CredentialJson[] {
    return body.credentials.filter((c) => c.set_id === setId);
  }

  it('lists every credential with its set and revoked_at null while it is in use', async () => {
    const r = await t.admin({ method: 'GET', url: `/admin/v1/partners/${code}` });
    expect(r.statusCode).toBe(200);
    for (const s of [first, second]) {
      const listed = credentialsOf(r.json(), s.set_id);
      expect(listed.map((c) => c.kind).sort()).toEqual(['api_key', 'hmac_key', 'oauth_client']);
      expect(listed.every((c) => c.revoked_at === null)).toBe(true);
    }
  });

  it('a revoked set is refused on every API in its own format; the other set keeps working', async () => {
    const firstToken = await tokenOf(first);
    const secondToken = await tokenOf(second);
    await expectAllAccepted(first, firstToken);
    await expectAllAccepted(second, secondToken);

    const r = await revoke(code, first.set_id);
    expect(r.statusCode, r.body).toBe(200);
    const revokedAt = t.clock.now().toISOString();
    expect(credentialsOf(r.json(), first.set_id).map((c) => c.revoked_at)).toEqual([
      revokedAt,
      revokedAt,
      revokedAt,
    ]);
    expect(credentialsOf(r.json(), second.set_id).every((c) => c.revoked_at === null)).toBe(true);

    // The native API: its problem+json.
    expectProblem(await native(first), 401, {
      code: 'unauthenticated',
      field: 'Authorization',
      message: /revoked/,
    });
    // Sitoo: HTTP Basic with the OAuth client, and the API key as a bearer.
    expectSitoo401(await sitoo(basic(first)));
    expectSitoo401(await sitoo(`Bearer ${first.api_key}`));
    // XCover: the HMAC key id, even correctly signed.
    const signed = await xcover(first);
    expect(signed.statusCode, signed.body).toBe(401);
    expect(signed.json()).toMatchObject({
      type: 'authentication_error',
      message: expect.stringContaining('revoked'),
    });
    // Omocom: no new token for the client (RFC 6749 §5.2), and a token issued before is refused.
    const refusedToken = await tokenRequest(first);
    expect(refusedToken.statusCode, refusedToken.body).toBe(401);
    expect(refusedToken.json()).toEqual({
      error: 'invalid_client',
      error_description: 'this client has been revoked',
    });
    const old = await omocom(firstToken);
    expect(old.statusCode, old.body).toBe(401);
    expect(old.json()).toMatchObject({
      code: expect.any(String),
      message: expect.stringContaining('revoked'),
    });

    await expectAllAccepted(second, secondToken);
    const listed = await t.admin({ method: 'GET', url: '/admin/v1/partners' });
    const mine = listed.json().data.find((p: { code: string }) => p.code === code);
    expect(credentialsOf(mine, first.set_id).every((c) => c.revoked_at === revokedAt)).toBe(true);
  });

  it('revoking again changes nothing, and a retried request answers the same', async () => {
    const set = await issue(code);
    const headers = { 'idempotency-key': `revoke-${set.set_id}` };
    const once = await revoke(code, set.set_id, headers);
    expect(once.statusCode, once.body).toBe(200);
    const at = credentialsOf(once.json(), set.set_id)[0]!.revoked_at;
    expect(at).toBe(t.clock.now().toISOString());
    t.clock.advance(60_000);
    const retried = await revoke(code, set.set_id, headers);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual(once.json());
    const again = await revoke(code, set.set_id);
    expect(again.statusCode, again.body).toBe(200);
    expect(credentialsOf(again.json(), set.set_id).map((c) => c.revoked_at)).toEqual([at, at, at]);
    expectProblem(await native(set), 401, { code: 'unauthenticated' });
  });

  it("another partner's set or an unknown set is not found and nothing is revoked", async () => {
    const other = await t.newPartner();
    const theirs = await issue(other.code);
    const foreign = await revoke(code, theirs.set_id);
    expectProblem(foreign, 404, { code: 'not_found', field: 'set_id' });
    expectProblem(await revoke(code, 'crs_01kdvdna00q3ee47cp5hrta72k'), 404, {
      code: 'not_found',
      field: 'set_id',
    });
    expectProblem(await revoke('nosuchpartner', theirs.set_id), 404, { code: 'not_found' });
    const r = await t.admin({ method: 'GET', url: `/admin/v1/partners/${other.code}` });
    expect(credentialsOf(r.json(), theirs.set_id).every((c) => c.revoked_at === null)).toBe(true);
    expect((await native(theirs)).statusCode).toBe(200);
  });

  it('refuses a tampered Omocom token and one signed with another key', async () => {
    const token = await tokenOf(second);
    accepted(await omocom(token), 'omocom');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const other = await t.newPartner();
    for (const changed of [
      { ...claims, sub: other.partnerId },
      { ...claims, mode: 'live' },
      { ...claims, exp: claims.exp + 86_400 },
    ]) {
      const tampered = `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
      const r = await omocom(tampered);
      expect(r.statusCode, r.body).toBe(401);
      expect(r.json().message).toContain('not valid');
    }
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new Uint8Array(32).fill(7));
    expect((await omocom(forged)).statusCode).toBe(401);
    // Signed with our key but naming a client it was not issued to (another partner's, or none).
    for (const forgedClaims of [
      { ...claims, sub: other.partnerId },
      { ...claims, client_id: undefined },
    ]) {
      const unknown = await new SignJWT(forgedClaims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(TEST_TOKEN_KEY);
      expect((await omocom(unknown)).statusCode).toBe(401);
    }
  });
});
