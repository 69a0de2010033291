import type { DtlsParameters, MediaKind, Router, RtpCapabilities, RtpParameters, Worker } from 'mediasoup/types';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/index.ts';
import type { UsageLimits } from '../domain/index.ts';
import { NotInMediaError, RoomClosedError } from './errors.ts';
import { ROUTER_MEDIA_CODECS } from './media-codecs.ts';
import { MediaPeer } from './media-peer.ts';
import type { PeerProducer, TransportDirection } from './media-peer.ts';
import type { RtcNetwork } from './rtc-network.ts';
import { RtpTap } from './rtp-tap.ts';
import { SafeEmitter } from './safe-emitter.ts';
import type { ProducerRemovalReason, RoomCloseReason, RoomProducer, SfuEvents } from './sfu-events.ts';
import type { MediaRequests, MediaSource } from './signalling-protocol.ts';
import { ingestRtpParameters, ingestTransportOptions } from './synthetic-ingest.ts';
import type { IngestRequest, SyntheticIngest } from './synthetic-ingest.ts';

export type RoomEvents = Pick<SfuEvents, 'producerAdded' | 'producerRemoved' | 'producerPaused' | 'producerResumed' | 'consumerClosed'> & {
  /** The last participant left its media. */
  empty: [];
  closed: [reason: RoomCloseReason];
  /** Its worker died, taking the router and everything in it; `userIds` were in its media. */
  workerDied: [userIds: string[]];
};

/** What a consumer has sent its participant so far. */
export interface ConsumerTraffic {
  consumerId: string;
  userId: string;
  producerId: string;
  kind: MediaKind;
  bytes: number;
  packets: number;
}

type Result<M extends keyof MediaRequests> = MediaRequests[M]['result'];

const SOURCE_KINDS: Record<MediaSource, readonly MediaKind[]> = { microphone: ['audio'], camera: ['video'], screen: ['video', 'audio'] };

function assertSourceSends(source: MediaSource, kind: MediaKind): void {
  if (!SOURCE_KINDS[source].includes(kind)) throw new InvalidInputError(`a ${source} sends ${SOURCE_KINDS[source].join(' or ')}, not ${kind}`, 'kind');
}

/**
 * One conference's media: a router on one worker, and the participants who joined it. It relays
 * what happens to producers as events; the SFU tells the participants and the recorder.
 */
export class Room extends SafeEmitter<RoomEvents> {
  readonly conferenceId: string;
  readonly #worker: Worker;
  readonly #router: Router;
  readonly #network: RtcNetwork;
  readonly #limits: UsageLimits;
  readonly #peers = new Map<string, MediaPeer>();
  readonly #producers = new Map<string, PeerProducer>();
  #closed = false;

