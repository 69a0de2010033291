import { Device } from 'mediasoup-client';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import type { MediaEvent, MediaMethod, MediaRequests, MediaSource, ProducerInfo } from '../../../sfu/signalling-protocol.ts';
import { backoffDelay } from '../api/backoff.ts';
import { SignallingRefusedError, SignallingUnavailableError } from '../api/live-connection.ts';
import type { LiveConnection } from '../api/live-connection.ts';

export type SendKind = 'audio' | 'video';

/** What the session shows of the others' media, and how it reports trouble. */
export interface MediaSink {
  remoteAdded(remote: { userId: string; producerId: string; track: MediaStreamTrack; paused: boolean }): void;
  remoteRemoved(producerId: string): void;
  remotePaused(producerId: string, paused: boolean): void;
  /** In the media (again): whatever went wrong before is over. */
  joined(): void;
  /** `retryInMs` when the session tries again by itself. */
  failed(error: unknown, retryInMs: number | null): void;
}

const SOURCE: Record<SendKind, MediaSource> = { audio: 'microphone', video: 'camera' };

/**
 * One browser's part in a conference's media, over the signalling of `signalling-protocol.ts`:
 * a send transport for the own camera and microphone, a receive transport for everybody else's.
 * Every step runs in one queue, so joins, restarts and the server's producer events never
 * interleave.
 */
