import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebSocket } from 'ws';
import { compileValidator } from '../api/request-validation.ts';
import { DomainError, InvalidInputError } from '../domain/index.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { WebSocketHub } from '../ws/websocket-hub.ts';
import { MediaSockets } from './media-sockets.ts';
import { ParticipantGate } from './participant-gate.ts';
import { REQUEST_SCHEMAS } from './request-schemas.ts';
import type { Sfu } from './sfu.ts';
import type { RoomProducer, SfuEvents } from './sfu-events.ts';
import type { MediaEvent, MediaMethod, MediaRequest, MediaRequests, MediaResponse } from './signalling-protocol.ts';

type Handlers = { [M in MediaMethod]: (userId: string, request: MediaRequest<M>) => Promise<MediaRequests[M]['result']> | MediaRequests[M]['result'] };

const VALIDATORS = Object.fromEntries(Object.entries(REQUEST_SCHEMAS).map(([method, schema]) => [method, compileValidator(schema, 'body')])) as Record<MediaMethod, (value: unknown) => void>;

function isMediaMethod(method: unknown): method is MediaMethod {
  return typeof method === 'string' && Object.hasOwn(REQUEST_SCHEMAS, method);
}

/**
 * The media signalling of signalling-protocol.ts over the appliance's WebSocket: checks each
 * request (shape, then that its sender is present in the conference), runs it on the SFU and
 * answers on the socket it came from; pushes the SFU's events to the other media participants.
 */
export class MediaSignalling {
  readonly #sfu: Sfu;
  readonly #gate: ParticipantGate;
  readonly #hub: Pick<WebSocketHub, 'onMessage' | 'sendTo'>;
  readonly #sockets: MediaSockets;
  readonly #detach: Array<() => void> = [];

