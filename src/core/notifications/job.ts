import type { Mode } from '../partners/partner.js';

/** Work done after commit by the worker: a webhook delivery, a letter. */
export type JobKind = 'webhook' | 'policy_letter' | 'cancellation_letter';

export interface NewJob {
  partnerId: string;
  mode: Mode;
  id: string;
  kind: JobKind;
  payload: Record<string, unknown>;
  runAt: Date;
  maxAttempts: number;
  endpointId?: string;
  eventId?: string;
  /** The event's subject (a policy, a claim): one subject's webhook jobs reach an endpoint in order. */
  subjectId?: string;
}

export interface Job extends NewJob {
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  lockedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobAttempt {
  jobId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  outcome: 'succeeded' | 'retrying' | 'dead';
  responseStatus: number | null;
  error: string | null;
}

/**
 * When to try again after a failed attempt n (1-based): the Standard Webhooks schedule for webhooks
 * (about 27 hours in all, then dead-lettered), a shorter one for mail.
 */
const RETRY_DELAYS_MS: Record<JobKind, number[]> = {
  webhook: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
  policy_letter: [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000],
  cancellation_letter: [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000],
};

export function maxAttempts(kind: JobKind): number {
  return RETRY_DELAYS_MS[kind].length + 1;
}

/** The next run after `attempt` failed, or null when the job is out of attempts. */
export function nextRunAfterFailure(kind: JobKind, attempt: number, max: number, now: Date): Date | null {
  if (attempt >= max) return null;
  const delays = RETRY_DELAYS_MS[kind];
  const delay = delays[Math.min(attempt, delays.length) - 1] ?? delays.at(-1) ?? 60_000;
  return new Date(now.getTime() + delay);
}
