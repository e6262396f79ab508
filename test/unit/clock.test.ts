import { describe, expect, it } from 'vitest';
import { addDays, addMonths, DAY_MS, ManualClock, systemClock } from '../../src/core/clock.js';

describe('addMonths', () => {
  it.each([
    ['2025-01-31T10:20:30.400Z', 1, '2025-02-28T10:20:30.400Z'], // clamps to the last day of February
    ['2024-01-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'], // leap year
    ['2024-02-29T00:00:00.000Z', 12, '2025-02-28T00:00:00.000Z'], // leap day a year on
    ['2024-02-29T00:00:00.000Z', 48, '2028-02-29T00:00:00.000Z'],
    ['2025-01-15T08:00:00.000Z', 12, '2026-01-15T08:00:00.000Z'],
    ['2025-01-15T08:00:00.000Z', 24, '2027-01-15T08:00:00.000Z'],
    ['2025-01-15T08:00:00.000Z', 36, '2028-01-15T08:00:00.000Z'],
    ['2025-08-31T00:00:00.000Z', 1, '2025-09-30T00:00:00.000Z'],
    ['2025-03-31T00:00:00.000Z', 1, '2025-04-30T00:00:00.000Z'],
    ['2025-12-31T23:59:59.999Z', 2, '2026-02-28T23:59:59.999Z'], // across the year end
    ['2025-11-30T00:00:00.000Z', 3, '2026-02-28T00:00:00.000Z'],
    ['2025-12-15T00:00:00.000Z', 1, '2026-01-15T00:00:00.000Z'],
    ['2025-03-31T00:00:00.000Z', -1, '2025-02-28T00:00:00.000Z'], // backwards
    ['2025-01-31T00:00:00.000Z', -2, '2024-11-30T00:00:00.000Z'],
    ['2025-01-31T00:00:00.000Z', 0, '2025-01-31T00:00:00.000Z'],
    ['2025-01-28T00:00:00.000Z', 1, '2025-02-28T00:00:00.000Z'], // no clamping needed
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(expected);
  });

  it('works in UTC whatever the offset the date was written with', () => {
    // 2025-01-31T23:30-02:00 is 2025-02-01T01:30Z: one month on is 2025-03-01T01:30Z
    expect(addMonths(new Date('2025-01-31T23:30:00-02:00'), 1).toISOString()).toBe(
      '2025-03-01T01:30:00.000Z',
    );
  });

  it('does not change the date it is given', () => {
    const at = new Date('2025-01-31T00:00:00Z');
    addMonths(at, 1);
    expect(at.toISOString()).toBe('2025-01-31T00:00:00.000Z');
  });
});

describe('addDays', () => {
  it('adds whole days of 86 400 000 ms', () => {
    expect(DAY_MS).toBe(86_400_000);
    expect(addDays(new Date('2025-01-01T00:00:00Z'), 14).toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(addDays(new Date('2024-02-28T12:00:00Z'), 1).toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(addDays(new Date('2025-01-01T00:00:00Z'), -1).toISOString()).toBe('2024-12-31T00:00:00.000Z');
    expect(addDays(new Date('2025-01-01T00:00:00Z'), 0).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('ManualClock', () => {
  it('starts where it is told, from a string or a Date', () => {
    expect(new ManualClock('2025-01-01T00:00:00Z').now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(new ManualClock(new Date('2025-06-30T12:34:56.789Z')).now().toISOString()).toBe(
      '2025-06-30T12:34:56.789Z',
    );
  });

  it('stands still until moved', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    expect(clock.now().getTime()).toBe(clock.now().getTime());
  });

  it('advance moves it by ms, forwards or back', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:01.500Z');
    clock.advance(14 * DAY_MS);
    expect(clock.now().toISOString()).toBe('2025-01-15T00:00:01.500Z');
    clock.advance(-1_500);
    expect(clock.now().toISOString()).toBe('2025-01-15T00:00:00.000Z');
  });

  it('set jumps to an instant, from a string or a Date, backwards too', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    clock.set('2026-03-01T10:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.set(new Date('2024-12-31T23:59:59.999Z'));
    expect(clock.now().toISOString()).toBe('2024-12-31T23:59:59.999Z');
    clock.advance(1);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('hands out copies: changing a returned Date does not move the clock', () => {
    const clock = new ManualClock('2025-01-01T00:00:00Z');
    const now = clock.now();
    now.setUTCFullYear(2030);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('a Date passed in is copied, not kept', () => {
    const start = new Date('2025-01-01T00:00:00Z');
    const clock = new ManualClock(start);
    start.setUTCFullYear(2030);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('systemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
