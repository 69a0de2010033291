import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { BotxBot } from './botx-bot.ts';
import { Conference } from './conference.ts';

/** The Express chat that gets the Recordings Bot's messages about a conference. */
@Entity({ tableName: 'botx_chats' })
export class BotxChat {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => Conference, mapToPk: true, fieldName: 'conference_id', deleteRule: 'cascade', unique: true })
  conferenceId!: string;

  @ManyToOne({ entity: () => BotxBot, mapToPk: true, fieldName: 'botx_bot_id', deleteRule: 'cascade' })
  botxBotId!: string;

  @Property({ type: 'uuid' })
  groupChatId!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
