import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { OutboundDelivery } from './outbound-delivery.ts';

export type AttemptOutcome = 'delivered' | 'accepted' | 'retry' | 'failed';

/** One try at a delivery: when, what came back, and what the appliance made of it. */
@Entity({ tableName: 'delivery_attempts' })
export class DeliveryAttempt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => OutboundDelivery, mapToPk: true, fieldName: 'delivery_id', deleteRule: 'cascade', index: true })
  deliveryId!: string;

  /** 1 for the first try. */
  @Property({ type: 'integer' })
  number!: number;

  @Property({ type: 'datetime' })
  at!: Date;

  /** null when no answer came (refused connection, timeout). */
  @Property({ type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Enum({ items: () => ['delivered', 'accepted', 'retry', 'failed'], type: 'text' })
  outcome!: AttemptOutcome;

  @Property({ type: 'text', nullable: true })
  error!: string | null;
}
