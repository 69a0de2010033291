import type { EntityManager } from '@mikro-orm/postgresql';
import type { CurrentAdmin } from 'adminjs';
import { AuditEntry } from '../appliance/db/entities/index.ts';

/** Records what a console user did, in the transaction that does it. Actions read `console.<what>.<verb>`. */
export function auditConsoleAction(
  em: EntityManager,
  admin: CurrentAdmin | undefined,
  action: string,
  entry: { details: Record<string, unknown>; conferenceId?: string | null; recordingId?: string | null },
): void {
  em.create(AuditEntry, {
    at: new Date(),
    actorName: admin?.email ?? null,
    action: `console.${action}`,
    details: entry.details,
    conferenceId: entry.conferenceId ?? null,
    recordingId: entry.recordingId ?? null,
  });
}