  readonly #handlers: Handlers = {
    'media.join': async (userId, { conferenceId }) => {
      const joined = await this.#sfu.join(conferenceId, userId);
      // They may have left the conference while its media opened: then the leave event came too early to close it.
      await this.#gate.assertPresent(conferenceId, userId).catch((refusal: unknown) => {
        this.#sfu.leave(conferenceId, userId);
        throw refusal;
      });
      return joined;
    },
    'media.createTransport': (userId, { conferenceId, direction }) => this.#sfu.joinedRoom(conferenceId).createTransport(userId, direction),
    'media.connectTransport': async (userId, { conferenceId, transportId, dtlsParameters }) => {
      await this.#sfu.joinedRoom(conferenceId).connectTransport(userId, transportId, dtlsParameters);
      return {};
    },
    'media.produce': async (userId, { conferenceId, transportId, kind, rtpParameters, source }) => ({
      producerId: await this.#sfu.joinedRoom(conferenceId).produce(userId, { transportId, kind, rtpParameters, source }),
    }),
    'media.pauseProducer': async (userId, { conferenceId, producerId }) => {
      await this.#sfu.joinedRoom(conferenceId).pauseProducer(userId, producerId);
      return {};
    },
    'media.resumeProducer': async (userId, { conferenceId, producerId }) => {
      await this.#sfu.joinedRoom(conferenceId).resumeProducer(userId, producerId);
      return {};
    },
    'media.closeProducer': (userId, { conferenceId, producerId }) => {
      this.#sfu.joinedRoom(conferenceId).closeProducer(userId, producerId);
      return {};
    },
    'media.consume': (userId, { conferenceId, transportId, producerId, rtpCapabilities }) => this.#sfu.joinedRoom(conferenceId).consume(userId, { transportId, producerId, rtpCapabilities }),
    'media.resumeConsumer': async (userId, { conferenceId, consumerId }) => {
      await this.#sfu.joinedRoom(conferenceId).resumeConsumer(userId, consumerId);
      return {};
    },
    'media.leave': (userId, { conferenceId }) => {
      this.#sfu.leave(conferenceId, userId);
      return {};
    },
  };

  constructor(deps: { sfu: Sfu; hub: Pick<WebSocketHub, 'onMessage' | 'sendTo'>; orm: MikroORM; bus: EventBus }) {
    this.#sfu = deps.sfu;
    this.#gate = new ParticipantGate(deps.orm, deps.bus);
    this.#hub = deps.hub;
    this.#sockets = new MediaSockets((userId, conferenceId) => this.#sfu.leave(conferenceId, userId));
    this.#hub.onMessage((userId, message, socket) => void this.#handle(userId, message, socket));
    this.#listen('producerAdded', ({ conferenceId, ...info }) => this.#toOthers(info.userId, conferenceId, { type: 'media.producer_added', conferenceId, ...info }));
    this.#listen('producerRemoved', (producer) => {
      // When the whole room goes, its participants learn it from media.restart or the conference's end.
      if (producer.reason === 'closed') this.#toOthersAbout(producer, 'media.producer_removed');
    });
    this.#listen('producerPaused', (producer) => this.#toOthersAbout(producer, 'media.producer_paused'));
    this.#listen('producerResumed', (producer) => this.#toOthersAbout(producer, 'media.producer_resumed'));
    this.#listen('consumerClosed', ({ conferenceId, userId, consumerId }) => this.#send(userId, { type: 'media.consumer_closed', conferenceId, consumerId }));
    this.#listen('roomRestarted', ({ conferenceId, userIds, reason }) => {
      for (const userId of userIds) this.#send(userId, { type: 'media.restart', conferenceId, reason });
    });
  }

  /** Stops pushing SFU events; requests still arriving are answered by a stopped SFU. */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
    this.#gate.close();
  }

  async #handle(userId: string, message: Record<string, unknown>, socket: WebSocket): Promise<void> {
    if (typeof message.id !== 'number' || typeof message.method !== 'string') {
      reply(socket, { type: 'error', error: { code: 'invalid', message: 'requests carry a numeric id and a method' } });
      return;
    }
    let response: MediaResponse;
    try {
      response = { id: message.id, ok: true, data: await this.#run(userId, message, socket) };
    } catch (error) {
      response = { id: message.id, ok: false, error: errorBody(error) };
    }
    reply(socket, response);
  }

  async #run(userId: string, message: Record<string, unknown>, socket: WebSocket): Promise<MediaRequests[MediaMethod]['result']> {
    if (!isMediaMethod(message.method)) throw new InvalidInputError(`unknown method "${String(message.method)}"`, 'method');
    VALIDATORS[message.method](message);
    const request = message as unknown as MediaRequest;
    // Leaving is always allowed: it only ends the sender's own media.
    if (request.method !== 'media.leave') await this.#gate.assertPresent(request.conferenceId, userId);
    this.#sockets.note(userId, request.conferenceId, socket);
    const handler = this.#handlers[request.method] as (userId: string, request: MediaRequest) => Promise<MediaRequests[MediaMethod]['result']>;
    return handler(userId, request);
  }

  #listen<K extends keyof SfuEvents>(name: K, listener: (...args: SfuEvents[K]) => void): void {
    this.#sfu.on(name, listener as never);
    this.#detach.push(() => this.#sfu.off(name, listener as never));
  }

  #toOthersAbout(producer: RoomProducer, type: 'media.producer_removed' | 'media.producer_paused' | 'media.producer_resumed'): void {
    this.#toOthers(producer.userId, producer.conferenceId, { type, conferenceId: producer.conferenceId, producerId: producer.producerId });
  }

  /** Everyone in the conference's media but `ownerId`: the owner knows what they did. */
  #toOthers(ownerId: string, conferenceId: string, event: MediaEvent): void {
    for (const userId of this.#sfu.mediaParticipants(conferenceId)) if (userId !== ownerId) this.#send(userId, event);
  }

  #send(userId: string, event: MediaEvent): void {
    this.#hub.sendTo(userId, event);
  }
}

function reply(socket: WebSocket, message: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Refusals keep their code and words; anything else is logged and answered as internal. */
function errorBody(error: unknown): { code: string; message: string; field?: string } {
  if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  console.error('media signalling: unexpected error:', error);
  return { code: 'internal', message: 'the media server failed to handle this request; it has been logged' };
}
