import { invalid } from '../errors.js';

/** A statement's period: one calendar month in UTC, as the half-open interval [start, end). */
export interface StatementPeriod {
  /** `YYYY-MM`, as asked for. */
  month: string;
  start: Date;
  /** The first instant of the next month: an event at exactly this time belongs to the next statement. */
  end: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Reads `YYYY-MM` as a UTC calendar month. Months are UTC, not the partner's local time, so every
 * event falls in exactly one statement whoever asks and wherever the server runs.
 */
export function parseMonth(text: string, field = 'month'): StatementPeriod {
  const match = MONTH.exec(text);
  const year = Number(match?.[1]);
  if (!match || year < 2000) {
    throw invalid(field, 'a calendar month as YYYY-MM (UTC), from 2000-01, e.g. 2026-10');
  }
  const month = Number(match[2]);
  return {
    month: text,
    start: new Date(Date.UTC(year, month - 1, 1)),
    end: new Date(Date.UTC(year, month, 1)),
  };
}
