import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';

/** One state change: who did what, when, from which server. Never updated, never deleted. */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['at'] })
export class AuditEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  /** The acting user, null for the appliance itself (auto-stop, bot, retention). */
  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null = null;

  @Property({ type: 'text', nullable: true })
  actorName: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  actorServerId: string | null = null;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  conferenceId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  recordingId: string | null = null;

  @Property({ type: 'json' })
  details: Opt<Record<string, unknown>> = {};
}
