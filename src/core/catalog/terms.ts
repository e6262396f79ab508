import { DAY_MS } from '../clock.js';

/** The product's term nearest to the span a client asked for (its first term when no end was sent). */
export function nearestTerm(terms: number[], start: Date, end: Date | undefined): number {
  if (!end) return terms[0]!;
  const months = (end.getTime() - start.getTime()) / (30.4375 * DAY_MS);
  return terms.reduce((best, t) => (Math.abs(t - months) < Math.abs(best - months) ? t : best), terms[0]!);
}
