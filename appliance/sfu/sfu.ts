/**
 * The appliance's SFU: mediasoup workers, one room (router) per conference, and the API the
 * recording backend uses.
 *
 * ## For the recording backend
 *
 * - `sfu.producersOf(conferenceId)`: the producers in the conference's media now, each with
 *   `producerId`, `userId`, `kind` (audio | video), `source` (microphone | camera | screen) and
 *   `paused`. Empty when nobody is in the media.
 * - Events (`sfu.on(name, listener)`, typed in sfu-events.ts; a throwing listener is logged and
 *   cannot disturb the SFU): `producerAdded`, `producerRemoved` (with `reason`: closed,
 *   room-closed, worker-died), `producerPaused`, `producerResumed`, `roomOpened`, `roomClosed`
 *   (conference-ended, empty, shutdown), and `roomRestarted` when the worker under a conference
 *   died: everything in that room is gone (the producers were reported removed with reason
 *   worker-died just before); keep what was recorded and note the gap. Participants have been
 *   told to rejoin, and their producers come back with `producerAdded` under new ids.
 * - `await sfu.tapProducer(conferenceId, producerId)`: an `RtpTap` for that producer's RTP.
 *   `tap.stream` is `{ codec, payloadType, ssrc, clockRate, channels?, parameters }` and
 *   `tap.rtpParameters` the full set: what the receiver needs to listen. Then
 *   `await tap.connect({ rtpPort, rtcpPort? })` sends to 127.0.0.1:rtpPort (RTCP to rtcpPort,
 *   default rtpPort + 1); pick ports outside the RTC port range (config rtc.minPort..maxPort),
 *   where the SFU's own sockets live. The tap starts paused: listen first, then
 *   `await tap.start()` (resumes and requests a key frame); `tap.requestKeyFrame()` again
 *   whenever the receiver restarts. It closes by itself, with a `closed` event (reason
 *   producer-closed or room-closed), when the producer or the room goes; `tap.close()` to stop.
 *   A tap does not keep a room open.
 * - `await sfu.ingest(conferenceId, userId, { kind, source, ssrc })`, for diagnostics: a loopback
 *   plain-RTP producer (VP8 PT 96 / Opus PT 100) registered like a browser's; see synthetic-ingest.ts.
 * - `sfu.counts()` for metrics: workers, routers, transports by type, producers and consumers by kind.
 */
import os from 'node:os';
import type { ComponentHealth } from '../http/health-registry.ts';
import type { EventBus } from '../events/event-bus.ts';
import { NotFoundError } from '../domain/index.ts';
import type { UsageLimits } from '../domain/index.ts';
import { MediaUnavailableError, NotInMediaError } from './errors.ts';
import { MediaCensus } from './media-census.ts';
import type { SfuCounts } from './media-census.ts';
import { Room } from './room.ts';
import type { ConsumerTraffic, RoomEvents } from './room.ts';
import { RtcNetwork } from './rtc-network.ts';
import type { RtcSettings } from './rtc-network.ts';
import type { RtpTap } from './rtp-tap.ts';
import { SafeEmitter } from './safe-emitter.ts';
import type { RoomProducer, SfuEvents } from './sfu-events.ts';
import type { IngestRequest, SyntheticIngest } from './synthetic-ingest.ts';
import type { MediaRequests } from './signalling-protocol.ts';
import { WorkerPool } from './worker-pool.ts';

export interface RoomSummary {
  conferenceId: string;
  workerPid: number;
  userIds: string[];
  producers: number;
}

/** Room events that the SFU passes on as they are. */
const RELAYED = ['producerAdded', 'producerRemoved', 'producerPaused', 'producerResumed', 'consumerClosed'] as const;

