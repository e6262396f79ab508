import { DAY_MS } from '../clock.js';
import { invalid } from '../errors.js';

/** Cover may be dated back or ahead by up to a year: enough for late order feeds and pre-orders, not for typos. */
export const START_WINDOW_MS = 366 * DAY_MS;

/**
 * Refuses a requested start of cover that binding would refuse, naming `field`. Binding checks it at
 * the instant of binding (`from` = `until` = now). A price shown checks it over the whole time it can be
 * bound (`from` = when it was priced, `until` = when it expires), so that a quote given is a quote that
 * can be booked until it expires: a start more than a year back at any instant of that time is refused
 * when quoting, not after the customer paid.
 */
export function checkCoverageStart(
  start: Date,
  from: Date,
  until: Date = from,
  field = 'coverageStart',
): void {
  if (
    start.getTime() > from.getTime() + START_WINDOW_MS ||
    start.getTime() < until.getTime() - START_WINDOW_MS
  ) {
    throw invalid(field, 'must be within a year of today');
  }
}
