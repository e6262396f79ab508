import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUserCommand } from '../../src/cli/console-user.js';
import { ManualClock } from '../../src/core/clock.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_TOKEN } from '../helpers/constants.js';

const PASSWORD = 'a long enough password';

/** The cookies a response sets, as one Cookie header. */
const cookiesOf = (res: LightMyRequestResponse) =>
  [res.headers['set-cookie'] ?? []]
    .flat()
    .map((c) => String(c).split(';')[0])
    .join('; ');

describe('console users and sign-in', () => {
  let t: TestApp;
  const wall = new ManualClock('2026-11-30T12:00:00Z');
  let partnerCode: string;

  beforeAll(async () => {
    t = await buildTestApp({ wallClock: wall });
    partnerCode = (await t.newPartner()).code;
  });
  afterAll(() => t?.close());

  /** A sign-in form's CSRF cookie and token, as a browser would hold them. */
  async function form() {
    const res = await t.app.inject({ url: '/console/sign-in' });
    return { cookie: cookiesOf(res), token: /name="_csrf" value="([^"]+)"/.exec(res.body)![1]! };
  }

  async function signIn(email: string, password: string, f?: { cookie: string; token: string }) {
    const { cookie, token } = f ?? (await form());
    return t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, email, password, next: '/console/claims' }).toString(),
    });
  }

  it('creates operators and partner users through the admin API, refusing what is wrong by field', async () => {
    const create = (payload: Record<string, string>) =>
      t.admin({ method: 'POST', url: '/admin/v1/console-users', payload });
    const operator = await create({ email: 'Ops@Insurer.test', name: 'Olga', password: PASSWORD });
    expect(operator.statusCode, operator.body).toBe(201);
    expect(operator.json()).toMatchObject({
      email: 'ops@insurer.test',
      role: 'operator',
      partner_code: null,
    });
    const staff = await create({
      email: 'staff@shop.test',
      name: 'Sam',
      password: PASSWORD,
      partner_code: partnerCode,
    });
    expect(staff.json()).toMatchObject({ role: 'partner', partner_code: partnerCode });

    const short = await create({ email: 'x@y.test', name: 'X', password: 'short-pass1' });
    expect(short.statusCode).toBe(400);
    const weak = await t.admin({
      method: 'POST',
      url: '/admin/v1/console-users',
      payload: { email: 'not-an-address', name: 'X', password: PASSWORD },
    });
    expect(weak.statusCode).toBe(400);
    expect(JSON.stringify(weak.json())).toContain('email');
    const twice = await create({ email: 'OPS@insurer.test', name: 'Again', password: PASSWORD });
    expect(twice.statusCode).toBe(409);
    const unknown = await create({
      email: 'z@y.test',
      name: 'Z',
      password: PASSWORD,
      partner_code: 'no-such-shop',
    });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.stringify(unknown.json())).toContain('partner_code');

    const list = await t.admin({ method: 'GET', url: '/admin/v1/console-users' });
    expect(list.json().data.map((u: { email: string }) => u.email)).toEqual([
      'ops@insurer.test',
      'staff@shop.test',
    ]);
    // Only the argon2id hash is stored.
    const row = await t.db.kysely
      .selectFrom('console_users')
      .selectAll()
      .where('email', '=', 'ops@insurer.test')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('creates users from the CLI too', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    const code = await consoleUserCommand(
      t.db,
      t.clock,
      { email: 'cli@shop.test', name: 'Cli', partner: partnerCode },
      PASSWORD,
      io,
    );
    expect(code, out.join('')).toBe(0);
    expect(out.join('')).toContain('cli@shop.test\tpartner');
    expect(
      await consoleUserCommand(t.db, t.clock, { email: 'cli2@shop.test', name: 'Cli' }, 'short', io),
    ).toBe(2);
    expect(out.join('')).toContain('password:');
    expect(await consoleUserCommand(t.db, t.clock, { name: 'No mail' }, PASSWORD, io)).toBe(2);
  });

  it('signs in with an HttpOnly, SameSite session cookie kept in the database, and signs out', async () => {
    const res = await signIn('OPS@insurer.test', PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/claims');
    const cookie = [res.headers['set-cookie']]
      .flat()
      .map(String)
      .find((c) => c.startsWith('protego_console='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/console/);
    // Plain HTTP here: Secure is set only when the request came over TLS (`secure: 'auto'`).
    expect(cookie).not.toMatch(/Secure/);
    const session = cookie.split(';')[0]!;
    const token = session.split('=')[1]!;
    const stored = await t.db.kysely.selectFrom('console_sessions').selectAll().execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);
    expect((await t.app.inject({ url: '/console/claims', headers: { cookie: session } })).statusCode).toBe(
      200,
    );

    const { cookie: csrfCookie, token: csrf } = await form();
    const out = await t.app.inject({
      method: 'POST',
      url: '/console/sign-out',
      headers: { cookie: `${session}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf}`,
    });
    expect(out.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/console/claims', headers: { cookie: session } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/console\/sign-in/);
  });

  it('ends a session after twelve hours of wall-clock time', async () => {
    const session = cookiesOf(await signIn('staff@shop.test', PASSWORD))
      .split('; ')
      .find((c) => c.startsWith('protego_console='))!;
    expect((await t.app.inject({ url: '/console', headers: { cookie: session } })).statusCode).toBe(200);
    wall.advance(12 * 3_600_000 + 1);
    expect((await t.app.inject({ url: '/console', headers: { cookie: session } })).statusCode).toBe(303);
  });

  it('refuses a form without its CSRF token, and does not take the admin token as a login', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=ops%40insurer.test&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(res.statusCode).toBe(403);
    expect(cookiesOf(res)).not.toContain('protego_console=');
    const admin = await t.app.inject({
      url: '/console',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(admin.statusCode).toBe(303);
    expect(admin.headers.location).toMatch(/^\/console\/sign-in/);
  });

  it('sends security headers on every page and never redirects sign-in off the console', async () => {
    const res = await t.app.inject({ url: '/console/sign-in?next=https://evil.test/' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('name="next" value="/console"');
  });

  it('limits sign-in attempts per address, right password or not, in every process alike', async () => {
    wall.advance(3_600_000);
    const f = await form();
    const answers: number[] = [];
    for (let i = 0; i < 20; i++)
      answers.push((await signIn('ops@insurer.test', `wrong ${i} password`, f)).statusCode);
    expect(answers.every((s) => s === 401)).toBe(true);
    const limited = await signIn('ops@insurer.test', PASSWORD, f);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many sign-in attempts');
    expect(cookiesOf(limited)).not.toContain('protego_console=');
    wall.advance(15 * 60_000);
    expect((await signIn('ops@insurer.test', PASSWORD, f)).statusCode).toBe(303);
  });
});
