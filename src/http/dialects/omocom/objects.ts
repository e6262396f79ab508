import { notFound } from '../../../core/errors.js';
import { registerRecord } from '../../../core/records/register-record.js';
import type { App } from '../../context.js';
import { type MarketContext, OBJECT, requireRecord, USER } from './records.js';
import { HandleParams, InsurableObject, MarketParams, ObjectBody } from './schemas.js';
import { objectJson } from './wire.js';

/**
 * Omocom InsurableObjects: register and get. `objectId` is the device's own id (an IMEI): registering it
 * again updates the object, or, by another owner, moves it to that owner (the device was sold on).
 */
export async function objectRoutes(app: App, { caller, write, read }: MarketContext): Promise<void> {
  app.post(
    '/InsurableObjects',
    {
      schema: {
        summary: 'Register an insurable object (an objectId seen before: updated, or moved to a new owner)',
        description:
          'An empty or missing objectId gets a generated one (the object handle). An objectId seen before ' +
          'is the same object (200): its own owner updates it with the fields sent; another owner takes it ' +
          "over with only that owner's registration, and its insurances are then quoted for that owner. " +
          'Insurances bought before stay with whoever bought them.',
        tags: ['omocom'],
        params: MarketParams,
        body: ObjectBody,
        response: { 200: InsurableObject, 201: InsurableObject },
      },
    },
    async (request, reply) =>
      write(request, reply, async (deps, c) => {
        const b = request.body;
        const owner = await deps.repos.dialectRecords.get(c.tenant, USER, b.ownerHandle.toLowerCase());
        if (!owner) throw notFound(`user ${b.ownerHandle}`, 'ownerHandle');
        const handle = deps.ids.uuid().toLowerCase();
        // An empty or missing objectId: the handle names the object for the client too.
        const objectId = b.objectId?.trim() || handle;
        const { record, created } = await registerRecord(
          deps,
          c.tenant,
          {
            kind: OBJECT,
            handle,
            key: objectId,
            ref: owner.handle,
            email: null,
            data: { ...b, objectId, ownerHandle: owner.handle },
            personalId: null,
          },
          { what: 'object', keyField: 'objectId' },
        );
        return { status: created ? 201 : 200, body: objectJson(record) };
      }),
  );

  app.get(
    '/InsurableObjects/:handle',
    {
      schema: {
        summary: 'Get an insurable object',
        tags: ['omocom'],
        params: HandleParams,
        response: { 200: InsurableObject },
      },
    },
    async (request) =>
      objectJson(
        await requireRecord(read, caller(request).tenant, OBJECT, request.params.handle, 'ObjectHandle'),
      ),
  );
}
