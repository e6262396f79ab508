import { CoreError, notFound } from '../../../core/errors.js';
import type { DialectRecord } from '../../../core/ports.js';
import type { App } from '../../context.js';
import { type MarketContext, OBJECT, requireRecord, USER } from './records.js';

import {
  HandleParams,
  MarketParams,
  type ObjectBody,
  ObjectBody as ObjectSchema,
  objectJson,
} from './wire.js';

/** Omocom InsurableObjects: create (an objectId seen before returns that object) and get. */
export async function objectRoutes(app: App, { caller, write, read }: MarketContext): Promise<void> {
  app.post(
    '/InsurableObjects',
    {
      schema: {
        summary: 'Create an insurable object (an objectId seen before returns that object)',
        description: 'An empty or missing objectId gets a generated one (the object handle).',
        tags: ['omocom'],
        params: MarketParams,
        body: ObjectSchema,
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body as ObjectBody;
        const owner = await deps.repos.dialectRecords.get(c.tenant, USER, b.ownerHandle.toLowerCase());
        if (!owner) throw notFound(`user ${b.ownerHandle}`, 'ownerHandle');
        const objectId = b.objectId?.trim();
        if (objectId) {
          const existing = await deps.repos.dialectRecords.byKey(c.tenant, OBJECT, objectId);
          if (existing) return { status: 200, body: objectJson(existing) };
        }
        const handle = deps.ids.uuid().toLowerCase();
        const record: DialectRecord = {
          kind: OBJECT,
          handle,
          key: objectId || handle,
          ref: owner.handle,
          email: null,
          data: { ...b, objectId: objectId || handle, ownerHandle: owner.handle },
          personalId: null,
          createdAt: deps.clock.now(),
        };
        if (!(await deps.repos.dialectRecords.insert(c.tenant, record))) {
          throw new CoreError('already_exists', `object ${objectId} was created at the same time`, [
            { field: 'objectId', message: 'retry: it exists now' },
          ]);
        }
        return { status: 201, body: objectJson(record) };
      }),
  );

  app.get(
    '/InsurableObjects/:handle',
    { schema: { summary: 'Get an insurable object', tags: ['omocom'], params: HandleParams } },
    async (request) =>
      objectJson(
        await requireRecord(read, caller(request).tenant, OBJECT, request.params.handle, 'ObjectHandle'),
      ),
  );
}
