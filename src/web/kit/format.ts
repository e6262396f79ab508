import type { Money } from '../../core/money.js';
import { toMajorString } from '../../core/money.js';

/** "1 299.00 SEK": amounts as people read them, from minor units. */
export function money(m: Money | null | undefined): string {
  if (!m) return '';
  const [whole = '', fraction] = toMajorString(m.amount, m.currency).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${grouped}${fraction ? `.${fraction}` : ''} ${m.currency}`;
}

/** "2026-03-02 10:00 UTC". */
export function when(at: Date | null | undefined): string {
  return at ? `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}
