import type { Worker } from 'mediasoup/types';
import { MediaUnavailableError } from './errors.ts';
import { SafeEmitter } from './safe-emitter.ts';
import { loadMediasoup } from './worker-binary.ts';

export interface WorkerPoolEvents {
  /** A worker process started: at start-up, or to replace one that died. */
  workerStarted: [worker: Worker];
}

/** Replacement attempts back off up to this, so a worker that cannot start is not retried in a tight loop. */
const MAX_RESPAWN_DELAY_MS = 30_000;

/**
 * One mediasoup worker process per CPU core (or as configured). A worker that dies is replaced;
 * the rooms it carried learn of it from their routers, which close with it.
 */
export class WorkerPool extends SafeEmitter<WorkerPoolEvents> {
  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #respawns = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(size: number) {
    super();
    this.size = size;
  }

  /** Starts the workers one after another; subscribe to `workerStarted` before. */
  async start(): Promise<void> {
    if (this.#closed || this.#workers.length > 0) throw new Error('a worker pool starts once');
    try {
      for (let i = 0; i < this.size; i++) await this.#spawn();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** The workers alive now (fewer than `size` while a replacement starts). */
  get workers(): readonly Worker[] {
    return this.#workers;
  }

  /** The live worker with the least `load`: where the next room goes. */
  leastLoaded(load: (worker: Worker) => number): Worker {
    if (this.#closed) throw new MediaUnavailableError('it is shutting down');
    let best: Worker | undefined;
    for (const worker of this.#workers) if (!best || load(worker) < load(best)) best = worker;
    if (!best) throw new MediaUnavailableError('its media workers are restarting');
    return best;
  }

  /** Closes every worker and waits for their processes to exit, so none outlives the appliance. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#respawns) clearTimeout(timer);
    this.#respawns.clear();
    await Promise.all(this.#workers.splice(0).map((worker) => closeAndWait(worker)));
  }

  async #spawn(): Promise<void> {
    const mediasoup = await loadMediasoup();
    // The RTC port range is set per transport (listenInfos), mediasoup's replacement for the
    // worker-wide rtcMinPort/rtcMaxPort.
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    if (this.#closed) {
      await closeAndWait(worker);
      return;
    }
    worker.on('died', (error) => this.#onDied(worker, error));
    this.#workers.push(worker);
    this.safeEmit('workerStarted', worker);
  }

  #onDied(worker: Worker, error: Error): void {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    // Its rooms learn of it from their routers, which closed with it.
    console.error(`sfu: mediasoup worker ${worker.pid} died (${error.message}); starting a replacement`);
    this.#respawnAfter(0, 1000);
  }

  #respawnAfter(delayMs: number, nextDelayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#respawns.delete(timer);
      this.#spawn().catch((error: unknown) => {
        console.error(`sfu: a replacement mediasoup worker failed to start; retrying in ${nextDelayMs} ms:`, error);
        this.#respawnAfter(nextDelayMs, Math.min(nextDelayMs * 2, MAX_RESPAWN_DELAY_MS));
      });
    }, delayMs);
    this.#respawns.add(timer);
  }
}

const EXIT_WAIT_MS = 3000;

function closeAndWait(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.subprocessClosed) return resolve();
    const timer = setTimeout(() => {
      console.error(`sfu: mediasoup worker ${worker.pid} did not exit within ${EXIT_WAIT_MS} ms of closing`);
      resolve();
    }, EXIT_WAIT_MS);
    worker.once('subprocessclose', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.close();
  });
}
