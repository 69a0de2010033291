import type { ApplianceEvent } from './appliance-event.ts';

export type EventListener = (event: ApplianceEvent) => void;

/**
 * Fans events out to the WebSocket hub, the recorder and the bot inside this process. Events are
 * published only after the transaction that caused them has committed.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(events: Iterable<ApplianceEvent>): void {
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          // One failing listener must not keep the event from the others.
          console.error(`event listener failed on ${event.type}:`, error);
        }
      }
    }
  }
}
