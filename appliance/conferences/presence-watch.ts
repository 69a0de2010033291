import { PresenceLedger } from '../domain/index.ts';
import type { PresenceKey } from '../domain/index.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { ConferenceService } from './conference-service.ts';

/**
 * Carries the connection facts the WebSocket reports to the presence ledger, and when the ledger
 * says someone's grace period has run out, has the conference service apply the leave rule. The
 * grace period is wall-clock time, whatever clock the rules are stamped with.
 */
export class PresenceWatch {
  readonly #ledger: PresenceLedger;
  readonly #conferences: Pick<ConferenceService, 'loseConnection' | 'presentParticipants'>;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(deps: { graceMs: number; conferences: Pick<ConferenceService, 'loseConnection' | 'presentParticipants'>; bus: EventBus }) {
    this.#ledger = new PresenceLedger(deps.graceMs);
    this.#conferences = deps.conferences;
    this.#unsubscribe = deps.bus.subscribe((event) => {
      if (event.type === 'participant.left') this.#ledger.left(event);
    });
  }

  /** Everyone present from before this start has the grace period to connect again. */
  async start(): Promise<void> {
    const now = new Date();
    for (const key of await this.#conferences.presentParticipants()) this.#ledger.unconfirmed(key, now);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  connected(key: PresenceKey, connectionId: string): void {
    this.#ledger.connected(key, connectionId);
    this.#schedule();
  }

  disconnected(key: PresenceKey, connectionId: string): void {
    this.#ledger.disconnected(key, connectionId, new Date());
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const dueAt = this.#ledger.nextDueAt();
    if (this.#stopped || !dueAt) return;
    this.#timer = setTimeout(() => void this.#expire(), Math.max(0, dueAt.getTime() - Date.now()));
  }

  async #expire(): Promise<void> {
    for (const key of this.#ledger.due(new Date())) {
      if (this.#stopped) return;
      await this.#conferences.loseConnection(key.conferenceId, key.userId).catch((error) => console.error(`presence: ${key.userId} could not be taken out of conference ${key.conferenceId}:`, error));
    }
    this.#schedule();
  }
}
