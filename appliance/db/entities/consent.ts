import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ConsentData } from '../../domain/index.ts';
import { Conference } from './conference.ts';
import { User } from './user.ts';

@Entity({ tableName: 'consents' })
@Unique({ properties: ['conferenceId', 'userId'] })
export class Consent implements ConsentData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade' })
  conferenceId!: string;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'user_id' })
  userId!: string;

  @Property({ type: 'datetime' })
  givenAt!: Date;
}
