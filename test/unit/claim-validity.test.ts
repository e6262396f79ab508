import { describe, expect, it } from 'vitest';
import { checkAttachment } from '../../src/core/claims/attachment-rules.js';
import { ATTACHMENT_LIMITS } from '../../src/core/claims/claim.js';
import {
  checkFiling,
  checkReason,
  checkSettlement,
  coveredOn,
  type FilingInput,
  isCalendarDate,
  utcDay,
} from '../../src/core/claims/validity.js';
import { coreErrorOf, fieldsOf, policy, product } from './fixtures.js';

// The fixture policy covers [2025-01-01T00:00Z, 2026-01-01T00:00Z) in SEK; the product's limit is 10 000 000.
const NOW = new Date('2025-06-15T12:00:00Z');
const input = (overrides: Partial<FilingInput> = {}): FilingInput => ({
  incidentDate: '2025-06-01',
  type: 'damage',
  description: 'Dropped on the floor; the screen is cracked.',
  claimedAmount: { amount: 250_000, currency: 'SEK' },
  ...overrides,
});

describe('isCalendarDate and utcDay', () => {
  it.each([
    ['2025-06-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-06-31', false],
    ['2025-6-1', false],
    ['2025-06-01T00:00:00Z', false],
    ['', false],
  ])('%s -> %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('utcDay is the UTC day, not the local one', () => {
    expect(utcDay(new Date('2025-06-01T23:59:59.999Z'))).toBe('2025-06-01');
    expect(utcDay(new Date('2025-06-02T00:30:00+02:00'))).toBe('2025-06-01');
  });
});

describe('coveredOn', () => {
  const p = policy({
    coverageStart: new Date('2025-03-02T10:00:00Z'),
    coverageEnd: new Date('2026-03-02T10:00:00Z'),
  });

  it.each([
    ['2025-03-01', false], // the day before cover began
    ['2025-03-02', true], // cover began at 10:00 that day
    ['2025-09-01', true],
    ['2026-03-02', true], // cover ran until 10:00 that day
    ['2026-03-03', false],
  ])('%s -> %s', (day, expected) => {
    expect(coveredOn(p, day)).toBe(expected);
  });

  it('a cover ending at midnight does not reach into the next day', () => {
    expect(coveredOn(policy(), '2025-12-31')).toBe(true);
    expect(coveredOn(policy(), '2026-01-01')).toBe(false);
  });

  it('a policy whose cover has not begun covers no day', () => {
    expect(coveredOn(policy({ coverageStart: null, coverageEnd: null }), '2025-06-01')).toBe(false);
  });
});

describe('checkFiling', () => {
  it('accepts a claim for a day of cover, within the limit, and gives back its type', () => {
    expect(checkFiling(policy(), product(), input(), NOW)).toBe('damage');
    expect(checkFiling(policy(), product(), input({ type: 'theft', incidentDate: '2025-06-15' }), NOW)).toBe(
      'theft',
    );
  });

  it('accepts exactly the cover limit, refuses one more', () => {
    const limited = product({ coverLimit: { SEK: 300_000 } });
    const at = (amount: number) => input({ claimedAmount: { amount, currency: 'SEK' } });
    expect(checkFiling(policy(), limited, at(300_000), NOW)).toBe('damage');
    const error = coreErrorOf(() => checkFiling(policy(), limited, at(300_001), NOW), 'not_eligible');
    expect(error.fields).toEqual([
      { field: 'claimedAmount/amount', message: 'above the cover limit of 300000' },
    ]);
  });

  it('reports every malformed field at once, as a validation failure', () => {
    const bad = input({
      incidentDate: '2025-02-30',
      type: 'fire',
      description: '   ',
      claimedAmount: { amount: 0, currency: 'EUR' },
    });
    expect(fieldsOf(() => checkFiling(policy(), product(), bad, NOW))).toEqual([
      'incidentDate',
      'type',
      'description',
      'claimedAmount/amount',
      'claimedAmount/currency',
    ]);
  });

  it.each([
    [{ claimedAmount: { amount: -5, currency: 'SEK' } }, 'claimedAmount/amount'],
    [{ claimedAmount: { amount: 1.5, currency: 'SEK' } }, 'claimedAmount/amount'],
    [{ description: 'x'.repeat(5001) }, 'description'],
    [{ incidentDate: '01/06/2025' }, 'incidentDate'],
  ])('%j is refused naming %s', (overrides, field) => {
    expect(fieldsOf(() => checkFiling(policy(), product(), input(overrides), NOW))).toEqual([field]);
  });

  it('an incident in the future is refused; today is fine', () => {
    expect(checkFiling(policy(), product(), input({ incidentDate: '2025-06-15' }), NOW)).toBe('damage');
    const error = coreErrorOf(() =>
      checkFiling(policy(), product(), input({ incidentDate: '2025-06-16' }), NOW),
    );
    expect(error.fields).toEqual([{ field: 'incidentDate', message: 'is in the future' }]);
  });

  it('an incident outside cover is not eligible, naming the cover period', () => {
    const error = coreErrorOf(
      () => checkFiling(policy(), product(), input({ incidentDate: '2024-12-31' }), NOW),
      'not_eligible',
    );
    expect(error.fields[0]?.field).toBe('incidentDate');
    expect(error.fields[0]?.message).toContain('2025-01-01T00:00:00.000Z');
  });

  it('an expired policy takes a claim for a loss during cover, not one after', () => {
    const expired = policy({ status: 'expired' });
    const later = new Date('2026-02-01T00:00:00Z');
    expect(checkFiling(expired, product(), input({ incidentDate: '2025-12-31' }), later)).toBe('damage');
    expect(
      fieldsOf(
        () => checkFiling(expired, product(), input({ incidentDate: '2026-01-15' }), later),
        'not_eligible',
      ),
    ).toEqual(['incidentDate']);
  });

  it.each(['cancelled', 'voided', 'quoted', 'pending_payment'] as const)(
    'a %s policy takes no claims, even for a day it covered',
    (status) => {
      const error = coreErrorOf(
        () => checkFiling(policy({ status }), product(), input(), NOW),
        'not_eligible',
      );
      expect(error.fields).toEqual([{ field: 'policyId', message: `a ${status} policy takes no claims` }]);
    },
  );

  it('a scheduled policy waiting for fulfilment has no cover yet', () => {
    const waiting = policy({ status: 'scheduled', coverageStart: null, coverageEnd: null });
    const error = coreErrorOf(() => checkFiling(waiting, product(), input(), NOW), 'not_eligible');
    expect(error.fields).toEqual([{ field: 'incidentDate', message: 'not covered: cover has not begun' }]);
  });

  it('a product with no cover limit in the currency takes no claims in it', () => {
    const noLimit = product({ coverLimit: { EUR: 100_000 } });
    expect(fieldsOf(() => checkFiling(policy(), noLimit, input(), NOW), 'not_eligible')).toEqual([
      'claimedAmount/currency',
    ]);
  });
});

