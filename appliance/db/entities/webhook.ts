import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { WebhookEvent } from '../../domain/index.ts';

/** A receiver of recording events, POSTed signed JSON (see domain/webhooks.ts). */
@Entity({ tableName: 'webhooks' })
export class Webhook {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  url!: string;

  /** The HMAC key the receiver checks signatures with. */
  @Property({ type: 'text', hidden: true })
  secret!: string;

  @Property({ type: 'json' })
  events!: WebhookEvent[];

  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
