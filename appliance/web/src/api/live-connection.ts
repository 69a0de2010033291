import type { MediaMethod, MediaRequests, MediaResponse } from '../../../sfu/signalling-protocol.ts';
import { backoffDelay } from './backoff.ts';
import type { ServerPush } from './types.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export type LiveStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; reconnected: boolean }
  | { state: 'waiting'; attempt: number; retryAt: number }
  | { state: 'stopped' };

/** A media request got no answer because the socket closed, or in time. */
export class SignallingUnavailableError extends Error {
  readonly reason: 'connection-lost' | 'timeout';

  constructor(reason: 'connection-lost' | 'timeout') {
    super(reason === 'timeout' ? 'the media server did not answer in time' : 'the connection to the server was lost');
    this.reason = reason;
  }
}

/** The server answered a media request with `ok: false`. */
export class SignallingRefusedError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The one WebSocket of a signed-in user: conference events in, media requests out. It reconnects
 * by itself with growing delays and tells its listeners how it stands.
 */
export class LiveConnection {
  readonly #open: () => WebSocket;
  readonly #mayRetry: () => Promise<boolean>;
  readonly #messageListeners = new Set<(message: ServerPush) => void>();
  readonly #statusListeners = new Set<(status: LiveStatus) => void>();
  readonly #pending = new Map<number, Pending>();
  #socket: WebSocket | undefined;
  #status: LiveStatus = { state: 'connecting', attempt: 0 };
  #failures = 0;
  #opened = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #nextId = 1;
  /** Conferences this tab is in: each new socket says so, so that a reconnect keeps the user present. */
  readonly #attended = new Set<string>();

  /** `open` makes each new socket; `mayRetry` is asked before each reconnection: false (signed out) stops for good. */
  constructor(open: () => WebSocket, mayRetry: () => Promise<boolean>) {
    this.#open = open;
    this.#mayRetry = mayRetry;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  start(): void {
    this.#connect();
  }

  stop(): void {
    clearTimeout(this.#retry);
    this.#setStatus({ state: 'stopped' });
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#failPending();
  }

  onMessage(listener: (message: ServerPush) => void): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  /** After a lost connection is back: what happened meanwhile was not pushed, so look again. */
  onReconnected(listener: () => void): () => void {
    return this.onStatus((status) => (status.state === 'open' && status.reconnected ? listener() : undefined), false);
  }

  /** The listener hears every change of status, and at once the current one unless told otherwise. */
  onStatus(listener: (status: LiveStatus) => void, now = true): () => void {
    this.#statusListeners.add(listener);
    if (now) listener(this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  /** This tab is in the conference: the user stays present there while a socket of theirs is open (see README, Presence). */
  attend(conferenceId: string): void {
    this.#attended.add(conferenceId);
    this.#sendWhenOpen({ type: 'presence', conferenceId });
  }

  /** This tab has moved on from the conference. */
  unattend(conferenceId: string): void {
    if (this.#attended.delete(conferenceId)) this.#sendWhenOpen({ type: 'presence', conferenceId, here: false });
  }

  #sendWhenOpen(message: object): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  /**
   * Sends a media request. A socket still opening (the page has just loaded, the network is slow)
   * takes it once open; one that closes first fails it as lost, and the next open catches up.
   */
  request<M extends MediaMethod>(method: M, params: MediaRequests[M]['params']): Promise<MediaRequests[M]['result']> {
    const socket = this.#socket;
    if (!socket || socket.readyState > WebSocket.OPEN) return Promise.reject(new SignallingUnavailableError('connection-lost'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignallingUnavailableError('timeout'));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve: resolve as (data: unknown) => void, reject, timer });
      const send = () => {
        if (this.#pending.has(id)) socket.send(JSON.stringify({ ...params, id, method }));
      };
      if (socket.readyState === WebSocket.OPEN) send();
      else socket.addEventListener('open', send, { once: true });
    });
  }

  #connect(): void {
    this.#setStatus({ state: 'connecting', attempt: this.#failures });
    const socket = this.#open();
    this.#socket = socket;
    socket.addEventListener('open', () => {
      // After any failed attempt, even before the first open, requests may have failed meanwhile.
      const reconnected = this.#opened || this.#failures > 0;
      this.#opened = true;
      this.#failures = 0;
      for (const conferenceId of this.#attended) socket.send(JSON.stringify({ type: 'presence', conferenceId }));
      this.#setStatus({ state: 'open', reconnected });
    });
    socket.addEventListener('message', (event) => this.#receive(String(event.data)));
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#failPending();
      this.#scheduleRetry();
    });
  }

  #scheduleRetry(): void {
    this.#failures += 1;
    const delay = backoffDelay(this.#failures);
    this.#setStatus({ state: 'waiting', attempt: this.#failures, retryAt: Date.now() + delay });
    this.#retry = setTimeout(() => {
      void this.#mayRetry().then((may) => (may && this.#status.state === 'waiting' ? this.#connect() : undefined));
    }, delay);
  }

  #receive(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if ('ok' in message && 'id' in message) {
      this.#settle(message as MediaResponse);
      return;
    }
    for (const listener of this.#messageListeners) listener(message as ServerPush);
  }

  #settle(response: MediaResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve(response.data);
    else pending.reject(new SignallingRefusedError(response.error.code, response.error.message));
  }

  #failPending(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new SignallingUnavailableError('connection-lost'));
    }
    this.#pending.clear();
  }

  #setStatus(status: LiveStatus): void {
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
