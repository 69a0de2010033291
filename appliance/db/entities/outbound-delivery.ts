import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { BotxBot } from './botx-bot.ts';
import { Webhook } from './webhook.ts';

export type OutboundChannel = 'webhook' | 'botx';

/** `accepted`: BotX took the message and reports the result later by its callback. */
export type DeliveryState = 'pending' | 'accepted' | 'delivered' | 'failed';

/**
 * One message the appliance owes another system (a webhook call, a BotX notification), kept until
 * it is delivered or given up. Conference and recording are plain ids: the history outlives them.
 */
@Entity({ tableName: 'outbound_deliveries' })
@Index({ properties: ['state', 'createdAt'] })
export class OutboundDelivery {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Enum({ items: () => ['webhook', 'botx'], type: 'text' })
  channel!: OutboundChannel;

  @ManyToOne({ entity: () => Webhook, mapToPk: true, fieldName: 'webhook_id', nullable: true, deleteRule: 'cascade' })
  webhookId: string | null = null;

  @ManyToOne({ entity: () => BotxBot, mapToPk: true, fieldName: 'botx_bot_id', nullable: true, deleteRule: 'cascade' })
  botxBotId: string | null = null;

  /** The webhook event, or `bot.message`. */
  @Property({ type: 'text' })
  event!: string;

  @Property({ type: 'uuid', nullable: true })
  conferenceId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  recordingId: string | null = null;

  /** Where it goes, for people: the URL, or the Express host and chat. */
  @Property({ type: 'text' })
  target!: string;

  /** The JSON body, fixed at creation so every attempt sends the same. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Enum({ items: () => ['pending', 'accepted', 'delivered', 'failed'], type: 'text' })
  state: Opt<DeliveryState> = 'pending';

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** BotX's id for the accepted notification, which its callback names. */
  @Property({ type: 'uuid', nullable: true, index: true })
  syncId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;
}
