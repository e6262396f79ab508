import type { Product, ProductMarket, RateTable } from '../catalog/product.js';
import { divideRounded, type RoundingMode } from '../money.js';

export interface TaxLine {
  name: string;
  rateBp: number;
  amount: number;
}

/** The price of cover for one unit: what the customer pays (total), before tax (net) and the taxes in it. */
export interface Premium {
  currency: string;
  net: number;
  tax: number;
  total: number;
  taxes: TaxLine[];
}

/** The rate table's figure for an item price, rounded here and nowhere else. */
export function tablePremium(
  table: RateTable,
  itemPrice: number,
  rounding: RoundingMode,
): number | undefined {
  if (table.type === 'bands') return table.bands.find((b) => itemPrice <= b.upTo)?.premium;
  const share = divideRounded(itemPrice * table.rateBp, 10_000, rounding);
  return Math.min(table.max, Math.max(table.min, share));
}

/**
 * Prices one unit of cover. Included taxes are carved out of the table price (gross × r / (1 + Σr));
 * added taxes are charged on the net. Each tax amount is rounded once.
 */
export function pricePremium(
  product: Product,
  market: ProductMarket,
  termMonths: number,
  itemPrice: number,
): Premium | undefined {
  const table = market.rates[String(termMonths)];
  if (!table) return undefined;
  const base = tablePremium(table, itemPrice, product.rounding);
  if (base === undefined) return undefined;
  const included = market.taxes.filter((t) => t.mode === 'included');
  const added = market.taxes.filter((t) => t.mode === 'added');
  const includedRate = included.reduce((sum, t) => sum + t.rateBp, 0);
  const includedLines = included.map((t) => ({
    name: t.name,
    rateBp: t.rateBp,
    amount: divideRounded(base * t.rateBp, 10_000 + includedRate, product.rounding),
  }));
  const net = base - includedLines.reduce((sum, t) => sum + t.amount, 0);
  const addedLines = added.map((t) => ({
    name: t.name,
    rateBp: t.rateBp,
    amount: divideRounded(net * t.rateBp, 10_000, product.rounding),
  }));
  const taxes = [...includedLines, ...addedLines];
  const tax = taxes.reduce((sum, t) => sum + t.amount, 0);
  return { currency: market.currency, net, tax, total: net + tax, taxes };
}

/** A premium for n units: every figure times n, so no second rounding happens. */
export function timesQuantity(p: Premium, quantity: number): Premium {
  return {
    currency: p.currency,
    net: p.net * quantity,
    tax: p.tax * quantity,
    total: p.total * quantity,
    taxes: p.taxes.map((t) => ({ ...t, amount: t.amount * quantity })),
  };
}
