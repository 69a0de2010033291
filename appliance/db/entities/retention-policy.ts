import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { RetentionAction, RetentionPolicyData, RetentionScope } from '../../domain/index.ts';
import { RETENTION_ACTIONS, RETENTION_SCOPES } from '../../domain/index.ts';
import { MessengerServer } from './messenger-server.ts';
import { RecordingMode } from './recording-mode.ts';

/** How long recordings are kept: one global policy, and at most one per server and per mode. */
@Entity({ tableName: 'retention_policies' })
@Unique({ name: 'retention_policies_one_global', expression: `create unique index "retention_policies_one_global" on "retention_policies" ("scope") where "scope" = 'global'` })
@Unique({ properties: ['serverId'] })
@Unique({ properties: ['modeId'] })
@Check({ name: 'retention_policies_target_check', expression: `("scope" = 'global' and "server_id" is null and "mode_id" is null) or ("scope" = 'server' and "server_id" is not null and "mode_id" is null) or ("scope" = 'mode' and "mode_id" is not null and "server_id" is null)` })
export class RetentionPolicy implements RetentionPolicyData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => [...RETENTION_SCOPES], type: 'text' })
  scope!: RetentionScope;

  /** The server whose users' recordings this policy keeps (scope `server`). */
  @ManyToOne({ entity: () => MessengerServer, mapToPk: true, fieldName: 'server_id', nullable: true, deleteRule: 'cascade' })
  serverId: string | null = null;

  /** The recording mode whose recordings this policy keeps (scope `mode`). */
  @ManyToOne({ entity: () => RecordingMode, mapToPk: true, fieldName: 'mode_id', nullable: true, deleteRule: 'cascade' })
  modeId: string | null = null;

  @Property({ type: 'integer' })
  keepDays!: number;

  @Enum({ items: () => [...RETENTION_ACTIONS], type: 'text' })
  action!: RetentionAction;

  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
