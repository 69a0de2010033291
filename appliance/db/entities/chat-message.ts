import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { ChatLink, ChatMessageData } from '../../domain/index.ts';
import { Conference } from './conference.ts';
import { User } from './user.ts';

@Entity({ tableName: 'chat_messages' })
@Index({ properties: ['conferenceId', 'createdAt'] })
export class ChatMessage implements ChatMessageData {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade' })
  conferenceId!: string;

  @ManyToOne({ entity: () => User, mapToPk: true, fieldName: 'author_user_id', nullable: true })
  authorUserId!: string | null;

  @Property({ type: 'text' })
  authorName!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'json' })
  links: Opt<ChatLink[]> = [];

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
