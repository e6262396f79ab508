import type { Product } from '../../../core/catalog/product.js';
import { addMonths } from '../../../core/clock.js';
import { notFound } from '../../../core/errors.js';
import { quotePlans } from '../../../core/instalments/schedule.js';
import { findOption, type Offer } from '../../../core/offers/offer.js';
import type { Tenant } from '../../../core/partners/partner.js';
import type { Policy } from '../../../core/policies/policy.js';
import { isInForce } from '../../../core/policies/state-machine.js';
import type { Repositories } from '../../../core/ports.js';
import type { BookingData, PackageData, PackageQuote } from './packages.js';
import { policyStatus, type QuoteView, type XcoverStatus } from './wire.js';

/** Reads what quotes are rendered from, caching products and the partner's commissions per request. */
export class ViewReader {
  private products = new Map<string, Product>();
  private commissions: Map<string, number> | undefined;
  private policies = new Map<string, Policy>();

  constructor(
    private readonly repos: Repositories,
    private readonly tenant: Tenant,
  ) {}

  async product(code: string): Promise<Product> {
    let product = this.products.get(code);
    if (!product) {
      product = await this.repos.products.get(code);
      if (!product) throw notFound(`product ${code}`);
      this.products.set(code, product);
    }
    return product;
  }

  private async commission(code: string): Promise<number> {
    if (!this.commissions) {
      const enabled = await this.repos.products.listEnabled(this.tenant.partnerId);
      this.commissions = new Map(enabled.map((e) => [e.product.code, e.commissionBp]));
    }
    return this.commissions.get(code) ?? 0;
  }

  /** A quote not booked yet, from its offer (stored, or just priced for a fast quote). */
  async fromOffer(quote: PackageQuote, offer: Offer, status: XcoverStatus): Promise<QuoteView> {
    const found = findOption(offer, quote.optionId);
    if (!found) throw notFound(`quote ${quote.id}`);
    const { option, item } = found;
    const product = await this.product(option.productCode);
    const start = quote.request.policy_start_date
      ? new Date(quote.request.policy_start_date)
      : offer.createdAt;
    const end = addMonths(start, option.termMonths);
    return {
      id: quote.id,
      product,
      item: item.item,
      premium: option.unitPremium,
      commissionBp: await this.commission(product.code),
      status,
      start,
      end,
      createdAt: new Date(quote.createdAt),
      updatedAt: new Date(quote.updatedAt),
      confirmedAt: null,
      cancelledAt: null,
      instalmentPlans: quotePlans(product, option.unitPremium, option.termMonths),
    };
  }

  async fromStoredOffer(quote: PackageQuote, status: XcoverStatus): Promise<QuoteView> {
    const offer = await this.repos.offers.get(this.tenant, quote.offerId);
    if (!offer) throw notFound(`quote ${quote.id}`);
    return this.fromOffer(quote, offer, status);
  }

  /**
   * Reads the policies of these bookings, and the renewals that follow them, in two reads: a page of
   * bookings then renders from memory, whatever its length.
   */
  async prefetch(bookings: readonly BookingData[]): Promise<void> {
    const read = async (ids: string[]) => {
      for (const p of await this.repos.policies.getMany(this.tenant, ids)) this.policies.set(p.id, p);
    };
    await read(bookings.flatMap((b) => b.quotes.map((q) => q.policyId)));
    await read(
      [...this.policies.values()].flatMap((p) =>
        p.renewedBy && !this.policies.has(p.renewedBy) ? [p.renewedBy] : [],
      ),
    );
  }

  async policy(id: string): Promise<Policy> {
    const policy = this.policies.get(id) ?? (await this.repos.policies.get(this.tenant, id));
    if (!policy) throw notFound(`policy ${id}`);
    return policy;
  }

  /** A booked quote, from its policy as it stands now. */
  async fromPolicy(quoteId: string, policy: Policy, renewal?: Policy): Promise<QuoteView> {
    const status = policyStatus(policy);
    return {
      id: quoteId,
      product: await this.product(policy.productCode),
      item: policy.item,
      premium: policy.premium,
      commissionBp: policy.commissionBp,
      status,
      start: policy.coverageStart,
      end: policy.coverageEnd,
      createdAt: policy.createdAt,
      updatedAt: policy.updatedAt,
      confirmedAt: status === 'PENDING_PAYMENT' ? null : policy.boundAt,
      cancelledAt: status === 'CANCELLED' ? policy.updatedAt : null,
      canBeCancelled: isInForce(policy.status),
      policy,
      nextRenewal: renewal ?? null,
    };
  }

  async booking(booking: BookingData): Promise<QuoteView[]> {
    const views: QuoteView[] = [];
    for (const q of booking.quotes) {
      const policy = await this.policy(q.policyId);
      const renewal = policy.renewedBy ? await this.policy(policy.renewedBy) : undefined;
      views.push(await this.fromPolicy(q.id, policy, renewal));
    }
    return views;
  }

  /** A package's quotes: booked ones from their policies, the rest from their offers. */
  async package(pkg: PackageData, booking: BookingData | undefined): Promise<QuoteView[]> {
    const views: QuoteView[] = [];
    for (const quote of pkg.quotes) {
      const booked = booking?.quotes.find((b) => b.id === quote.id);
      views.push(
        booked
          ? await this.fromPolicy(quote.id, await this.policy(booked.policyId))
          : await this.fromStoredOffer(quote, 'RECEIVED'),
      );
    }
    return views;
  }
}
