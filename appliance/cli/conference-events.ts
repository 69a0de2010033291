import { WebSocket } from 'ws';
import type { ApplianceEvent } from '../events/appliance-event.ts';
import { SelftestError } from './selftest-error.ts';

/** The live events a participant receives at `/ws`, kept from the moment the socket opens. */
export class ConferenceEvents {
  readonly #socket: WebSocket;
  readonly #received: ApplianceEvent[] = [];
  #closedBecause: string | undefined;
  #wake: (() => void) | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as ApplianceEvent;
      if ('conferenceId' in event) this.#received.push(event);
      this.#wake?.();
    });
    socket.on('error', (error) => {
      this.#closedBecause = `the WebSocket failed: ${error.message}`;
      this.#wake?.();
    });
    socket.on('close', (code, reason) => {
      this.#closedBecause ??= `the appliance closed the WebSocket (${code}${reason.length ? `: ${reason}` : ''})`;
      this.#wake?.();
    });
  }

  static async open(baseUrl: string, token: string): Promise<ConferenceEvents> {
    const url = new URL('/ws', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) => reject(new SelftestError(`the WebSocket at ${url.origin}/ws was refused: ${response.statusCode}`)));
      socket.once('error', (error) => reject(new SelftestError(`the WebSocket at ${url.origin}/ws did not open: ${error.message}`)));
    });
    return new ConferenceEvents(socket);
  }

  /**
   * The first event, received so far or from now on, that `match` turns into a value; undefined
   * if none comes within `timeoutMs`.
   */
  async first<T>(match: (event: ApplianceEvent) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.#received.length; seen++) {
        const value = match(this.#received[seen]!);
        if (value !== undefined) return value;
      }
      if (this.#closedBecause) throw new SelftestError(this.#closedBecause);
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  close(): void {
    this.#socket.close();
  }
}
