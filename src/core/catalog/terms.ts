import { addMonths, DAY_MS } from '../clock.js';
import { invalid } from '../errors.js';

/** The product's term nearest to the span a client asked for (its first term when no end was sent). */
export function nearestTerm(terms: number[], start: Date, end: Date | undefined): number {
  if (!end) return terms[0]!;
  const months = (end.getTime() - start.getTime()) / (30.4375 * DAY_MS);
  return terms.reduce((best, t) => (Math.abs(t - months) < Math.abs(best - months) ? t : best), terms[0]!);
}

/** How far a client's end of cover may be from the end of a term it means ("a year" ending the day before). */
const TERM_END_TOLERANCE_DAYS = 3;

/**
 * The term a client's end of cover asks for: the product's term whose end (calendar months after the
 * start) is within `TERM_END_TOLERANCE_DAYS` of it, so `2022-10-03T11:36` to `2023-10-02T23:59` is 12
 * months. An end no term matches is refused, naming the client's field, rather than priced and covered
 * for a term the client did not ask for. No end sent: the product's first term.
 */
export function termForEnd(terms: number[], start: Date, end: Date | undefined, field: string): number {
  if (!end) return terms[0]!;
  const off = (t: number) => Math.abs(addMonths(start, t).getTime() - end.getTime());
  const term = terms.reduce((best, t) => (off(t) < off(best) ? t : best), terms[0]!);
  if (off(term) <= TERM_END_TOLERANCE_DAYS * DAY_MS) return term;
  throw invalid(
    field,
    `must end one of the product's terms after the start (${terms.join(', ')} months), give or take ${TERM_END_TOLERANCE_DAYS} days`,
  );
}
