import { Type } from 'typebox';
import { CoreError } from '../../../core/errors.js';
import { fromMajor } from '../../../core/money.js';
import { confirmUpdateGroup } from '../../../core/policies/change-group.js';
import { quotePolicyUpdate, updatePolicy } from '../../../core/policies/modify-policy.js';
import type { InsuredItem } from '../../../core/policies/policy.js';
import type { PolicyChange } from '../../../core/policies/policy-change.js';
import { isInForce } from '../../../core/policies/state-machine.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { inClientFields } from '../../kit/fields.js';
import { bookingAnswer, formatterFor } from './context.js';
import { bookedQuote, loadBooking, loadPackage, quoteOf, save, xcoverIds } from './packages.js';
import { answerWith, withChanges, withPriceDiffs } from './pending-changes.js';
import { checkPolicyholder, toCore } from './policyholder.js';
import { parseDate } from './quoting.js';
import { BookingResponse } from './response-schemas.js';
import { BookingUpdateBody, NoBody, PackageParams } from './schemas.js';

type UpdateFields = NonNullable<BookingUpdateBody['quotes']>[number]['update_fields'];

/** `update_fields` of a quote as a change of the core's item, prices in the booking's currency. */
function itemChanges(fields: UpdateFields, currency: string, at: string): Partial<InsuredItem> {
  const out: Partial<InsuredItem> = {};
  if (fields.price !== undefined) {
    const amount = fromMajor(fields.price, currency);
    if (amount === undefined)
      throw new CoreError('validation_failed', 'invalid price', [
        { field: `${at}/price`, message: `not a valid amount of ${currency}` },
      ]);
    out.price = { amount, currency };
  }
  for (const key of ['name', 'category', 'brand', 'model', 'sku'] as const) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  if (typeof fields.serial_number === 'string' && fields.serial_number !== '')
    out.serialNumber = fields.serial_number;
  const purchased = parseDate(fields.purchase_date, `${at}/purchase_date`);
  if (purchased) out.purchasedAt = purchased;
  return out;
}

/** Modification: at once (`PATCH bookings/{id}/`), or priced and then confirmed. */
export async function modificationRoutes(app: App, { write }: Kit): Promise<void> {
  app.patch(
    '/bookings/:id/',
    {
      schema: {
        summary: 'Change a booking at once (XCover): policyholder details, item corrections per quote',
        tags: ['xcover'],
        params: PackageParams,
        body: BookingUpdateBody,
        response: { 200: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        const before = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        if (body.policyholder) checkPolicyholder(body.policyholder);
        const holder = body.policyholder ? toCore(body.policyholder) : undefined;
        const items = new Map(
          (body.quotes ?? []).map((q, i) => [
            bookedQuote(booking.data, q.id, `quotes/${i}/id`).id,
            itemChanges(q.update_fields, before.pkg.currency, `quotes/${i}/update_fields`),
          ]),
        );
        const diffs = new Map<string, number>();
        for (const view of before.views) {
          const item = items.get(view.id);
          const live = view.policy && isInForce(view.policy.status);
          // The policyholder's details change on every policy in force; an item only where asked.
          if (!item && !(holder && live)) continue;
          const { priceDiff } = await updatePolicy(deps, tenant, view.policy!.id, {
            ...(holder && live ? { policyholder: holder } : {}),
            ...(item ? { item } : {}),
          });
          diffs.set(view.id, priceDiff);
        }
        if (body.policyholder) {
          const defined = Object.fromEntries(
            Object.entries(body.policyholder).filter(([, v]) => v !== undefined),
          );
          booking.data = { ...booking.data, policyholder: { ...booking.data.policyholder, ...defined } };
        }
        await save(deps, tenant, booking);
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        return { status: 200, body: withPriceDiffs(answer, diffs) };
      }),
  );

  app.patch(
    '/bookings/:id/quote_for_update',
    {
      schema: {
        summary: 'Price a change of booked quotes (XCover): confirm it with confirm_update',
        tags: ['xcover'],
        params: PackageParams,
        body: BookingUpdateBody,
        response: { 200: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const body = request.body;
        if (!body.quotes)
          throw new CoreError('validation_failed', 'nothing to price', [
            { field: 'quotes', message: 'This field is required.' },
          ]);
        if (body.policyholder) {
          throw new CoreError('validation_failed', 'policyholder changes need no quote', [
            { field: 'policyholder', message: 'change the policyholder with PATCH bookings/{id}/' },
          ]);
        }
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        const { currency } = (await loadPackage(deps.repos, tenant, request.params.id)).data;
        // The core keeps the priced changes, grouped under the id shown; the booking changes not.
        const id = xcoverIds.action('UPD');
        const changes = new Map<string, PolicyChange>();
        for (const [i, q] of body.quotes.entries()) {
          const booked = bookedQuote(booking.data, q.id, `quotes/${i}/id`);
          const item = itemChanges(q.update_fields, currency, `quotes/${i}/update_fields`);
          changes.set(
            booked.id,
            await quotePolicyUpdate(deps, tenant, booked.policyId, { item }, { groupId: id }),
          );
        }
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        const f = formatterFor(answer.pkg);
        const total = [...changes.values()].reduce((s, c) => s + c.priceDiff, 0);
        return {
          status: 200,
          body: answerWith(answer, withChanges(answer, changes, f), {
            ...f.pair('total_price_diff', total),
            update_id: id,
          }),
        };
      }),
  );

  app.post(
    '/bookings/:id/confirm_update/:update/',
    {
      schema: {
        summary: 'Apply a priced change (XCover)',
        tags: ['xcover'],
        params: Type.Object({
          partner: Type.String(),
          id: Type.String(),
          update: Type.String({ maxLength: 64 }),
        }),
        body: NoBody,
        response: { 201: BookingResponse },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id, { forUpdate: true });
        const confirmed = await inClientFields({ changeId: 'update_id' }, () =>
          confirmUpdateGroup(deps, tenant, request.params.update, {
            within: booking.data.quotes.map((q) => q.policyId),
          }),
        );
        const diffs = new Map(
          confirmed.map(({ change }) => [quoteOf(booking.data, change.policyId), change.priceDiff]),
        );
        await save(deps, tenant, booking);
        const answer = await bookingAnswer(deps.repos, tenant, request, request.params.id, booking);
        return { status: 201, body: withPriceDiffs(answer, diffs) };
      }),
  );
}
