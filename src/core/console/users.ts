import { CoreError, type FieldError } from '../errors.js';
import type { CoreDeps } from '../ports.js';
import type { ConsoleUser, PasswordHasher } from './user.js';

export const PASSWORD_MIN = 12;
const PASSWORD_MAX = 256;

export interface NewConsoleUser {
  email: string;
  name: string;
  password: string;
  /** The partner a partner user belongs to; absent for an operator. */
  partnerCode?: string;
}

function check(input: NewConsoleUser): void {
  const errors: FieldError[] = [];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email) || input.email.length > 254)
    errors.push({ field: 'email', message: 'an e-mail address' });
  if (input.name.trim().length === 0 || input.name.length > 200)
    errors.push({ field: 'name', message: '1 to 200 characters' });
  if (input.password.length < PASSWORD_MIN || input.password.length > PASSWORD_MAX)
    errors.push({ field: 'password', message: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters` });
  if (errors.length > 0) throw new CoreError('validation_failed', 'invalid console user', errors);
}

/** Creates an operator, or a partner user when a partner is named; the password is kept as a hash only. */
export async function createConsoleUser(
  deps: CoreDeps,
  hasher: PasswordHasher,
  input: NewConsoleUser,
): Promise<ConsoleUser> {
  check(input);
  let partnerId: string | null = null;
  if (input.partnerCode !== undefined) {
    const partner = await deps.repos.partners.getByCode(input.partnerCode);
    if (!partner)
      throw new CoreError('not_found', `partner ${input.partnerCode}`, [
        { field: 'partnerCode', message: 'no such partner' },
      ]);
    partnerId = partner.id;
  }
  const email = input.email.toLowerCase();
  if (await deps.repos.consoleUsers.byEmail(email))
    throw new CoreError('already_exists', `a console user ${email} exists`, [
      { field: 'email', message: 'already taken' },
    ]);
  const user: ConsoleUser = {
    id: deps.ids.next('consoleUser'),
    partnerId,
    email,
    name: input.name.trim(),
    createdAt: deps.clock.now(),
  };
  await deps.repos.consoleUsers.add(user, await hasher.hash(input.password));
  return user;
}
