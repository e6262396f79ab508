import type { Instalment } from '../../../core/instalments/instalment.js';
import { recordInstalmentPayment } from '../../../core/instalments/record-payment.js';
import { instalmentTaxLines } from '../../../core/instalments/schedule.js';
import { toMajorString } from '../../../core/money.js';
import type { TaxLine } from '../../../core/pricing/premium.js';
import { commissionOn } from '../../../core/statements/policy-share.js';
import type { App } from '../../context.js';
import type { Kit } from '../../kit/api.js';
import { bookingAnswer, formatterFor } from './context.js';
import { bookedQuote, loadBooking } from './packages.js';
import { parseDate } from './quoting.js';
import { InstalmentsResponse, NoContent } from './response-schemas.js';
import { PackageParams, PaymentsBody } from './schemas.js';
import { type Formatter, iso } from './wire.js';

function instalmentJson(
  i: Instalment,
  quoteId: string,
  lines: TaxLine[],
  commissionBp: number,
  f: Formatter,
) {
  return {
    id: i.id,
    number: i.number,
    quote: quoteId,
    period_start_date: iso(i.periodStart),
    period_end_date: iso(i.periodEnd),
    status: i.status.toUpperCase(),
    commission: f.num(commissionOn(i.net, commissionBp)),
    total_amount: f.num(i.amount),
    // XCover writes the amounts of a schedule's taxes as decimal strings.
    tax: {
      taxes: instalmentTaxLines(lines, i.tax).map((t) => ({
        tax_code: t.name,
        tax_type: 'PERCENTAGE',
        tax_label: t.name,
        tax_value: (t.rateBp / 100).toFixed(2),
        tax_amount: toMajorString(t.amount, i.currency),
        tax_amount_formatted: f.str(t.amount),
      })),
      total_tax: toMajorString(i.tax, i.currency),
      total_tax_formatted: f.str(i.tax),
      total_amount_without_tax: toMajorString(i.net, i.currency),
      total_amount_without_tax_formatted: f.str(i.net),
    },
    surcharges: {},
    payment_failures: i.status === 'failed' ? [{ attempted_at: iso(i.paymentAttemptedAt) }] : null,
  };
}

/** Instalments: each booked quote's payment schedule, and the partner reporting collected payments. */
export async function instalmentRoutes(app: App, { write }: Kit): Promise<void> {
  app.get(
    '/bookings/:id/instalments/',
    {
      schema: {
        summary: "A booking's instalment schedules (XCover)",
        tags: ['xcover'],
        params: PackageParams,
        response: { 200: InstalmentsResponse },
      },
    },
    async (request) => {
      const repos = app.protego.db.read;
      const tenant = request.tenant;
      const answer = await bookingAnswer(repos, tenant, request, request.params.id);
      const f = formatterFor(answer.pkg);
      const quotes = [];
      for (const view of answer.views) {
        const booked = bookedQuote(answer.booking, view.id);
        if (!booked.instalmentPlan || !view.policy) continue;
        const schedule = await repos.instalments.list(tenant, view.policy.id);
        const paid = schedule.filter((i) => i.status === 'paid');
        let paidUntil: Date | null = null;
        for (const i of schedule) {
          if (i.status !== 'paid') break;
          paidUntil = i.periodEnd;
        }
        // Once cover has ended, what was not paid is owed no more.
        const owed = view.canBeCancelled ? schedule.filter((i) => i.status !== 'paid') : [];
        const next = owed[0];
        const render = (i: Instalment) => ({
          ...instalmentJson(i, view.id, view.policy!.premium.taxes, view.commissionBp, f),
          ...(i.status !== 'paid' && !view.canBeCancelled ? { status: 'CANCELLED' } : {}),
        });
        quotes.push({
          id: view.id,
          instalment_plan: booked.instalmentPlan,
          next_payment: next ? render(next) : null,
          paid_until: iso(paidUntil),
          payment_schedule: schedule.map(render),
          ...f.pair(
            'total_amount_paid',
            paid.reduce((s, i) => s + i.amount, 0),
          ),
          ...f.pair(
            'total_amount_due',
            owed.reduce((s, i) => s + i.amount, 0),
          ),
        });
      }
      return { quotes, currency: answer.pkg.currency };
    },
  );

  app.post(
    '/bookings/:id/instalments/',
    {
      schema: {
        summary: 'Report instalment payments (XCover): PAID settles one, FAILED records the attempt',
        description:
          'An instalment still unpaid when its grace period ends lapses the cover (the product says how long).',
        tags: ['xcover'],
        params: PackageParams,
        body: PaymentsBody,
        response: { 204: NoContent('the payments are recorded') },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps) => {
        const tenant = request.tenant;
        const booking = await loadBooking(deps.repos, tenant, request.params.id);
        for (const [i, q] of request.body.quotes.entries()) {
          const booked = bookedQuote(booking.data, q.id, `quotes/${i}/id`);
          await recordInstalmentPayment(deps, tenant, booked.policyId, {
            number: q.instalment_number,
            status: q.payment_status,
            attemptedAt:
              parseDate(q.payment_attempted_date, `quotes/${i}/payment_attempted_date`) ?? deps.clock.now(),
          });
        }
        return { status: 204, body: null };
      }),
  );
}
