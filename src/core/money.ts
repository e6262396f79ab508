/** An amount of money: an integer count of minor units plus an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

export type RoundingMode = 'half_even' | 'half_up';

/** Minor-unit exponents for currencies whose exponent is not 2. */
const EXPONENTS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  BHD: 3,
  KWD: 3,
  JOD: 3,
  OMR: 3,
  TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

/**
 * Integer division n / d rounded once, by the given mode. Works on safe integers only, which holds for
 * minor units times basis points or days (well below 2^53).
 */
export function divideRounded(n: number, d: number, mode: RoundingMode = 'half_even'): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0) {
    throw new RangeError(`divideRounded needs safe integers and a positive divisor, got ${n}/${d}`);
  }
  const negative = n < 0;
  const abs = Math.abs(n);
  const q = Math.floor(abs / d);
  const r = abs - q * d;
  let result = q;
  if (2 * r > d || (2 * r === d && (mode === 'half_up' || q % 2 === 1))) result = q + 1;
  return negative ? -result : result;
}

/** Major-unit decimal (e.g. 39.9) to minor units, for dialect edges. Rejects more decimals than the currency has. */
export function fromMajor(value: number | string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const text = typeof value === 'number' ? value.toFixed(Math.min(exponent + 4, 20)) : value.trim();
  const match = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) return undefined;
  const minor = Number(whole) * 10 ** exponent + Number(significant.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) return undefined;
  return sign === '-' ? -minor : minor;
}

/** Minor units to a fixed-point major-unit string ("39.90"), for dialect edges. */
export function toMajorString(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (exponent === 0) return `${sign}${abs}`;
  const unit = 10 ** exponent;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exponent, '0')}`;
}

export function toMajorNumber(amount: number, currency: string): number {
  return Number(toMajorString(amount, currency));
}
