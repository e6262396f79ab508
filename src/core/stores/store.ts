import { CoreError, type FieldError } from '../errors.js';
import { isCurrencyCode } from '../money.js';
import { marketFor, type Partner } from '../partners/partner.js';

/**
 * A partner's physical store (a POS location), named by the partner's own id for it: Sitoo POS sends it
 * as `Store-ID`. A store sells in one of the partner's markets.
 */
export interface PartnerStore {
  partnerId: string;
  externalId: string;
  country: string;
  currency: string;
  createdAt: Date;
}

export function validateStoreInput(
  partner: Partner,
  input: { externalId: string; country: string; currency: string },
): void {
  const errors: FieldError[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(input.externalId)) {
    errors.push({ field: 'externalId', message: 'letters, digits, . _ : -, 1 to 128 characters' });
  }
  if (!/^[A-Z]{2}$/.test(input.country)) {
    errors.push({ field: 'country', message: 'ISO 3166 alpha-2, upper case' });
  } else {
    const market = marketFor(partner, input.country);
    if (!market) {
      errors.push({
        field: 'country',
        message: `not one of the partner's markets (${partner.markets.map((m) => m.country).join(', ')})`,
      });
    } else if (input.currency !== market.currency) {
      errors.push({ field: 'currency', message: `must be ${market.currency} in ${market.country}` });
    }
  }
  if (!isCurrencyCode(input.currency)) errors.push({ field: 'currency', message: 'ISO 4217, upper case' });
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid store', errors);
}
