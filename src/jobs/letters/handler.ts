import { type CustomerLinks, customerUrl } from '../../auth/customer-link.js';
import type { Product } from '../../core/catalog/product.js';
import type { Job } from '../../core/notifications/job.js';
import type { Policy } from '../../core/policies/policy.js';
import type { Database } from '../../storage/database.js';
import { AttemptFailed, type JobHandler, PermanentFailure } from '../worker.js';
import { composeCancellationLetter, composeLetter } from './letter.js';
import { MailError, type Mailer, type OutgoingMail } from './mailer.js';

/**
 * Works a `policy_letter` job: the policyholder's e-mail with the certificate, when the cover is bought
 * (saying it is active, or confirmed from its start date when that is later), and with `links`, the
 * link to the customer's own pages of the policy. What no retry can mend
 * (no address, the policy gone or no longer in force) is dead-lettered with the reason; a mail server
 * that fails or is away is tried again on the mail schedule.
 */
export function letterHandler(db: Database, mailer: Mailer, links?: CustomerLinks): JobHandler {
  return async (job: Job) => {
    const { policy, product, to } = await letterSubject(db, job, (policy) =>
      // The letter confirms cover: a policy cancelled or voided before it went out gets none.
      policy.status === 'active' || (policy.status === 'scheduled' && policy.coverageStart)
        ? undefined
        : `is ${policy.status}, not in force: no letter sent`,
    );
    // The link is signed when the letter goes: its expiry counts from the cover the letter confirms.
    const accountUrl = links
      ? await customerUrl(
          links,
          { partnerId: policy.partnerId, mode: policy.mode, policyId: policy.id },
          policy.coverageEnd,
          policy.updatedAt,
        )
      : undefined;
    await send(mailer, await composeLetter(policy, product, to, accountUrl));
    return {};
  };
}

/** Works a `cancellation_letter` job: the policyholder's confirmation that cover ended, with the refund. */
export function cancellationLetterHandler(db: Database, mailer: Mailer): JobHandler {
  return async (job: Job) => {
    const { policy, product, to } = await letterSubject(db, job, (policy) =>
      policy.status === 'cancelled' || policy.status === 'voided'
        ? undefined
        : `is ${policy.status}: it has not ended, no letter sent`,
    );
    await send(mailer, composeCancellationLetter(policy, product, to, policy.updatedAt));
    return {};
  };
}

/**
 * The policy a letter job names, its product and the address to write to; dead-letters the job when
 * there is none of them, or when `refusal` says why the policy no longer gets this letter.
 */
async function letterSubject(
  db: Database,
  job: Job,
  refusal: (policy: Policy) => string | undefined,
): Promise<{ policy: Policy; product: Product; to: string }> {
  const tenant = { partnerId: job.partnerId, mode: job.mode };
  const policyId = String(job.payload.policyId ?? '');
  const policy = await db.read.policies.get(tenant, policyId);
  if (!policy) throw new PermanentFailure(`policy ${policyId} does not exist`);
  const refused = refusal(policy);
  if (refused) throw new PermanentFailure(`policy ${policy.id} ${refused}`);
  const to = policy.policyholder.email?.trim();
  if (!to) {
    throw new PermanentFailure(
      `policy ${policy.id} has no policyholder e-mail address (${policy.productCode} does not require one): no letter sent`,
    );
  }
  const product = await db.read.products.get(policy.productCode);
  if (!product)
    throw new PermanentFailure(`product ${policy.productCode} of policy ${policy.id} does not exist`);
  return { policy, product, to };
}

/** A mail server's permanent refusal dead-letters the job; anything else is tried again. */
async function send(mailer: Mailer, mail: OutgoingMail): Promise<void> {
  try {
    await mailer.send(mail);
  } catch (error) {
    if (error instanceof MailError) {
      if (error.permanent) throw new PermanentFailure(error.message);
      throw new AttemptFailed(error.message, error.responseCode);
    }
    throw new AttemptFailed(`could not send the letter: ${(error as Error).message}`);
  }
}
