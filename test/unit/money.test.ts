import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  divideRounded,
  fromMajor,
  isCurrencyCode,
  toMajorNumber,
  toMajorString,
} from '../../src/core/money.js';

describe('divideRounded', () => {
  it.each([
    // [n, d, half_even, half_up]
    [5, 2, 2, 3], // 2.5: even neighbour is 2
    [7, 2, 4, 4], // 3.5: even neighbour is 4
    [1, 2, 0, 1], // 0.5
    [3, 2, 2, 2], // 1.5
    [25, 10, 2, 3], // 2.5
    [35, 10, 4, 4], // 3.5
    [2_625, 10, 262, 263], // 262.5
    [-5, 2, -2, -3], // -2.5: symmetric, half_up goes away from zero
    [-7, 2, -4, -4], // -3.5
    [-3, 2, -2, -2], // -1.5
    [-25, 10, -2, -3],
  ])('ties: %i / %i -> half_even %i, half_up %i', (n, d, even, up) => {
    expect(divideRounded(n, d, 'half_even')).toBe(even);
    expect(divideRounded(n, d, 'half_up')).toBe(up);
  });

  it.each([
    // [n, d, expected in both modes]
    [7, 3, 2], // 2.333
    [8, 3, 3], // 2.667
    [-7, 3, -2],
    [-8, 3, -3],
    [10, 5, 2], // exact
    [-10, 5, -2], // exact
    [0, 7, 0],
    [9, 10, 1],
    [11, 10, 1],
    [3_990 * 2_500, 12_500, 798], // exact: 39.90 gross, 25 % carved out
    [10_000 * 2_500, 13_500, 1_852], // 1851.85
    [10_000 * 1_000, 13_500, 741], // 740.74
    [Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER],
  ])('non-ties: %i / %i -> %i', (n, d, expected) => {
    expect(divideRounded(n, d, 'half_even')).toBe(expected);
    expect(divideRounded(n, d, 'half_up')).toBe(expected);
  });

  it('rounds half-even by default', () => {
    expect(divideRounded(5, 2)).toBe(2);
    expect(divideRounded(15, 2)).toBe(8);
  });

  it('a negative dividend that rounds to zero gives zero', () => {
    expect(divideRounded(-1, 3) === 0).toBe(true);
    expect(divideRounded(-1, 2, 'half_even') === 0).toBe(true);
  });

  it.each([
    [1, 0],
    [1, -2],
    [1, 1.5],
    [1.5, 2],
    [Number.NaN, 2],
    [2, Number.NaN],
    [Number.POSITIVE_INFINITY, 2],
    [2 ** 53, 3],
    [3, 2 ** 53],
  ])('rejects %d / %d with a RangeError', (n, d) => {
    expect(() => divideRounded(n, d)).toThrow(RangeError);
    expect(() => divideRounded(n, d, 'half_up')).toThrow(RangeError);
  });

  it('property: the result is within half a unit of the exact quotient, ties resolved by mode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (n, d) => {
          const even = divideRounded(n, d, 'half_even');
          const up = divideRounded(n, d, 'half_up');
          // |q*d - n| <= d/2, i.e. |2(q*d - n)| <= d
          expect(Math.abs(2 * (even * d - n))).toBeLessThanOrEqual(d);
          expect(Math.abs(2 * (up * d - n))).toBeLessThanOrEqual(d);
          if (Math.abs(2 * (even * d - n)) === d) {
            // a tie: |n|/d = q + 0.5
            const q = Math.floor(Math.abs(n) / d);
            expect(Math.abs(even) % 2).toBe(0);
            expect(Math.abs(up)).toBe(q + 1);
          } else {
            expect(up).toBe(even);
          }
          // symmetric around zero
          expect(divideRounded(-n, d, 'half_even') === -even).toBe(true);
          expect(divideRounded(-n, d, 'half_up') === -up).toBe(true);
        },
      ),
    );
  });
});

