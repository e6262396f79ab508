import { type Kysely, type Selectable, sql } from 'kysely';
import type { ConsoleSession, ConsoleUser } from '../../core/console/user.js';
import type { ConsoleSessionRepository, ConsoleUserRepository } from '../../core/ports.js';
import type { ConsoleUsersTable, Tables } from '../schema.js';

const toUser = (row: Selectable<ConsoleUsersTable>): ConsoleUser => ({
  id: row.id,
  partnerId: row.partner_id,
  email: row.email,
  name: row.name,
  createdAt: row.created_at,
});

export function consoleUserRepository(db: Kysely<Tables>): ConsoleUserRepository {
  return {
    async add(user, passwordHash) {
      await db
        .insertInto('console_users')
        .values({
          partner_id: user.partnerId,
          id: user.id,
          email: user.email,
          name: user.name,
          password_hash: passwordHash,
          created_at: user.createdAt,
        })
        .execute();
    },
    async byEmail(email) {
      const row = await db
        .selectFrom('console_users')
        .selectAll()
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },
    async get(id) {
      const row = await db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async list(partnerId) {
      let query = db.selectFrom('console_users').selectAll();
      if (partnerId !== undefined) query = query.where('partner_id', '=', partnerId);
      return (await query.orderBy('email').execute()).map(toUser);
    },
  };
}

export function consoleSessionRepository(db: Kysely<Tables>): ConsoleSessionRepository {
  return {
    async add(s) {
      await db
        .insertInto('console_sessions')
        .values({
          partner_id: s.partnerId,
          token_hash: s.tokenHash,
          user_id: s.userId,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async get(tokenHash) {
      const row = await db
        .selectFrom('console_sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return (row && {
        tokenHash: row.token_hash,
        userId: row.user_id,
        partnerId: row.partner_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }) as ConsoleSession | undefined;
    },
    async remove(tokenHash) {
      await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
    },
  };
}