describe('checkSettlement', () => {
  const ceiling = { amount: 100_000, currency: 'SEK' };
  it('takes from 1 up to the ceiling in its currency', () => {
    expect(() => checkSettlement('approvedAmount', { amount: 1, currency: 'SEK' }, ceiling)).not.toThrow();
    expect(() => checkSettlement('approvedAmount', ceiling, ceiling)).not.toThrow();
  });

  it.each([
    [{ amount: 100_001, currency: 'SEK' }, ['paidAmount/amount']],
    [{ amount: 0, currency: 'SEK' }, ['paidAmount/amount']],
    [{ amount: 50_000, currency: 'EUR' }, ['paidAmount/currency']],
    [{ amount: 0, currency: 'EUR' }, ['paidAmount/amount', 'paidAmount/currency']],
  ])('%j is refused naming %j', (amount, fields) => {
    expect(fieldsOf(() => checkSettlement('paidAmount', amount, ceiling))).toEqual(fields);
  });
});

describe('checkReason', () => {
  it('keeps the reason trimmed, refuses an empty or endless one', () => {
    expect(checkReason('  not covered: wear and tear ')).toBe('not covered: wear and tear');
    expect(fieldsOf(() => checkReason('  '))).toEqual(['reason']);
    expect(fieldsOf(() => checkReason('x'.repeat(1001)))).toEqual(['reason']);
  });
});

describe('checkAttachment', () => {
  const file = { filename: 'receipt.pdf', contentType: 'application/pdf', size: 1234 };

  it('keeps a plain file as it is', () => {
    expect(checkAttachment(file, 0)).toEqual(file);
  });

  it('drops folders and control characters from the name, and parameters from the type', () => {
    expect(
      checkAttachment(
        { filename: 'C:\\Users\\ada\\photo\u0007.JPG', contentType: 'Image/JPEG; q=1', size: 1 },
        0,
      ),
    ).toEqual({ filename: 'photo.JPG', contentType: 'image/jpeg', size: 1 });
    expect(checkAttachment({ ...file, filename: '../../etc/passwd' }, 0).filename).toBe('passwd');
  });

  it('stores a type that is not type/subtype as application/octet-stream', () => {
    for (const contentType of ['', 'text', 'text/html\r\nX-Evil: 1', 'a/b/c']) {
      expect(checkAttachment({ ...file, contentType }, 0).contentType).toBe('application/octet-stream');
    }
  });

  it.each([
    [{ filename: '' }, 'needs a file name'],
    [{ filename: 'dir/' }, 'needs a file name'],
    [{ filename: `${'a'.repeat(252)}.pdf` }, 'the file name is longer than 255 characters'],
    [{ size: 0 }, 'is empty'],
    [{ size: ATTACHMENT_LIMITS.maxBytes + 1 }, 'is larger than 10 MB'],
  ])('%j is refused naming file: %s', (overrides, message) => {
    expect(coreErrorOf(() => checkAttachment({ ...file, ...overrides }, 0)).fields).toEqual([
      { field: 'file', message },
    ]);
  });

  it('takes exactly 10 MB, and at most 10 files per claim', () => {
    expect(checkAttachment({ ...file, size: ATTACHMENT_LIMITS.maxBytes }, 9).size).toBe(10 * 1024 * 1024);
    const error = coreErrorOf(() => checkAttachment(file, 10), 'quantity_exceeded');
    expect(error.fields).toEqual([{ field: 'file', message: 'the claim already has 10 files' }]);
  });
});
