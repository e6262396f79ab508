import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPolicy } from '../../src/core/policies/bind-policy.js';
import { toItem, toPolicyholder } from '../../src/http/native/input.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/mail.js';
import { expectProblem } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const bindBody = {
  product_code: 'CIFRWE',
  term_months: 24,
  country: 'FR',
  item: {
    category: 'Laptop',
    brand: 'Lenovo',
    model: 'ThinkPad',
    price: { amount: 99_900, currency: 'EUR' },
  },
  policyholder: {
    first_name: 'Camille',
    last_name: 'Durand',
    email: 'camille@example.com',
    phone: '+33 6 12 34 56 78',
    address: { line1: '1 rue de la Paix', postal_code: '75002', city: 'Paris' },
  },
};

async function bound(key: string): Promise<string> {
  const res = await t.call({ method: 'POST', url: '/v1/policies', key, payload: bindBody });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('GET /v1/policies/:id/certificate.pdf', () => {
  it("is the policy's certificate, in its language", async () => {
    const partner = await t.newPartner();
    const id = await bound(partner.key);
    const res = await t.call({ method: 'GET', url: `/v1/policies/${id}/certificate.pdf`, key: partner.key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${id}.pdf"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
    for (const expected of [
      "Attestation d'assurance",
      id,
      'Camille Durand',
      'du 2 mars 2026 au 2 mars 2028',
      'Prime TTC 79,92 €',
      'Protego Insurance',
      'https://protego.dev/docs/cifrwe/conditions-generales.pdf',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("is a 404 for an unknown policy and for another partner's", async () => {
    const owner = await t.newPartner();
    const other = await t.newPartner();
    const id = await bound(owner.key);
    for (const [key, url] of [
      [other.key, `/v1/policies/${id}/certificate.pdf`],
      [owner.key, '/v1/policies/pol_nope/certificate.pdf'],
    ] as const) {
      expectProblem(await t.call({ method: 'GET', url, key }), 404, { code: 'not_found', field: 'id' });
    }
  });

  it('is a 409 for a policy that was only quoted', async () => {
    const partner = await t.newPartner();
    const tenant = { partnerId: partner.partnerId, mode: 'test' as const };
    const quoted = await t.db.transaction((repos) =>
      bindPolicy({ ...t.deps, repos }, tenant, {
        source: { productCode: 'CIFRWE', termMonths: 24, country: 'FR', item: toItem(bindBody.item) },
        policyholder: toPolicyholder(bindBody.policyholder),
        quoteOnly: true,
      }),
    );
    expect(quoted.status).toBe('quoted');
    const res = await t.call({
      method: 'GET',
      url: `/v1/policies/${quoted.id}/certificate.pdf`,
      key: partner.key,
    });
    expectProblem(res, 409, { code: 'invalid_transition', field: 'id' });
  });

  it('answers bad input with a problem, never a 500', async () => {
    const long = await t.call({ method: 'GET', url: `/v1/policies/${'x'.repeat(61)}/certificate.pdf` });
    expectProblem(long, 400, { code: 'validation_failed' });
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/policies/pol_x/certificate.pdf' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('is documented as a PDF in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/v1/policies/{id}/certificate.pdf'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/pdf']);
  });
});
