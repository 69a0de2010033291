import type { MediaKind, TransportType, Worker } from 'mediasoup/types';

/** Live mediasoup objects by kind: what /healthz shows and the Prometheus gauges will read. */
export interface SfuCounts {
  workers: number;
  routers: number;
  transports: Record<TransportType, number>;
  producers: Record<MediaKind, number>;
  consumers: Record<MediaKind, number>;
}

/**
 * Counts what the workers hold by following mediasoup's observer events, so the counts include
 * everything (browser transports and recorder taps alike) and drop to zero when a worker dies,
 * without asking the workers.
 */
export class MediaCensus {
  readonly #routersByWorker = new Map<Worker, number>();
  #routers = 0;
  readonly #transports: Record<TransportType, number> = { webrtc: 0, plain: 0, pipe: 0, direct: 0 };
  readonly #producers: Record<MediaKind, number> = { audio: 0, video: 0 };
  readonly #consumers: Record<MediaKind, number> = { audio: 0, video: 0 };

  watch(worker: Worker): void {
    this.#routersByWorker.set(worker, 0);
    worker.observer.once('close', () => this.#routersByWorker.delete(worker));
    worker.observer.on('newrouter', (router) => {
      this.#routers++;
      this.#routersByWorker.set(worker, (this.#routersByWorker.get(worker) ?? 0) + 1);
      router.observer.once('close', () => {
        this.#routers--;
        if (this.#routersByWorker.has(worker)) this.#routersByWorker.set(worker, this.#routersByWorker.get(worker)! - 1);
      });
      router.observer.on('newtransport', (transport) => {
        const type = transport.type;
        this.#transports[type]++;
        transport.observer.once('close', () => this.#transports[type]--);
        transport.observer.on('newproducer', (producer) => {
          this.#producers[producer.kind]++;
          producer.observer.once('close', () => this.#producers[producer.kind]--);
        });
        transport.observer.on('newconsumer', (consumer) => {
          this.#consumers[consumer.kind]++;
          consumer.observer.once('close', () => this.#consumers[consumer.kind]--);
        });
      });
    });
  }

  /** How many routers (rooms) a worker carries: the measure for placing the next room. */
  routersOn(worker: Worker): number {
    return this.#routersByWorker.get(worker) ?? 0;
  }

  counts(): SfuCounts {
    return {
      workers: [...this.#routersByWorker.keys()].filter((worker) => !worker.closed).length,
      routers: this.#routers,
      transports: { ...this.#transports },
      producers: { ...this.#producers },
      consumers: { ...this.#consumers },
    };
  }
}
