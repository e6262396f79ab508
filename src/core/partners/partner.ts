import { CoreError, type FieldError, invalid } from '../errors.js';
import { isCurrencyCode } from '../money.js';

export type Mode = 'test' | 'live';

/** A market a partner sells in: one country, the currency it is priced in, the language letters go out in. */
export interface Market {
  country: string;
  currency: string;
  language: string;
}

/** A merchant or platform under contract: the tenant every other row belongs to. */
export interface Partner {
  id: string;
  code: string;
  name: string;
  markets: Market[];
  /** Omocom's fixed counterpart identity for web shops: a GUID made when the partner is created. */
  counterpartHandle: string;
  createdAt: Date;
}

/** Who is calling: the tenant boundary every repository call takes. */
export interface Tenant {
  partnerId: string;
  mode: Mode;
}

export interface ProductEnablement {
  productCode: string;
  /** Commission the partner earns, in basis points of the premium (1500 = 15 %). */
  commissionBp: number;
  enabledAt: Date;
}

export type CredentialKind = 'api_key' | 'oauth_client' | 'hmac_key' | 'publishable_key';

export function marketFor(partner: Partner, country: string): Market | undefined {
  return partner.markets.find((m) => m.country === country.toUpperCase());
}

export function requireMarket(partner: Partner, country: string, field = 'market'): Market {
  const market = marketFor(partner, country);
  if (!market) {
    throw new CoreError('validation_failed', `partner ${partner.code} does not sell in ${country}`, [
      {
        field,
        message: `not one of the partner's markets (${partner.markets.map((m) => m.country).join(', ')})`,
      },
    ]);
  }
  return market;
}

export function validatePartnerInput(input: { code: string; name: string; markets: Market[] }): void {
  const errors: FieldError[] = [];
  if (!/^[a-z0-9][a-z0-9_-]{1,62}$/.test(input.code)) {
    errors.push({ field: 'code', message: 'lower-case letters, digits, - and _, 2 to 63 characters' });
  }
  if (input.name.trim() === '' || input.name.length > 200)
    errors.push({ field: 'name', message: '1 to 200 characters' });
  if (input.markets.length === 0) errors.push({ field: 'markets', message: 'at least one market' });
  const seen = new Set<string>();
  input.markets.forEach((m, i) => {
    if (!/^[A-Z]{2}$/.test(m.country))
      errors.push({ field: `markets/${i}/country`, message: 'ISO 3166 alpha-2, upper case' });
    if (!isCurrencyCode(m.currency))
      errors.push({ field: `markets/${i}/currency`, message: 'ISO 4217, upper case' });
    if (!/^[a-z]{2}$/.test(m.language))
      errors.push({ field: `markets/${i}/language`, message: 'ISO 639-1, lower case' });
    if (seen.has(m.country)) errors.push({ field: `markets/${i}/country`, message: 'listed twice' });
    seen.add(m.country);
  });
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid partner', errors);
}

export function validateCommission(commissionBp: number): void {
  if (!Number.isInteger(commissionBp) || commissionBp < 0 || commissionBp > 10_000) {
    throw invalid('commissionBp', 'an integer from 0 to 10000 basis points');
  }
}
