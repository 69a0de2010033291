import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuditEntry, DeliveryAttempt, OutboundDelivery } from '../db/entities/index.ts';
import type { OutboundChannel } from '../db/entities/outbound-delivery.ts';
import type { JobQueue, QueuedJob } from './job-queue.ts';

export interface AttemptResult {
  /** `retry` is taken as `failed` once the attempts run out. */
  outcome: 'delivered' | 'accepted' | 'retry' | 'failed';
  httpStatus: number | null;
  error: string | null;
  /** BotX's id of an accepted notification. */
  syncId?: string | null;
}

/** A way out of the appliance (webhooks, BotX): one try at one delivery. */
export interface DeliveryChannel {
  readonly channel: OutboundChannel;
  /** Answers of the far end, failures included, come back as a result; a throw is the appliance's own fault. */
  attempt(delivery: OutboundDelivery, em: EntityManager): Promise<AttemptResult>;
}

export type NewDelivery = Pick<OutboundDelivery, 'channel' | 'event' | 'target' | 'payload'> & Partial<Pick<OutboundDelivery, 'webhookId' | 'botxBotId' | 'conferenceId' | 'recordingId'>>;

interface DeliveryJob {
  deliveryId: string;
}

/**
 * Messages the appliance owes other systems, delivered at least once: each is stored before it is
 * queued, every try is recorded, failed tries are retried by the job queue with exponential
 * backoff (durable across restarts), and a delivery given up lands in the audit log.
 */
export class Outbox {
  readonly #orm: MikroORM;
  readonly #jobs: JobQueue;
  readonly #clock: () => Date;
  readonly #retry: { retryDelaySeconds: number; retryLimit: number };
  readonly #channels = new Map<OutboundChannel, DeliveryChannel>();

  constructor(deps: { orm: MikroORM; jobs: JobQueue; clock: () => Date; retry: { retryDelaySeconds: number; retryLimit: number } }) {
    this.#orm = deps.orm;
    this.#jobs = deps.jobs;
    this.#clock = deps.clock;
    this.#retry = deps.retry;
  }

  async start(channels: DeliveryChannel[]): Promise<void> {
    for (const channel of channels) {
      this.#channels.set(channel.channel, channel);
      await this.#jobs.work<DeliveryJob>(queueOf(channel.channel), { retryLimit: this.#retry.retryLimit, retryDelaySeconds: this.#retry.retryDelaySeconds }, (job) => this.#attempt(job));
    }
  }

  async enqueue(deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const em = this.#orm.em.fork();
    const rows = deliveries.map((d) => em.create(OutboundDelivery, { id: crypto.randomUUID(), createdAt: this.#clock(), ...d }));
    await em.flush();
    for (const row of rows) await this.#jobs.send(queueOf(row.channel), { deliveryId: row.id } satisfies DeliveryJob);
  }

  /** The far end's later word on an accepted delivery (BotX's callback); false when none matches. */
  async conclude(match: { syncId: string; botxBotId: string }, judge: (delivery: OutboundDelivery) => { delivered: true } | { delivered: false; error: string }): Promise<boolean> {
    const em = this.#orm.em.fork();
    const delivery = await em.findOne(OutboundDelivery, match);
    if (!delivery || delivery.state !== 'accepted') return false;
    const result = judge(delivery);
    if (result.delivered) this.#finish(delivery, 'delivered', null);
    else this.#giveUp(em, delivery, result.error);
    await em.flush();
    return true;
  }

  async #attempt(job: QueuedJob<DeliveryJob>): Promise<void> {
    const em = this.#orm.em.fork();
    const delivery = await em.findOne(OutboundDelivery, job.data.deliveryId);
    if (!delivery || delivery.state !== 'pending') return;
    const channel = this.#channels.get(delivery.channel);
    if (!channel) throw new Error(`no channel ${delivery.channel} in this process`);
    const started = Date.now();
    const result = await channel.attempt(delivery, em);
    const outcome = result.outcome === 'retry' && job.retryCount >= job.retryLimit ? 'failed' : result.outcome;
    delivery.attempts += 1;
    delivery.lastError = result.error;
    em.create(DeliveryAttempt, { deliveryId: delivery.id, number: delivery.attempts, at: this.#clock(), httpStatus: result.httpStatus, durationMs: Date.now() - started, outcome, error: result.error });
    if (outcome === 'delivered') this.#finish(delivery, 'delivered', null);
    if (outcome === 'accepted') {
      delivery.state = 'accepted';
      delivery.syncId = result.syncId ?? null;
    }
    if (outcome === 'failed') this.#giveUp(em, delivery, result.outcome === 'retry' ? `no success after ${delivery.attempts} attempts; the last one: ${result.error}` : (result.error ?? 'refused'));
    await em.flush();
    // The queue tries again later, waiting twice as long each time.
    if (outcome === 'retry') throw new Error(`${delivery.channel} delivery ${delivery.id}: ${result.error}`);
  }

  #finish(delivery: OutboundDelivery, state: 'delivered' | 'failed', error: string | null): void {
    delivery.state = state;
    delivery.lastError = error;
    delivery.finishedAt = this.#clock();
  }

  #giveUp(em: EntityManager, delivery: OutboundDelivery, error: string): void {
    this.#finish(delivery, 'failed', error);
    em.create(AuditEntry, {
      at: this.#clock(),
      action: `${delivery.channel}.failed`,
      conferenceId: delivery.conferenceId,
      recordingId: delivery.recordingId,
      details: { deliveryId: delivery.id, event: delivery.event, target: delivery.target, attempts: delivery.attempts, error },
    });
  }
}

function queueOf(channel: OutboundChannel): string {
  return `deliver-${channel}`;
}