export class Sfu extends SafeEmitter<SfuEvents> {
  readonly #pool: WorkerPool;
  readonly #census: MediaCensus;
  readonly #network: RtcNetwork;
  readonly #limits: UsageLimits;
  readonly #rooms = new Map<string, Room>();
  /** Rooms whose router is being created: a second join in the meantime waits for the same one. */
  readonly #opening = new Map<string, Promise<Room>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  private constructor(pool: WorkerPool, census: MediaCensus, network: RtcNetwork, bus: EventBus, limits: UsageLimits) {
    super();
    this.#limits = limits;
    this.#pool = pool;
    this.#census = census;
    this.#network = network;
    // Leaving the conference (or its end) ends the media too, whatever the client does.
    this.#unsubscribe = bus.subscribe((event) => {
      if (event.type === 'participant.left') this.leave(event.conferenceId, event.userId);
      else if (event.type === 'conference.ended') this.#rooms.get(event.conferenceId)?.close('conference-ended');
    });
  }

  /** One worker per CPU core unless `rtc.workers` says otherwise. */
  static async start(options: { rtc: RtcSettings; bus: EventBus; limits: UsageLimits }): Promise<Sfu> {
    const pool = new WorkerPool(options.rtc.workers ?? os.availableParallelism());
    const census = new MediaCensus();
    pool.on('workerStarted', (worker) => census.watch(worker));
    await pool.start();
    const network = new RtcNetwork(options.rtc);
    if (!options.rtc.announcedIp && network.announcedAddress) {
      console.log(`sfu: announcing ${network.announcedAddress} to browsers (set RTC_ANNOUNCED_IP to choose the address)`);
    }
    return new Sfu(pool, census, network, options.bus, options.limits);
  }

  /** Enters `userId` into the conference's media, opening its room on the least loaded worker if needed. */
  async join(conferenceId: string, userId: string): Promise<MediaRequests['media.join']['result']> {
    const room = await this.#roomFor(conferenceId);
    return room.join(userId);
  }

  /** The room of a conference whose media `userId` has joined. */
  joinedRoom(conferenceId: string): Room {
    this.#assertOpen();
    const room = this.#rooms.get(conferenceId);
    if (!room) throw new NotInMediaError();
    return room;
  }

  leave(conferenceId: string, userId: string): void {
    if (this.#closed) return;
    this.#rooms.get(conferenceId)?.leave(userId);
  }

  /** Who is in the conference's media now. */
  mediaParticipants(conferenceId: string): string[] {
    return this.#rooms.get(conferenceId)?.userIds ?? [];
  }

  producersOf(conferenceId: string): RoomProducer[] {
    this.#assertOpen();
    return this.#rooms.get(conferenceId)?.producers() ?? [];
  }

  /**
   * Diagnostics only (the selftest), never reachable from the WebSocket: plain RTP sent to the
   * returned loopback port becomes `userId`'s producer, opening the conference's room if needed.
   */
  async ingest(conferenceId: string, userId: string, request: IngestRequest): Promise<SyntheticIngest> {
    const room = await this.#roomFor(conferenceId);
    return room.ingest(userId, request);
  }

  async tapProducer(conferenceId: string, producerId: string): Promise<RtpTap> {
    this.#assertOpen();
    const room = this.#rooms.get(conferenceId);
    if (!room) throw new NotFoundError('nobody is in this conference\'s media', 'conferenceId');
    return room.tap(producerId);
  }

  rooms(): RoomSummary[] {
    return [...this.#rooms.values()].map((room) => ({ conferenceId: room.conferenceId, workerPid: room.workerPid, userIds: room.userIds, producers: room.producers().length }));
  }

  /** What each participant's consumers have sent them: to see that media flows. */
  async consumerTraffic(conferenceId: string): Promise<ConsumerTraffic[]> {
    this.#assertOpen();
    return (await this.#rooms.get(conferenceId)?.consumerTraffic()) ?? [];
  }

  counts(): SfuCounts {
    return this.#census.counts();
  }

  /** Down while a dead worker is being replaced, or when the SFU has stopped. */
  health(): ComponentHealth {
    const workers = this.#pool.workers.map((worker) => ({ pid: worker.pid, ok: !worker.died && !worker.closed }));
    const counts = this.#census.counts();
    const ok = !this.#closed && workers.length === this.#pool.size && workers.every((worker) => worker.ok);
    return {
      ok,
      details: {
        workers,
        ...(workers.length < this.#pool.size ? { replacing: this.#pool.size - workers.length } : {}),
        rooms: this.#rooms.size,
        transports: counts.transports,
        producers: counts.producers,
        consumers: counts.consumers,
        announcedAddress: this.#network.announcedAddress ?? null,
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const room of [...this.#rooms.values()]) room.close('shutdown');
    await this.#pool.close();
  }

  #roomFor(conferenceId: string): Promise<Room> {
    this.#assertOpen();
    const room = this.#rooms.get(conferenceId);
    if (room) return Promise.resolve(room);
    let opening = this.#opening.get(conferenceId);
    if (!opening) {
      opening = this.#open(conferenceId).finally(() => this.#opening.delete(conferenceId));
      this.#opening.set(conferenceId, opening);
    }
    return opening;
  }

  async #open(conferenceId: string): Promise<Room> {
    const worker = this.#pool.leastLoaded((candidate) => this.#census.routersOn(candidate));
    const room = await Room.open(conferenceId, worker, this.#network, this.#limits);
    if (this.#closed) {
      room.close('shutdown');
      throw new MediaUnavailableError('it is shutting down');
    }
    this.#rooms.set(conferenceId, room);
    for (const name of RELAYED) this.#relay(room, name);
    room.once('empty', () => room.close('empty'));
    room.once('closed', (reason) => {
      this.#rooms.delete(conferenceId);
      this.safeEmit('roomClosed', { conferenceId, reason });
    });
    room.once('workerDied', (userIds) => {
      this.#rooms.delete(conferenceId);
      this.safeEmit('roomRestarted', { conferenceId, workerPid: room.workerPid, reason: `the media worker (pid ${room.workerPid}) died`, userIds });
    });
    this.safeEmit('roomOpened', { conferenceId, workerPid: room.workerPid });
    return room;
  }

  #relay<K extends (typeof RELAYED)[number]>(room: Room, name: K): void {
    room.on(name, ((...args: RoomEvents[K]) => this.safeEmit(name, ...(args as SfuEvents[K]))) as never);
  }

  #assertOpen(): void {
    if (this.#closed) throw new MediaUnavailableError('it is shutting down');
  }
}
