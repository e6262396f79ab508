import { argon2Passwords } from '../auth/passwords.js';
import type { Clock } from '../core/clock.js';
import { roleOf } from '../core/console/user.js';
import { createConsoleUser } from '../core/console/users.js';
import { isCoreError } from '../core/errors.js';
import { ulidIds } from '../core/ids.js';
import type { Database } from '../storage/database.js';
import type { Output } from './statement.js';

export interface ConsoleUserArgs {
  email?: string | undefined;
  name?: string | undefined;
  partner?: string | undefined;
}

/**
 * `protego console-user --email <address> --name <name> [--partner <code>]`, the password on stdin (so it
 * is in no shell history or process list): an operator, or with --partner a partner user.
 */
export async function consoleUserCommand(
  db: Database,
  clock: Clock,
  args: ConsoleUserArgs,
  password: string,
  io: Output,
): Promise<number> {
  if (!args.email || !args.name) {
    io.err('protego console-user: --email <address> and --name <name> are required');
    return 2;
  }
  try {
    const user = await db.transaction((repos) =>
      createConsoleUser({ repos, clock, ids: ulidIds(clock) }, argon2Passwords, {
        email: args.email!,
        name: args.name!,
        password,
        ...(args.partner ? { partnerCode: args.partner } : {}),
      }),
    );
    io.out(`${user.id}\t${user.email}\t${roleOf(user)}${args.partner ? `\t${args.partner}` : ''}\n`);
    return 0;
  } catch (error) {
    if (!isCoreError(error)) throw error;
    for (const f of error.fields.length > 0 ? error.fields : [{ field: '', message: error.message }])
      io.err(`protego console-user: ${f.field ? `${f.field}: ` : ''}${f.message}`);
    return 2;
  }
}

/** The first line of stdin: the password, piped or typed. */
export async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
