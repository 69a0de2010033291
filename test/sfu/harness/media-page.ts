/**
 * Runs in Chromium (bundled by esbuild): a bare media client that speaks signalling-protocol.ts,
 * sends the fake camera and microphone, shows everyone else's video, and reports what it sees.
 * It rejoins by itself on media.restart, as the web client must.
 */
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { MediaEvent, MediaMethod, MediaRequests, MediaResponse, ProducerInfo } from '../../../appliance/sfu/signalling-protocol.ts';

export interface RemoteVideo {
  producerId: string;
  userId: string;
  frames: number;
  width: number;
  currentTime: number;
}

export interface PageStatus {
  joined: boolean;
  restarts: number;
  ownProducers: string[];
  videos: RemoteVideo[];
  /** Bytes received over the receive transport (audio and video). */
  bytesReceived: number;
  events: MediaEvent[];
  errors: string[];
}

class SignallingError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

class Signalling {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (response: MediaResponse) => void>();
  #nextId = 1;
  onEvent: (event: MediaEvent) => void = () => {};

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as MediaResponse | MediaEvent;
      if ('id' in data) this.#pending.get(data.id)?.(data);
      else if (data.type.startsWith('media.')) this.onEvent(data);
    });
  }

  static open(url: string, protocols: string[]): Promise<Signalling> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols);
      socket.addEventListener('open', () => resolve(new Signalling(socket)));
      socket.addEventListener('error', () => reject(new Error(`cannot open ${url}`)));
    });
  }

  request<M extends MediaMethod>(method: M, params: MediaRequests[M]['params']): Promise<MediaRequests[M]['result']> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (response) => {
        this.#pending.delete(id);
        if (response.ok) resolve(response.data as MediaRequests[M]['result']);
        else reject(new SignallingError(response.error.code, response.error.message));
      });
      this.#socket.send(JSON.stringify({ id, method, ...params }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}

class MediaSession {
  readonly #signalling: Signalling;
  readonly #conferenceId: string;
  readonly #stream: MediaStream;
  readonly #videos = new Map<string, { info: ProducerInfo; element: HTMLVideoElement; frames: number }>();
  readonly #consumers = new Map<string, types.Consumer>();
  #recv: types.Transport | undefined;
  #send: types.Transport | undefined;
  #device: Device | undefined;
  /** Producers announced before the receive transport exists wait for it. */
  #ready: Promise<void> = Promise.resolve();
  ownProducers: string[] = [];

  constructor(signalling: Signalling, conferenceId: string, stream: MediaStream) {
    this.#signalling = signalling;
    this.#conferenceId = conferenceId;
    this.#stream = stream;
  }

