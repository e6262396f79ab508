import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { bindDirect } from './support.js';

/** Shared payloads and checks of the claims HTTP tests (not a test file itself). */

export interface FormPart {
  name: string;
  /** Given: the part is a file (busboy treats a part without a file name as a text field). */
  filename?: string;
  type?: string;
  content: Buffer | string;
}

/** A multipart/form-data body, built by hand so tests control every byte and header of it. */
export function multipart(parts: FormPart[], boundary = '----protego-test-boundary') {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    const type = p.type ? `Content-Type: ${p.type}\r\n` : '';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\n${type}\r\n`,
      ),
    );
    chunks.push(Buffer.from(p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Every byte value, so a download that mangles binary (text decoding, trimming) shows. */
export const BINARY = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));

/** product-protection for a 1000 GBP laptop, bound at the test clock's now (2026-03-02): limit 5000 GBP. */
export const claimBody = (overrides: Record<string, unknown> = {}) => ({
  incident_date: '2026-03-02',
  type: 'damage',
  description: 'The screen cracked when the laptop fell off the desk.',
  claimed_amount: { amount: 80_000, currency: 'GBP' },
  ...overrides,
});

export async function fileClaimFor(t: TestApp, key: string, body: Record<string, unknown> = claimBody()) {
  const policy = await bindDirect(t, key);
  const res = await t.call({ method: 'POST', url: `/v1/policies/${policy.id}/claims`, key, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return { policy, claim: res.json() as { id: string; status: string; policy_id: string } };
}

export async function upload(t: TestApp, key: string, claimId: string, parts: FormPart[], headers = {}) {
  const form = multipart(parts);
  return t.call({
    method: 'POST',
    url: `/v1/claims/${claimId}/attachments`,
    key,
    payload: form.payload,
    headers: { ...form.headers, ...headers },
  });
}

/** Rows a partner has that a claim request could have written: to prove a refusal wrote nothing. */
export async function claimCounts(t: TestApp, partnerId: string) {
  const { rows } = await sql<{
    claims: number;
    claim_events: number;
    claim_attachments: number;
    events: number;
  }>`
    SELECT (SELECT count(*)::int FROM claims WHERE partner_id = ${partnerId}) AS claims,
           (SELECT count(*)::int FROM claim_events WHERE partner_id = ${partnerId}) AS claim_events,
           (SELECT count(*)::int FROM claim_attachments WHERE partner_id = ${partnerId}) AS claim_attachments,
           (SELECT count(*)::int FROM events WHERE partner_id = ${partnerId} AND type LIKE 'claim.%') AS events`.execute(
    t.db.kysely,
  );
  const r = rows[0]!;
  return {
    claims: Number(r.claims),
    claim_events: Number(r.claim_events),
    claim_attachments: Number(r.claim_attachments),
    events: Number(r.events),
  };
}
