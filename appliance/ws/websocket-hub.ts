import crypto from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticator.ts';
import { UnauthenticatedError } from '../auth/errors.ts';
import { bearerToken } from '../api/api-router.ts';
import { addresseeOf } from '../domain/index.ts';
import type { DomainEvent } from '../domain/index.ts';
import { Participant } from '../db/entities/index.ts';
import type { ApplianceEvent } from '../events/appliance-event.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { PresenceWatch } from '../conferences/presence-watch.ts';
import { WEBSOCKET_PROTOCOL, offeredProtocols } from './websocket-protocol.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tab is in one conference at a time; a few allow for a client that moves on without closing. */
const MOST_CONFERENCES_PER_SOCKET = 16;

/**
 * Live events for signed-in users at `/ws`. Each user gets the events of every conference they
 * take or took part in; a question meant for one participant goes to them alone.
 */
export class WebSocketHub {
  readonly #server: WebSocketServer;
  readonly #authenticator: Authenticator;
  readonly #orm: MikroORM;
  readonly #socketsByUser = new Map<string, Set<WebSocket>>();
  /**
   * Who took part in each conference; filled on first use, grown by join events, and dropped once
   * none of them is connected, so the map stays as small as the audiences someone can hear.
   */
  readonly #audience = new Map<string, Promise<Set<string>>>();
  readonly #alive = new WeakSet<WebSocket>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #presence: Pick<PresenceWatch, 'connected' | 'disconnected'>;
  readonly #unsubscribe: () => void;
  #delivery: Promise<void> = Promise.resolve();
  /** Extra hooks for signalling messages from clients (the media plane registers here). */
  #messageHandler: ((userId: string, message: Record<string, unknown>, socket: WebSocket) => void) | undefined;