  async join(): Promise<void> {
    const conferenceId = this.#conferenceId;
    const joined = this.#signalling.request('media.join', { conferenceId });
    this.#ready = joined.then(async ({ routerRtpCapabilities }) => {
      this.#device = await Device.factory();
      await this.#device.load({ routerRtpCapabilities });
      this.#recv = await this.#transport('recv');
    });
    const { producers } = await joined;
    await this.#ready;
    this.#send = await this.#transport('send');
    for (const track of this.#stream.getTracks()) {
      // The tracks outlive this session: a rejoin after media.restart sends them again.
      const producer = await this.#send.produce({ track, stopTracks: false, appData: { source: track.kind === 'audio' ? 'microphone' : 'camera' } });
      this.ownProducers.push(producer.id);
    }
    for (const info of producers) await this.consume(info);
  }

  async consume(info: ProducerInfo): Promise<void> {
    await this.#ready;
    const conferenceId = this.#conferenceId;
    const recv = this.#recv!;
    const answer = await this.#signalling.request('media.consume', { conferenceId, transportId: recv.id, producerId: info.producerId, rtpCapabilities: this.#device!.rtpCapabilities });
    const consumer = await recv.consume({ id: answer.consumerId, producerId: answer.producerId, kind: answer.kind, rtpParameters: answer.rtpParameters });
    this.#consumers.set(consumer.id, consumer);
    if (consumer.kind === 'video') {
      const element = document.createElement('video');
      element.muted = true;
      element.autoplay = true;
      element.playsInline = true;
      element.srcObject = new MediaStream([consumer.track]);
      document.body.append(element);
      const video = { info, element, frames: 0 };
      const count = () => {
        video.frames++;
        element.requestVideoFrameCallback(count);
      };
      element.requestVideoFrameCallback(count);
      this.#videos.set(info.producerId, video);
      void element.play();
    }
    await this.#signalling.request('media.resumeConsumer', { conferenceId, consumerId: consumer.id });
  }

  closeConsumer(consumerId: string): void {
    this.#consumers.get(consumerId)?.close();
    this.#consumers.delete(consumerId);
  }

  videos(): RemoteVideo[] {
    return [...this.#videos.values()].map(({ info, element, frames }) => ({ producerId: info.producerId, userId: info.userId, frames, width: element.videoWidth, currentTime: element.currentTime }));
  }

  async bytesReceived(): Promise<number> {
    let bytes = 0;
    (await this.#recv?.getStats())?.forEach((stat: { type: string; bytesReceived?: number }) => {
      if (stat.type === 'inbound-rtp') bytes += stat.bytesReceived ?? 0;
    });
    return bytes;
  }

  /** Drops everything of this session but the local tracks, which the next session sends again. */
  close(): void {
    this.#send?.close();
    this.#recv?.close();
    for (const { element } of this.#videos.values()) element.remove();
  }

  async #transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const conferenceId = this.#conferenceId;
    const { transportId, ...params } = await this.#signalling.request('media.createTransport', { conferenceId, direction });
    const options = { id: transportId, ...params };
    const transport = direction === 'send' ? this.#device!.createSendTransport(options) : this.#device!.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#signalling.request('media.connectTransport', { conferenceId, transportId, dtlsParameters }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      const source = appData.source as 'microphone' | 'camera';
      this.#signalling.request('media.produce', { conferenceId, transportId, kind, rtpParameters, source }).then(({ producerId }) => done({ id: producerId }), fail);
    });
    return transport;
  }
}

class Harness {
  #signalling: Signalling | undefined;
  #session: MediaSession | undefined;
  #stream: MediaStream | undefined;
  #restarts = 0;
  readonly #events: MediaEvent[] = [];
  readonly #errors: string[] = [];

  async connect(url: string, protocols: string[]): Promise<void> {
    this.#signalling = await Signalling.open(url, protocols);
    this.#signalling.onEvent = (event) => this.#onEvent(event);
    this.#stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
  }

  async join(conferenceId: string): Promise<void> {
    this.#session?.close();
    this.#session = new MediaSession(this.#signalling!, conferenceId, this.#stream!);
    await this.#session.join();
  }

  /** A media request made directly, for refusals: resolves to the error code, or 'ok'. */
  async attempt<M extends MediaMethod>(method: M, params: MediaRequests[M]['params']): Promise<string> {
    return this.#signalling!.request(method, params).then(
      () => 'ok',
      (error: unknown) => (error instanceof SignallingError ? error.code : String(error)),
    );
  }

  async status(): Promise<PageStatus> {
    return {
      joined: this.#session !== undefined,
      restarts: this.#restarts,
      ownProducers: this.#session?.ownProducers ?? [],
      videos: this.#session?.videos() ?? [],
      bytesReceived: (await this.#session?.bytesReceived()) ?? 0,
      events: this.#events,
      errors: this.#errors,
    };
  }

  close(): void {
    this.#session?.close();
    this.#signalling?.close();
  }

  #onEvent(event: MediaEvent): void {
    this.#events.push(event);
    const session = this.#session;
    const failed = (error: unknown) => this.#errors.push(`${event.type}: ${error instanceof Error ? error.message : String(error)}`);
    if (event.type === 'media.producer_added') {
      const { type: _type, conferenceId: _conferenceId, ...info } = event;
      session?.consume(info).catch(failed);
    } else if (event.type === 'media.consumer_closed') {
      session?.closeConsumer(event.consumerId);
    } else if (event.type === 'media.restart') {
      this.#restarts++;
      this.join(event.conferenceId).catch(failed);
    }
  }
}

declare global {
  interface Window {
    mediaHarness: Harness;
  }
}

window.mediaHarness = new Harness();