  private constructor(conferenceId: string, worker: Worker, router: Router, network: RtcNetwork, limits: UsageLimits) {
    super();
    this.#limits = limits;
    this.conferenceId = conferenceId;
    this.#worker = worker;
    this.#router = router;
    this.#network = network;
    router.on('workerclose', () => this.#onWorkerClosed());
  }

  static async open(conferenceId: string, worker: Worker, network: RtcNetwork, limits: UsageLimits): Promise<Room> {
    const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData: { conferenceId } });
    return new Room(conferenceId, worker, router, network, limits);
  }

  get workerPid(): number {
    return this.#worker.pid;
  }

  /** Who is in this conference's media now. */
  get userIds(): string[] {
    return [...this.#peers.keys()];
  }

  producers(): RoomProducer[] {
    return [...this.#producers.values()].map((producer) => this.#describe(producer));
  }

  /** Enters `userId` into the media; joining again (a reload, a rejoin) replaces their earlier media. */
  join(userId: string): Result<'media.join'> {
    this.#assertOpen();
    const previous = this.#peers.get(userId);
    this.#peers.set(userId, new MediaPeer(userId, this.#limits));
    previous?.close();
    return {
      routerRtpCapabilities: this.#router.rtpCapabilities,
      producers: this.producers().filter((producer) => producer.userId !== userId).map(({ conferenceId: _, ...info }) => info),
    };
  }

  leave(userId: string): void {
    if (this.#closed) return;
    const peer = this.#peers.get(userId);
    if (!peer) return;
    this.#peers.delete(userId);
    peer.close();
    if (this.#peers.size === 0) this.safeEmit('empty');
  }

  async createTransport(userId: string, direction: TransportDirection): Promise<Result<'media.createTransport'>> {
    const peer = this.#peer(userId);
    peer.assertMayAddTransport();
    const transport = await this.#router.createWebRtcTransport(this.#network.webRtcTransportOptions({ userId, direction }));
    peer.adoptTransport(transport);
    // After a DTLS close (the browser hung up) or a failed handshake the transport is dead: free its
    // ports now rather than when the participant leaves.
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') transport.close();
    });
    return { transportId: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
  }

  async connectTransport(userId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const peer = this.#peer(userId);
    const transport = peer.transport(transportId);
    await this.#clientInput(peer, 'the transport could not be connected', 'dtlsParameters', () => transport.connect({ dtlsParameters }));
  }

  async produce(userId: string, params: { transportId: string; kind: MediaKind; rtpParameters: RtpParameters; source: MediaSource }): Promise<string> {
    const peer = this.#peer(userId);
    const transport = peer.transport(params.transportId, 'send');
    assertSourceSends(params.source, params.kind);
    if (peer.producerOf(params.source, params.kind)) throw new ConflictError(`you already send ${params.kind} from your ${params.source}: close that producer first`, 'source');
    const producer = await this.#clientInput(peer, 'the producer was refused', 'rtpParameters', () =>
      transport.produce({ kind: params.kind, rtpParameters: params.rtpParameters, appData: { userId, source: params.source } }),
    );
    peer.adoptProducer(producer);
    this.#register(producer);
    return producer.id;
  }

  /**
   * Synthetic plain RTP as `userId`'s `source` (see synthetic-ingest.ts). It belongs to no media
   * peer, so it stays until closed or until the room closes, whoever joins or leaves.
   */
  async ingest(userId: string, request: IngestRequest): Promise<SyntheticIngest> {
    this.#assertOpen();
    assertSourceSends(request.source, request.kind);
    const transport = await this.#router.createPlainTransport(ingestTransportOptions(this.#network, { userId, ingest: true }));
    try {
      const producer: PeerProducer = await transport.produce({ kind: request.kind, rtpParameters: ingestRtpParameters(request.kind, request.ssrc), appData: { userId, source: request.source } });
      this.#register(producer);
      return { port: transport.tuple.localPort, producerId: producer.id, close: () => transport.close() };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async pauseProducer(userId: string, producerId: string): Promise<void> {
    const producer = this.#peer(userId).producer(producerId);
    if (producer.paused) return;
    await producer.pause();
    this.safeEmit('producerPaused', this.#describe(producer));
  }

  async resumeProducer(userId: string, producerId: string): Promise<void> {
    const producer = this.#peer(userId).producer(producerId);
    if (!producer.paused) return;
    await producer.resume();
    this.safeEmit('producerResumed', this.#describe(producer));
  }

  closeProducer(userId: string, producerId: string): void {
    this.#peer(userId).producer(producerId).close();
  }

  /** A consumer of another participant's producer, paused until the client has its track ready. */
  async consume(userId: string, params: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities }): Promise<Result<'media.consume'>> {
    const peer = this.#peer(userId);
    const transport = peer.transport(params.transportId, 'recv');
    peer.assertMayAddConsumer();
    const producer = this.#producer(params.producerId);
    if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities: params.rtpCapabilities })) {
      throw new InvalidInputError(`your device cannot receive this producer's codec (${producer.rtpParameters.codecs[0]?.mimeType})`, 'rtpCapabilities');
    }
    const consumer = await this.#clientInput(peer, 'the consumer was refused', 'rtpCapabilities', () =>
      transport.consume({ producerId: producer.id, rtpCapabilities: params.rtpCapabilities, paused: true, appData: { userId } }),
    );
    peer.adoptConsumer(consumer);
    consumer.on('producerclose', () => {
      if (!this.#closed) this.safeEmit('consumerClosed', { conferenceId: this.conferenceId, userId, consumerId: consumer.id, producerId: producer.id });
    });
    return {
      consumerId: consumer.id,
      producerId: producer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      userId: producer.appData.userId,
      source: producer.appData.source,
      producerPaused: consumer.producerPaused,
    };
  }

  async resumeConsumer(userId: string, consumerId: string): Promise<void> {
    await this.#peer(userId).consumer(consumerId).resume();
  }

  /** Plain RTP of one producer to the recorder (see RtpTap). */
  async tap(producerId: string): Promise<RtpTap> {
    return RtpTap.open(this.conferenceId, this.#router, this.#network, this.#producer(producerId));
  }

  async consumerTraffic(): Promise<ConsumerTraffic[]> {
    this.#assertOpen();
    const consumers = [...this.#peers.values()].flatMap((peer) => [...peer.consumers]);
    return Promise.all(
      consumers.map(async (consumer) => {
        const outbound = (await consumer.getStats()).filter((stat) => stat.type === 'outbound-rtp');
        return {
          consumerId: consumer.id,
          userId: consumer.appData.userId,
          producerId: consumer.producerId,
          kind: consumer.kind,
          bytes: outbound.reduce((sum, stat) => sum + stat.byteCount, 0),
          packets: outbound.reduce((sum, stat) => sum + stat.packetCount, 0),
        };
      }),
    );
  }

  close(reason: RoomCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.close();
    this.#dropPeers();
    this.safeEmit('closed', reason);
  }

  /** Closing the pool closes its workers too; only a death is a restart. */
  #onWorkerClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    const userIds = this.#dropPeers();
    if (this.#worker.died) this.safeEmit('workerDied', userIds);
    else this.safeEmit('closed', 'shutdown');
  }

  #dropPeers(): string[] {
    const userIds = this.userIds;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    return userIds;
  }

  /** Makes a producer known to the room, the recorder and the other participants until it closes. */
  #register(producer: PeerProducer): void {
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      this.#producers.delete(producer.id);
      this.safeEmit('producerRemoved', { ...this.#describe(producer), reason: this.#removalReason() });
    });
    this.safeEmit('producerAdded', this.#describe(producer));
  }

  #removalReason(): ProducerRemovalReason {
    if (this.#worker.died) return 'worker-died';
    return this.#router.closed ? 'room-closed' : 'closed';
  }

  #describe(producer: PeerProducer): RoomProducer {
    return { conferenceId: this.conferenceId, producerId: producer.id, userId: producer.appData.userId, kind: producer.kind, source: producer.appData.source, paused: producer.paused };
  }

  #peer(userId: string): MediaPeer {
    this.#assertOpen();
    const peer = this.#peers.get(userId);
    if (!peer) throw new NotInMediaError();
    return peer;
  }

  #producer(producerId: string): PeerProducer {
    this.#assertOpen();
    const producer = this.#producers.get(producerId);
    if (!producer) throw new NotFoundError('no such producer in this conference', 'producerId');
    return producer;
  }

  /**
   * mediasoup refuses malformed or conflicting parameters from the client with an error: that is
   * the client's mistake (invalid), unless the room closed under the request meanwhile.
   */
  async #clientInput<T>(peer: MediaPeer, what: string, field: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.#assertOpen();
      if (peer.closed) throw new NotInMediaError();
      throw new InvalidInputError(`${what}: ${error instanceof Error ? error.message : String(error)}`, field);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new RoomClosedError();
  }
}
