import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { MessengerServer } from './messenger-server.ts';

/** A messenger user as the appliance has seen them; identified by their server and its user id. */
@Entity({ tableName: 'users' })
@Unique({ properties: ['serverId', 'externalId'] })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => MessengerServer, mapToPk: true, fieldName: 'server_id', deleteRule: 'cascade' })
  serverId!: string;

  /** The `sub` of the server's tokens. */
  @Property({ type: 'text' })
  externalId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'datetime' })
  lastSeenAt: Opt<Date> = new Date();
}