describe('currencyExponent', () => {
  it.each([
    ['SEK', 2],
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['CLP', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['jpy', 0],
    ['kwd', 3],
    ['XYZ', 2],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });
});

describe('isCurrencyCode', () => {
  it.each([
    ['SEK', true],
    ['sek', false],
    ['SE', false],
    ['SEKK', false],
    ['S3K', false],
    ['', false],
  ])('%s -> %s', (code, ok) => {
    expect(isCurrencyCode(code)).toBe(ok);
  });
});

describe('fromMajor', () => {
  it.each([
    ['39.90', 'SEK', 3_990],
    ['39.9', 'SEK', 3_990],
    ['39.9000', 'SEK', 3_990],
    [' 39.90 ', 'SEK', 3_990],
    ['+1.05', 'EUR', 105],
    ['-12.5', 'EUR', -1_250],
    ['0.01', 'EUR', 1],
    ['0', 'EUR', 0],
    ['8500', 'SEK', 850_000],
    ['1299.00', 'USD', 129_900],
    ['1500', 'JPY', 1_500],
    ['1500.0', 'JPY', 1_500],
    ['1.234', 'KWD', 1_234],
    ['0.5', 'KWD', 500],
    ['12', 'KWD', 12_000],
  ])('string %j in %s -> %i', (text, currency, minor) => {
    expect(fromMajor(text, currency)).toBe(minor);
  });

  it.each([
    [39.9, 'SEK', 3_990],
    [39.99, 'SEK', 3_999],
    [19.99, 'EUR', 1_999],
    [8500, 'SEK', 850_000],
    [0.1 + 0.2, 'EUR', 30], // binary noise far below a cent is not a third decimal
    [-7.5, 'EUR', -750],
    [1500, 'JPY', 1_500],
    [1.234, 'KWD', 1_234],
    [12, 'KWD', 12_000],
  ])('number %d in %s -> %i', (value, currency, minor) => {
    expect(fromMajor(value, currency)).toBe(minor);
  });

  it.each([
    ['39.999', 'SEK'],
    ['39.901', 'SEK'],
    [39.999, 'SEK'],
    [1.005, 'EUR'],
    ['1500.5', 'JPY'],
    [1500.5, 'JPY'],
    ['1.2345', 'KWD'],
    [1.2345, 'KWD'],
  ])('rejects more decimals than the currency has: %j in %s', (value, currency) => {
    expect(fromMajor(value, currency)).toBeUndefined();
  });

  it.each(['', 'abc', '1,50', '1e3', '.5', '5.', '1 000', '--1', '0x10'])(
    'rejects malformed text %j',
    (text) => {
      expect(fromMajor(text, 'SEK')).toBeUndefined();
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects the number %d',
    (value) => {
      expect(fromMajor(value, 'SEK')).toBeUndefined();
    },
  );

  it('uses the currency exponent case-insensitively', () => {
    expect(fromMajor('1500', 'jpy')).toBe(1_500);
    expect(fromMajor('1.5', 'jpy')).toBeUndefined();
  });
});

describe('toMajorString / toMajorNumber', () => {
  it.each([
    [3_990, 'SEK', '39.90'],
    [850_000, 'SEK', '8500.00'],
    [5, 'SEK', '0.05'],
    [50, 'SEK', '0.50'],
    [0, 'SEK', '0.00'],
    [-5, 'SEK', '-0.05'],
    [-3_990, 'SEK', '-39.90'],
    [1_500, 'JPY', '1500'],
    [-1_500, 'JPY', '-1500'],
    [0, 'JPY', '0'],
    [1_234, 'KWD', '1.234'],
    [5, 'KWD', '0.005'],
    [1_000, 'KWD', '1.000'],
    [-50, 'KWD', '-0.050'],
  ])('%i in %s -> %s', (amount, currency, text) => {
    expect(toMajorString(amount, currency)).toBe(text);
  });

  it.each([
    [3_990, 'SEK', 39.9],
    [850_000, 'SEK', 8500],
    [1_500, 'JPY', 1500],
    [1_234, 'KWD', 1.234],
    [-5, 'EUR', -0.05],
  ])('toMajorNumber(%i, %s) = %d', (amount, currency, value) => {
    expect(toMajorNumber(amount, currency)).toBe(value);
  });

  it('property: fromMajor reads back what toMajorString and toMajorNumber write', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }),
        fc.constantFrom('SEK', 'EUR', 'JPY', 'KWD'),
        (amount, currency) => {
          expect(fromMajor(toMajorString(amount, currency), currency)).toBe(amount);
          const back = fromMajor(toMajorNumber(amount, currency), currency);
          expect(back === amount).toBe(true);
        },
      ),
    );
  });
});
