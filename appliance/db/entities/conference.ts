import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { ConferenceData, ConferenceState } from '../../domain/index.ts';
import { User } from './user.ts';

@Entity({ tableName: 'conferences' })
export class Conference implements ConferenceData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'created_by' })
  createdBy!: string;

  @Enum({ items: () => ['active', 'ended'], type: 'text' })
  @Index()
  state!: ConferenceState;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  endedAt!: Date | null;
}
