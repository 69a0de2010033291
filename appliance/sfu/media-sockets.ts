import type { WebSocket } from 'ws';

/**
 * Which of a user's WebSockets carry their media in which conference. A user's media in a
 * conference ends when the last socket that signalled it closes (the tab closed, the network
 * dropped): a second tab, or a reload whose new socket joined before the old one closed, keeps it.
 */
export class MediaSockets {
  readonly #conferences = new Map<WebSocket, { userId: string; conferenceIds: Set<string> }>();
  readonly #onLastClosed: (userId: string, conferenceId: string) => void;

  constructor(onLastClosed: (userId: string, conferenceId: string) => void) {
    this.#onLastClosed = onLastClosed;
  }

  /** `socket` signalled `userId`'s media in `conferenceId`. */
  note(userId: string, conferenceId: string, socket: WebSocket): void {
    let entry = this.#conferences.get(socket);
    if (!entry) {
      entry = { userId, conferenceIds: new Set() };
      this.#conferences.set(socket, entry);
      socket.once('close', () => this.#forget(socket));
    }
    entry.conferenceIds.add(conferenceId);
  }

  #forget(socket: WebSocket): void {
    const entry = this.#conferences.get(socket);
    this.#conferences.delete(socket);
    if (!entry) return;
    for (const conferenceId of entry.conferenceIds) {
      const kept = [...this.#conferences.values()].some((other) => other.userId === entry.userId && other.conferenceIds.has(conferenceId));
      if (!kept) this.#onLastClosed(entry.userId, conferenceId);
    }
  }
}
