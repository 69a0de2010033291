import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ParticipantData, ParticipantRole } from '../../domain/index.ts';
import { Conference } from './conference.ts';
import { MessengerServer } from './messenger-server.ts';
import { User } from './user.ts';

@Entity({ tableName: 'participants' })
@Unique({ properties: ['conferenceId', 'userId'] })
export class Participant implements ParticipantData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade' })
  conferenceId!: string;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'user_id', index: true })
  userId!: string;

  @Property({ type: 'text' })
  name!: string;

  @ManyToOne({ entity: () => MessengerServer, mapToPk: true, fieldName: 'server_id' })
  serverId!: string;

  @Enum({ items: () => ['admin', 'member'], type: 'text' })
  role!: ParticipantRole;

  @Property({ type: 'boolean' })
  present!: boolean;

  @Property({ type: 'datetime' })
  joinedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  leftAt!: Date | null;
}
