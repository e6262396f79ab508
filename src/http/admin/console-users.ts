import { Type } from 'typebox';
import { argon2Passwords } from '../../auth/passwords.js';
import type { ConsoleUser } from '../../core/console/user.js';
import { roleOf } from '../../core/console/user.js';
import { createConsoleUser, PASSWORD_MIN } from '../../core/console/users.js';
import type { CoreDeps } from '../../core/ports.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';

const CreateConsoleUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({
      minLength: PASSWORD_MIN,
      maxLength: 256,
      description: 'kept as an argon2id hash',
    }),
    partner_code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 63,
        description:
          'a partner user, who sees this partner only; without it, an operator, who sees every partner',
      }),
    ),
  },
  { additionalProperties: false },
);

const ConsoleUserSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('console_user'),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('operator'), Type.Literal('partner')]),
  partner_code: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

async function userJson(deps: CoreDeps, user: ConsoleUser) {
  const partner = user.partnerId ? await deps.repos.partners.getById(user.partnerId) : undefined;
  return {
    id: user.id,
    object: 'console_user' as const,
    email: user.email,
    name: user.name,
    role: roleOf(user),
    partner_code: partner?.code ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

/** The people who sign in to /console: the admin token is for this API, not a console login. */
export async function adminConsoleUserRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: console users'];
  app.post(
    '/console-users',
    {
      schema: {
        summary: 'Create a console user',
        description:
          'An operator (no partner_code) sees every partner in the console; a partner user sees its partner only.',
        tags,
        body: CreateConsoleUserBody,
        response: { 201: ConsoleUserSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const b = request.body;
        const user = await createConsoleUser(deps, argon2Passwords, {
          email: b.email,
          name: b.name,
          password: b.password,
          ...(b.partner_code !== undefined ? { partnerCode: b.partner_code } : {}),
        });
        return { status: 201, body: await userJson(deps, user) };
      }),
  );

  app.get(
    '/console-users',
    {
      schema: {
        summary: 'List console users',
        tags,
        response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(ConsoleUserSchema) }) },
      },
    },
    async () => {
      const deps = readDeps(app.protego);
      const users = await deps.repos.consoleUsers.list();
      return { object: 'list' as const, data: await Promise.all(users.map((u) => userJson(deps, u))) };
    },
  );
}
