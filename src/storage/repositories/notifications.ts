import type { Kysely } from 'kysely';
import type { EventType } from '../../core/notifications/event.js';
import type { NotificationRepository } from '../../core/ports.js';
import { openPersonalData, sealPersonalData } from '../personal-data.js';
import type { Tables } from '../schema.js';
import type { SecretBox } from '../secret-box.js';

export function notificationRepository(db: Kysely<Tables>, box: SecretBox): NotificationRepository {
  return {
    async insert(e) {
      await db
        .insertInto('events')
        .values({
          partner_id: e.partnerId,
          mode: e.mode,
          id: e.id,
          type: e.type,
          subject_id: e.subjectId,
          data: JSON.stringify(sealPersonalData(e.data, box)),
          occurred_at: e.occurredAt,
        })
        .execute();
    },
    async get(tenant, id) {
      const r = await db
        .selectFrom('events')
        .selectAll()
        .where('partner_id', '=', tenant.partnerId)
        .where('mode', '=', tenant.mode)
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          partnerId: r.partner_id,
          mode: r.mode,
          type: r.type as EventType,
          subjectId: r.subject_id,
          data: openPersonalData(r.data, box),
          occurredAt: r.occurred_at,
        }
      );
    },
  };
}
