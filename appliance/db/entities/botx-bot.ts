import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';

/** The Recordings Bot's account on an Express server, as its admin panel shows it. */
@Entity({ tableName: 'botx_bots' })
@Unique({ properties: ['ctsUrl', 'botId'] })
export class BotxBot {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Address of the Express server (CTS), e.g. https://cts.example.org. */
  @Property({ type: 'text' })
  ctsUrl!: string;

  @Property({ type: 'uuid' })
  botId!: string;

  @Property({ type: 'text', hidden: true })
  secretKey!: string;

  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
