import type { Consumer, MediaKind, Producer, WebRtcTransport } from 'mediasoup/types';
import { ConflictError, NotFoundError, assertMayAddConsumer, assertMayAddTransport } from '../domain/index.ts';
import type { UsageLimits } from '../domain/index.ts';
import { NotInMediaError } from './errors.ts';
import type { MediaSource } from './signalling-protocol.ts';

export type TransportDirection = 'send' | 'recv';

export type PeerTransport = WebRtcTransport<{ userId: string; direction: TransportDirection }>;
export type PeerProducer = Producer<{ userId: string; source: MediaSource }>;
export type PeerConsumer = Consumer<{ userId: string }>;

/**
 * One participant's media in one room: their transports and what runs over them. Lookups take
 * only what is theirs, so nobody can touch another participant's media by guessing an id.
 * Closing a transport (or the peer) closes its producers and consumers; each leaves the maps
 * through mediasoup's `close` observer, whatever closed it.
 */
export class MediaPeer {
  readonly userId: string;
  readonly #limits: Pick<UsageLimits, 'transportsPerParticipant' | 'consumersPerParticipant'>;
  readonly #transports = new Map<string, PeerTransport>();
  readonly #producers = new Map<string, PeerProducer>();
  readonly #consumers = new Map<string, PeerConsumer>();
  #closed = false;

  constructor(userId: string, limits: Pick<UsageLimits, 'transportsPerParticipant' | 'consumersPerParticipant'>) {
    this.userId = userId;
    this.#limits = limits;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get consumers(): Iterable<PeerConsumer> {
    return this.#consumers.values();
  }

  /** Refuses before a transport is created that would exceed the limit. */
  assertMayAddTransport(): void {
    this.#assertOpen();
    assertMayAddTransport(this.#transports.size, this.#limits);
  }

  /** Refuses before a consumer is created that would exceed the limit. */
  assertMayAddConsumer(): void {
    this.#assertOpen();
    assertMayAddConsumer(this.#consumers.size, this.#limits);
  }

  /** Takes a transport created for this peer; closes it instead if the peer left meanwhile. */
  adoptTransport(transport: PeerTransport): void {
    this.#adopt(transport, this.#transports);
  }

  adoptProducer(producer: PeerProducer): void {
    this.#adopt(producer, this.#producers);
  }

  adoptConsumer(consumer: PeerConsumer): void {
    this.#adopt(consumer, this.#consumers);
  }

  transport(transportId: string, direction?: TransportDirection): PeerTransport {
    this.#assertOpen();
    const transport = this.#transports.get(transportId);
    if (!transport) throw new NotFoundError('no such transport of yours', 'transportId');
    if (direction && transport.appData.direction !== direction) {
      throw new ConflictError(`transport ${transportId} was created for ${transport.appData.direction === 'send' ? 'sending' : 'receiving'}`, 'transportId');
    }
    return transport;
  }

  producer(producerId: string): PeerProducer {
    this.#assertOpen();
    const producer = this.#producers.get(producerId);
    if (!producer) throw new NotFoundError('no such producer of yours', 'producerId');
    return producer;
  }

  /** The producer already sending this source's `kind`, if any: one of each per participant. */
  producerOf(source: MediaSource, kind: MediaKind): PeerProducer | undefined {
    for (const producer of this.#producers.values()) if (producer.appData.source === source && producer.kind === kind) return producer;
  }

  consumer(consumerId: string): PeerConsumer {
    this.#assertOpen();
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new NotFoundError('no such consumer of yours', 'consumerId');
    return consumer;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.#transports.values()]) transport.close();
  }

  #adopt<T extends { id: string; closed: boolean; close(): void; observer: { once(event: 'close', listener: () => void): unknown } }>(item: T, into: Map<string, T>): void {
    if (this.#closed || item.closed) {
      item.close();
      throw new NotInMediaError();
    }
    into.set(item.id, item);
    item.observer.once('close', () => into.delete(item.id));
  }

  #assertOpen(): void {
    if (this.#closed) throw new NotInMediaError();
  }
}