export class MediaSession {
  readonly #live: LiveConnection;
  readonly #conferenceId: string;
  readonly #myUserId: string;
  readonly #sink: MediaSink;
  readonly #local: MediaStream | null;
  readonly #sending: Record<SendKind, boolean> = { audio: true, video: true };
  readonly #producers = new Map<SendKind, Producer>();
  readonly #consumers = new Map<string, Consumer>();
  #device: Device | undefined;
  #send: Transport | undefined;
  #recv: Transport | undefined;
  #joined = false;
  #left = false;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: { live: LiveConnection; conferenceId: string; myUserId: string; local: MediaStream | null; sink: MediaSink }) {
    this.#live = options.live;
    this.#conferenceId = options.conferenceId;
    this.#myUserId = options.myUserId;
    this.#local = options.local;
    this.#sink = options.sink;
  }

  /**
   * Enters the media, leaving first whatever is left of an earlier entry (after a media server
   * failure or a lost connection the server's side of it is gone). A failure the server may get
   * over (no answer, its media restarting) is retried with growing delays.
   */
  join(): Promise<void> {
    return this.#enqueue(async () => {
      clearTimeout(this.#retry);
      if (this.#left) return;
      this.#teardown();
      try {
        await this.#join();
        this.#failures = 0;
        this.#sink.joined();
      } catch (error) {
        this.#teardown();
        this.#failed(error, mayRetry(error));
      }
    });
  }

  leave(): Promise<void> {
    this.#left = true;
    clearTimeout(this.#retry);
    return this.#enqueue(async () => {
      const joined = this.#joined;
      this.#teardown();
      // Leaving is best effort: closing the socket frees the same resources on the server.
      if (joined) await this.#request('media.leave', {}).catch(() => undefined);
    });
  }

  handle(event: MediaEvent): void {
    switch (event.type) {
      case 'media.producer_added':
        void this.#enqueue(() => this.#consume(event));
        break;
      case 'media.producer_removed':
        this.#dropConsumer(event.producerId);
        break;
      case 'media.consumer_closed':
        for (const [producerId, consumer] of this.#consumers) if (consumer.id === event.consumerId) this.#dropConsumer(producerId);
        break;
      case 'media.producer_paused':
      case 'media.producer_resumed':
        this.#sink.remotePaused(event.producerId, event.type === 'media.producer_paused');
        break;
      case 'media.restart':
        void this.join();
        break;
    }
  }

  /** Camera or microphone off and on: the producer pauses, nothing is renegotiated. */
  setSending(kind: SendKind, on: boolean): Promise<void> {
    this.#sending[kind] = on;
    for (const track of this.#tracks(kind)) track.enabled = on;
    return this.#enqueue(async () => {
      const producer = this.#producers.get(kind);
      if (!producer || producer.closed) return;
      if (on) producer.resume();
      else producer.pause();
      await this.#request(on ? 'media.resumeProducer' : 'media.pauseProducer', { producerId: producer.id });
    });
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch((error) => this.#sink.failed(error, null));
    return this.#queue;
  }

  async #join(): Promise<void> {
    const { routerRtpCapabilities, producers } = await this.#request('media.join', {});
    this.#joined = true;
    const device = new Device();
    await device.load({ routerRtpCapabilities });
    this.#device = device;
    this.#recv = await this.#createTransport(device, 'recv');
    const tracks = (['audio', 'video'] as const).flatMap((kind) => this.#tracks(kind).map((track) => [kind, track] as const)).filter(([kind]) => device.canProduce(kind));
    if (tracks.length) this.#send = await this.#createTransport(device, 'send');
    for (const [kind, track] of tracks) await this.#produce(kind, track);
    for (const producer of producers) await this.#consume(producer);
  }

  async #createTransport(device: Device, direction: 'send' | 'recv'): Promise<Transport> {
    const { transportId, ...parameters } = await this.#request('media.createTransport', { direction });
    const options = { id: transportId, ...parameters };
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#request('media.connectTransport', { transportId, dtlsParameters }).then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.#request('media.produce', { transportId, kind, rtpParameters, source: appData.source as MediaSource }).then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('connectionstatechange', (state) => {
      // The network between browser and appliance dropped the media: enter it anew, as after a restart.
      if (state === 'failed') this.#failed(new Error(`the ${direction} media connection failed (firewall, or RTC_ANNOUNCED_IP?)`), true);
    });
    return transport;
  }

  async #produce(kind: SendKind, track: MediaStreamTrack): Promise<void> {
    // The same tracks serve every rejoin: closing a producer must not stop them.
    const producer = await this.#send!.produce({ track, stopTracks: false, appData: { source: SOURCE[kind] } });
    this.#producers.set(kind, producer);
    if (!this.#sending[kind]) {
      producer.pause();
      await this.#request('media.pauseProducer', { producerId: producer.id });
    }
  }

  async #consume(producer: ProducerInfo): Promise<void> {
    if (!this.#device || !this.#recv || producer.userId === this.#myUserId || this.#consumers.has(producer.producerId)) return;
    const offer = await this.#request('media.consume', { transportId: this.#recv.id, producerId: producer.producerId, rtpCapabilities: this.#device.rtpCapabilities });
    const consumer = await this.#recv.consume({ id: offer.consumerId, producerId: offer.producerId, kind: offer.kind, rtpParameters: offer.rtpParameters });
    this.#consumers.set(producer.producerId, consumer);
    this.#sink.remoteAdded({ userId: offer.userId, producerId: offer.producerId, track: consumer.track, paused: offer.producerPaused });
    await this.#request('media.resumeConsumer', { consumerId: consumer.id });
  }

  #failed(error: unknown, retry: boolean): void {
    const retryInMs = retry && !this.#left ? backoffDelay(++this.#failures) : null;
    if (retryInMs !== null) {
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => void this.join(), retryInMs);
    }
    this.#sink.failed(error, retryInMs);
  }

  #dropConsumer(producerId: string): void {
    this.#consumers.get(producerId)?.close();
    this.#consumers.delete(producerId);
    this.#sink.remoteRemoved(producerId);
  }

  #teardown(): void {
    for (const producerId of [...this.#consumers.keys()]) this.#dropConsumer(producerId);
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#send = this.#recv = this.#device = undefined;
    this.#joined = false;
  }

  #tracks(kind: SendKind): MediaStreamTrack[] {
    return kind === 'audio' ? (this.#local?.getAudioTracks() ?? []) : (this.#local?.getVideoTracks() ?? []);
  }

  #request<M extends MediaMethod>(method: M, params: Omit<MediaRequests[M]['params'], 'conferenceId'>): Promise<MediaRequests[M]['result']> {
    return this.#live.request(method, { ...params, conferenceId: this.#conferenceId } as MediaRequests[M]['params']);
  }
}

/** Worth trying again: no answer in time, or the server's own trouble (its media restarting or closing). */
function mayRetry(error: unknown): boolean {
  if (error instanceof SignallingUnavailableError) return error.reason === 'timeout';
  return error instanceof SignallingRefusedError && (error.code === 'conflict' || error.code === 'internal');
}
