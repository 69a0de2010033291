import { EventEmitter } from 'node:events';

/**
 * A typed emitter whose listeners cannot break the emitter: the SFU emits from inside mediasoup's
 * own callbacks, where a throwing listener (the recorder's, say) would otherwise abort the
 * bookkeeping halfway. Such errors are logged instead, like mediasoup's own `safeEmit`.
 */
export class SafeEmitter<Events extends Record<keyof Events, unknown[]>> extends EventEmitter<Events> {
  safeEmit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    // rawListeners: calling a `once` wrapper also removes it, as emit() would.
    for (const listener of this.rawListeners(event as never) as unknown as Array<(...values: Events[K]) => void>) {
      try {
        listener.apply(this, args);
      } catch (error) {
        console.error(`sfu: a listener of ${event} failed:`, error);
      }
    }
  }
}
