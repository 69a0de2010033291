import type { MikroORM } from '@mikro-orm/postgresql';
import { isWebhookEvent } from '../domain/index.ts';
import type { WebhookEvent } from '../domain/index.ts';
import { Webhook } from '../db/entities/index.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Outbox } from '../jobs/outbox.ts';
import type { RecordingStatusReader } from '../bot/recording-status.ts';

/**
 * Turns recording events into webhook deliveries, one per enabled webhook listening to the event.
 * The body is the recording as the status API shows it at that moment, links included.
 */
export class WebhookDispatcher {
  readonly #orm: MikroORM;
  readonly #outbox: Outbox;
  readonly #status: RecordingStatusReader;
  readonly #clock: () => Date;
  readonly #pending = new Set<Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(deps: { orm: MikroORM; bus: EventBus; outbox: Outbox; status: RecordingStatusReader; clock: () => Date }) {
    this.#orm = deps.orm;
    this.#outbox = deps.outbox;
    this.#status = deps.status;
    this.#clock = deps.clock;
    this.#unsubscribe = deps.bus.subscribe((event) => {
      if (!isWebhookEvent(event.type) || !('recordingId' in event)) return;
      const work = this.#dispatch(event.type, event.recordingId)
        .catch((error) => console.error(`webhooks for ${event.type} of ${event.recordingId}:`, error))
        .finally(() => this.#pending.delete(work));
      this.#pending.add(work);
    });
  }

  /** Waits until the events seen so far are stored as deliveries (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    await this.settle();
  }

  async #dispatch(event: WebhookEvent, recordingId: string): Promise<void> {
    const webhooks = (await this.#orm.em.fork().find(Webhook, { enabled: true })).filter((w) => w.events.includes(event));
    if (webhooks.length === 0) return;
    const { conference, recording } = await this.#status.recording(recordingId);
    const payload = { event, occurredAt: this.#clock().toISOString(), conference, recording };
    await this.#outbox.enqueue(
      webhooks.map((webhook) => ({ channel: 'webhook' as const, webhookId: webhook.id, event, conferenceId: conference.id, recordingId, target: webhook.url, payload })),
    );
  }
}