  /**
   * A socket that says `{"type": "presence", "conferenceId": …}` keeps its user present there
   * until it closes, stops answering pings for a whole `heartbeatMs`, or says `"here": false`.
   */
  constructor(deps: { httpServer: Server; authenticator: Authenticator; orm: MikroORM; bus: EventBus; presence: Pick<PresenceWatch, 'connected' | 'disconnected'>; heartbeatMs: number }) {
    this.#authenticator = deps.authenticator;
    this.#presence = deps.presence;
    this.#orm = deps.orm;
    this.#server = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, handleProtocols: (protocols) => protocols.has(WEBSOCKET_PROTOCOL) && WEBSOCKET_PROTOCOL });
    deps.httpServer.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') return socket.destroy();
      void this.#accept(request, url).then(
        (userId) => this.#server.handleUpgrade(request, socket, head, (ws) => this.#register(userId, ws)),
        (error) => {
          const status = error instanceof UnauthenticatedError ? '401 Unauthorized' : '500 Internal Server Error';
          socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${error instanceof UnauthenticatedError ? error.message : 'internal error'}`);
        },
      );
    });
    // Delivery awaits the audience lookup; chaining keeps events in the order they happened.
    this.#unsubscribe = deps.bus.subscribe((event) => this.#enqueue(() => this.#deliver(event)));
    this.#heartbeat = setInterval(() => this.#checkAlive(), deps.heartbeatMs);
  }

  onMessage(handler: (userId: string, message: Record<string, unknown>, socket: WebSocket) => void): void {
    this.#messageHandler = handler;
  }

  get connections(): number {
    return this.#server.clients.size;
  }

  /** How many conferences' audiences are held in memory. */
  get conferenceAudiences(): number {
    return this.#audience.size;
  }

  sendTo(userId: string, message: object): void {
    const data = JSON.stringify(message);
    for (const socket of this.#socketsByUser.get(userId) ?? []) socket.send(data);
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    for (const socket of this.#server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #accept(request: IncomingMessage, url: URL): Promise<string> {
    if (url.searchParams.has('token')) {
      throw new UnauthenticatedError(
        `the token goes not in the URL, where access logs keep it, but in the Sec-WebSocket-Protocol header (offer "${WEBSOCKET_PROTOCOL}" and "bearer.<token>") or an Authorization header`,
      );
    }
    const offered = offeredProtocols(request.headers['sec-websocket-protocol']);
    // A browser that offered subprotocols drops the connection unless one of them is chosen.
    if (offered.token !== undefined && !offered.speaksAppliance) throw new UnauthenticatedError(`offer "${WEBSOCKET_PROTOCOL}" beside "bearer.<token>"`);
    const actor = await this.#authenticator.authenticate(offered.token ?? bearerToken(request));
    return actor.userId;
  }

  #register(userId: string, socket: WebSocket): void {
    let sockets = this.#socketsByUser.get(userId);
    if (!sockets) this.#socketsByUser.set(userId, (sockets = new Set()));
    sockets.add(socket);
    this.#alive.add(socket);
    socket.on('pong', () => this.#alive.add(socket));
    const connectionId = crypto.randomUUID();
    const conferences = new Set<string>();
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        this.#socketsByUser.delete(userId);
        this.#enqueue(() => this.#forgetUnheard([...this.#audience.keys()]));
      }
      for (const conferenceId of conferences) this.#presence.disconnected({ conferenceId, userId }, connectionId);
    });
    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        socket.send(JSON.stringify({ type: 'error', error: { code: 'invalid', message: 'messages are JSON objects' } }));
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      if ('type' in message && message.type === 'presence') {
        this.#attend(userId, socket, connectionId, conferences, message);
        return;
      }
      this.#messageHandler?.(userId, message as Record<string, unknown>, socket);
    });
    socket.send(JSON.stringify({ type: 'hello', userId }));
  }

  #attend(userId: string, socket: WebSocket, connectionId: string, conferences: Set<string>, message: object): void {
    const conferenceId = 'conferenceId' in message ? message.conferenceId : undefined;
    if (typeof conferenceId !== 'string' || !UUID.test(conferenceId)) {
      socket.send(JSON.stringify({ type: 'error', error: { code: 'invalid', message: 'presence names a conference by its id', field: 'conferenceId' } }));
      return;
    }
    if ('here' in message && message.here === false) {
      if (conferences.delete(conferenceId)) this.#presence.disconnected({ conferenceId, userId }, connectionId);
      return;
    }
    if (!conferences.has(conferenceId) && conferences.size >= MOST_CONFERENCES_PER_SOCKET) {
      socket.send(JSON.stringify({ type: 'error', error: { code: 'invalid', message: `one connection keeps its user present in at most ${MOST_CONFERENCES_PER_SOCKET} conferences`, field: 'conferenceId' } }));
      return;
    }
    conferences.add(conferenceId);
    this.#presence.connected({ conferenceId, userId }, connectionId);
  }

  #checkAlive(): void {
    for (const socket of this.#server.clients) {
      if (!this.#alive.has(socket)) {
        socket.terminate();
        continue;
      }
      this.#alive.delete(socket);
      socket.ping();
    }
  }

  /** Forgetting goes in the same queue as delivery, so it never drops an audience a delivery is about to grow. */
  #enqueue(work: () => Promise<void>): void {
    this.#delivery = this.#delivery.then(work).catch((error) => console.error('websocket delivery:', error));
  }

  async #forgetUnheard(conferenceIds: string[]): Promise<void> {
    for (const conferenceId of conferenceIds) {
      const audience = this.#audience.get(conferenceId);
      const members = await audience?.catch(() => null);
      if (!members || this.#audience.get(conferenceId) !== audience) continue;
      if (![...members].some((userId) => this.#socketsByUser.has(userId))) this.#audience.delete(conferenceId);
    }
  }

  async #deliver(event: ApplianceEvent): Promise<void> {
    if (event.type === 'participant.joined' || event.type === 'conference.created') await this.#grow(event);
    const addressee = addresseeOf(event as DomainEvent);
    const audience = addressee ? new Set([addressee]) : await this.#audienceOf(event.conferenceId);
    const data = JSON.stringify(event);
    for (const userId of audience) {
      for (const socket of this.#socketsByUser.get(userId) ?? []) socket.send(data);
    }
    await this.#forgetUnheard([event.conferenceId]);
  }

  async #grow(event: ApplianceEvent): Promise<void> {
    const audience = await this.#audienceOf(event.conferenceId);
    if (event.type === 'participant.joined') audience.add(event.userId);
  }

  #audienceOf(conferenceId: string): Promise<Set<string>> {
    let audience = this.#audience.get(conferenceId);
    if (!audience) {
      audience = this.#orm.em
        .fork()
        .find(Participant, { conferenceId }, { fields: ['userId'] })
        .then((rows) => new Set(rows.map((row) => row.userId)));
      this.#audience.set(conferenceId, audience);
      audience.catch(() => this.#audience.delete(conferenceId));
    }
    return audience;
  }
}
