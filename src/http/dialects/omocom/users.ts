import { Type } from 'typebox';
import { invalid, notFound } from '../../../core/errors.js';
import type { DialectRecord } from '../../../core/ports.js';
import { registerRecord } from '../../../core/records/register-record.js';
import type { App } from '../../context.js';
import { INSURANCE, type MarketContext, requireRecord, USER } from './records.js';
import { FindQuery, HandleParams, Insurance, MarketParams, User, UserBody } from './schemas.js';
import { insuranceJson, userJson } from './wire.js';

/** Omocom Users: create (a known UserId updates that user), find, get, and a user's insurances. */
export async function userRoutes(app: App, { caller, write, read }: MarketContext): Promise<void> {
  app.post(
    '/Users',
    {
      schema: {
        summary: 'Create a user (a known UserId: that user, updated with the fields sent)',
        tags: ['omocom'],
        params: MarketParams,
        body: UserBody,
        response: { 200: User, 201: User },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body;
        if (b.MarketName && b.MarketName.toUpperCase() !== c.market.country) {
          throw invalid('MarketName', `must be the market of the URL, ${c.market.country}`);
        }
        const { SocialSecurityNumber: ssn, ...fields } = b;
        const { record, created } = await registerRecord(
          deps,
          c.tenant,
          {
            kind: USER,
            handle: deps.ids.uuid().toLowerCase(),
            key: b.UserId,
            ref: null,
            email: b.EmailAddress ?? null,
            data: {
              ...fields,
              MarketName: b.MarketName ?? c.market.country,
              ...(ssn?.Country ? { ssnCountry: ssn.Country } : {}),
            },
            personalId: ssn?.SSN ?? null,
          },
          { what: 'user', keyField: 'UserId' },
        );
        return { status: created ? 201 : 200, body: userJson(record) };
      }),
  );

  app.get(
    '/Users/find',
    {
      schema: {
        summary: 'Find a user by UserId, EmailAddress or SocialSecurityNumber',
        description:
          'Give one or more of the parameters; every one given must match. Answers the oldest matching user, or 404.',
        tags: ['omocom'],
        params: MarketParams,
        querystring: FindQuery,
        response: { 200: User },
      },
    },
    async (request) => {
      const q = request.query as { UserId?: string; EmailAddress?: string; SocialSecurityNumber?: string };
      const { tenant } = caller(request);
      if (!q.UserId && !q.EmailAddress && !q.SocialSecurityNumber) {
        throw invalid('UserId', 'give UserId, EmailAddress or SocialSecurityNumber');
      }
      let found: DialectRecord[];
      if (q.UserId) {
        const user = await read.dialectRecords.byKey(tenant, USER, q.UserId);
        found = user ? [user] : [];
        if (q.EmailAddress)
          found = found.filter((u) => u.email?.toLowerCase() === q.EmailAddress!.toLowerCase());
        if (q.SocialSecurityNumber) {
          const same = await read.dialectRecords.find(tenant, USER, { personalId: q.SocialSecurityNumber });
          found = found.filter((u) => same.some((s) => s.handle === u.handle));
        }
      } else {
        found = await read.dialectRecords.find(tenant, USER, {
          ...(q.EmailAddress ? { email: q.EmailAddress } : {}),
          ...(q.SocialSecurityNumber ? { personalId: q.SocialSecurityNumber } : {}),
        });
      }
      if (!found[0]) throw notFound('user');
      return userJson(found[0]);
    },
  );

  app.get(
    '/Users/:handle',
    {
      schema: { summary: 'Get a user', tags: ['omocom'], params: HandleParams, response: { 200: User } },
    },
    async (request) =>
      userJson(await requireRecord(read, caller(request).tenant, USER, request.params.handle, 'UserHandle')),
  );

  app.get(
    '/Users/:handle/Insurances',
    {
      schema: {
        summary: "A user's insurances, oldest first",
        tags: ['omocom'],
        params: HandleParams,
        response: { 200: Type.Array(Insurance) },
      },
    },
    async (request) => {
      const { tenant } = caller(request);
      const user = await requireRecord(read, tenant, USER, request.params.handle, 'UserHandle');
      const records = await read.dialectRecords.find(tenant, INSURANCE, { ref: user.handle });
      const out = [];
      for (const record of records) {
        const policy = record.key ? await read.policies.get(tenant, record.key) : undefined;
        if (policy) out.push(insuranceJson(record, policy));
      }
      return out;
    },
  );
}
