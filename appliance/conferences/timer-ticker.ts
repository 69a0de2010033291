import type { MikroORM } from '@mikro-orm/postgresql';
import { recordedTime } from '../domain/index.ts';
import { Recording } from '../db/entities/index.ts';
import type { EventBus } from '../events/event-bus.ts';

/**
 * Pushes every live recording's timer once a second. It reads the database each time, so the timer
 * is right after a restart and whatever changed it.
 */
export class TimerTicker {
  readonly #orm: MikroORM;
  readonly #bus: EventBus;
  readonly #clock: () => Date;
  #interval: NodeJS.Timeout | undefined;
  #busy = false;
  /** A failing database would otherwise log the same error every second. */
  #lastError: string | undefined;

  constructor(orm: MikroORM, bus: EventBus, clock: () => Date) {
    this.#orm = orm;
    this.#bus = bus;
    this.#clock = clock;
  }

  start(periodMs = 1000): void {
    if (this.#interval) throw new Error('the timer ticker is already running');
    this.#interval = setInterval(() => void this.tick(), periodMs);
  }

  stop(): void {
    clearInterval(this.#interval);
    this.#interval = undefined;
  }

  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const live = await this.#orm.em.fork().find(Recording, { state: { $in: ['recording', 'paused'] } });
      const now = this.#clock();
      this.#bus.publish(
        live.map((r) => ({ type: 'recording.timer' as const, conferenceId: r.conferenceId, recordingId: r.id, state: r.state, recordedMs: recordedTime(r, now) })),
      );
      this.#lastError = undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.#lastError) console.error(`timer tick failed: ${message}`);
      this.#lastError = message;
    } finally {
      this.#busy = false;
    }
  }
}
