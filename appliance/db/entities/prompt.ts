import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { PromptAnswer, PromptData, PromptKind } from '../../domain/index.ts';
import { Conference } from './conference.ts';
import { Recording } from './recording.ts';
import { User } from './user.ts';

@Entity({ tableName: 'prompts' })
@Index({ properties: ['conferenceId', 'answeredAt'] })
export class Prompt implements PromptData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade' })
  conferenceId!: string;

  @ManyToOne({ entity: () => Recording, mapToPk: true, fieldName: 'recording_id', deleteRule: 'cascade' })
  recordingId!: string;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'user_id' })
  userId!: string;

  @Enum({ items: () => ['consent', 'admin-confirmation'], type: 'text' })
  kind!: PromptKind;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  answeredAt!: Date | null;

  @Enum({ items: () => ['agree', 'leave'], type: 'text', nullable: true })
  answer!: PromptAnswer | null;
}
