import type { StatementEvent } from '../statements/statement-event.js';

export interface DayFigures {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  written: number;
  cancellations: number;
  /** Premium written that day, per currency, in minor units. */
  premium: Record<string, number>;
}

const DAY_MS = 86_400_000;

/** The first instant of the `days` UTC days that end with the one `now` is in. */
export function windowStart(now: Date, days: number): Date {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(today - (days - 1) * DAY_MS);
}

/**
 * Policies written (bound), their premium and cancellations (cancelled or voided) per UTC day, from the
 * policy events a statement is made of; every day of the window is there, quiet ones as zeros.
 */
export function dailyFigures(events: readonly StatementEvent[], from: Date, days: number): DayFigures[] {
  const out: DayFigures[] = Array.from({ length: days }, (_, i) => ({
    day: new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    written: 0,
    cancellations: 0,
    premium: {},
  }));
  for (const { event, premium } of events) {
    const index = Math.floor((event.occurredAt.getTime() - from.getTime()) / DAY_MS);
    const day = out[index];
    if (!day) continue;
    if (event.type === 'bound') {
      day.written += 1;
      day.premium[premium.currency] = (day.premium[premium.currency] ?? 0) + premium.total;
    } else if (event.type === 'cancelled' || event.type === 'voided') {
      day.cancellations += 1;
    }
  }
  return out;
}
