import { CoreError } from '../errors.js';
import type { CoreDeps } from '../ports.js';
import type { CurrencyMarket } from './currency-market.js';
import { requirePartner } from './manage-partners.js';
import { type Market, marketFor, type Partner, requireMarket } from './partner.js';

/** Makes `country` the partner's market for requests in its currency. */
export async function setCurrencyMarket(
  deps: CoreDeps,
  partnerCode: string,
  input: { currency: string; country: string },
): Promise<CurrencyMarket> {
  const partner = await requirePartner(deps, partnerCode);
  const market = requireMarket(partner, input.country, 'country');
  if (market.currency !== input.currency.toUpperCase()) {
    throw new CoreError('validation_failed', `${market.country} sells in ${market.currency}`, [
      { field: 'country', message: `sells in ${market.currency}, not ${input.currency.toUpperCase()}` },
    ]);
  }
  const chosen: CurrencyMarket = {
    currency: market.currency,
    country: market.country,
    updatedAt: deps.clock.now(),
  };
  await deps.repos.currencyMarkets.set(partner.id, chosen);
  return chosen;
}

export async function listCurrencyMarkets(deps: CoreDeps, partnerCode: string): Promise<CurrencyMarket[]> {
  const partner = await requirePartner(deps, partnerCode);
  return deps.repos.currencyMarkets.list(partner.id);
}

/**
 * The market a currency is answered from: the one the partner chose for it, else its only market in
 * that currency. None, or several and none chosen, is refused naming `field` (`not_eligible`).
 */
export async function marketForCurrency(
  deps: CoreDeps,
  partner: Partner,
  currency: string,
  field: string,
): Promise<Market> {
  const code = currency.toUpperCase();
  const chosen = (await deps.repos.currencyMarkets.list(partner.id)).find((c) => c.currency === code);
  const market = chosen ? marketFor(partner, chosen.country) : undefined;
  if (market) return market;
  const candidates = partner.markets.filter((m) => m.currency === code);
  if (candidates.length === 1) return candidates[0]!;
  const message =
    candidates.length === 0
      ? `the partner sells in no market in ${code}`
      : `several markets sell in ${code} (${candidates.map((m) => m.country).join(', ')}) and none is chosen for it`;
  throw new CoreError('not_eligible', message, [{ field, message }]);
}
