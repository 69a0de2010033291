/** One participant of one conference, as presence sees them. */
export interface PresenceKey {
  conferenceId: string;
  userId: string;
}

function keyOf({ conferenceId, userId }: PresenceKey): string {
  return `${conferenceId}/${userId}`;
}

/**
 * Who holds a live connection to which conference, and since when those who hold none have been
 * without one. The connections layer reports the facts (a connection opened for a conference, a
 * connection gone, the appliance started with participants it has no connection from); the ledger
 * decides who has been gone for the whole grace period and so leaves. A participant never seen on
 * a connection (someone driving the API alone) has no clock running until the appliance restarts.
 */
export class PresenceLedger {
  readonly #graceMs: number;
  readonly #connections = new Map<string, Set<string>>();
  readonly #goneSince = new Map<string, { key: PresenceKey; since: Date }>();

  constructor(graceMs: number) {
    if (!(Number.isFinite(graceMs) && graceMs >= 0)) throw new RangeError(`a grace period of ${graceMs} ms is not a duration`);
    this.#graceMs = graceMs;
  }

  get graceMs(): number {
    return this.#graceMs;
  }

  /** A connection now speaks for `key`: a reload or a reconnect within the grace period changes nothing. */
  connected(key: PresenceKey, connectionId: string): void {
    const id = keyOf(key);
    let connections = this.#connections.get(id);
    if (!connections) this.#connections.set(id, (connections = new Set()));
    connections.add(connectionId);
    this.#goneSince.delete(id);
  }

  /** The connection is gone; when it was the last one of `key`, its grace period starts at `at`. */
  disconnected(key: PresenceKey, connectionId: string, at: Date): void {
    const id = keyOf(key);
    const connections = this.#connections.get(id);
    if (!connections?.delete(connectionId)) return;
    if (connections.size > 0) return;
    this.#connections.delete(id);
    this.#goneSince.set(id, { key, since: at });
  }

  /** The appliance started at `at` and `key` is present from before: they have the grace period to come back. */
  unconfirmed(key: PresenceKey, at: Date): void {
    const id = keyOf(key);
    if (this.#connections.has(id) || this.#goneSince.has(id)) return;
    this.#goneSince.set(id, { key, since: at });
  }

  /** They left by themselves: nothing is left to decide about them. */
  left(key: PresenceKey): void {
    this.#goneSince.delete(keyOf(key));
  }

  /** Those whose grace period has run out by `now`; each is reported once. */
  due(now: Date): PresenceKey[] {
    const expired: PresenceKey[] = [];
    for (const [id, { key, since }] of this.#goneSince) {
      if (now.getTime() - since.getTime() < this.#graceMs) continue;
      this.#goneSince.delete(id);
      expired.push(key);
    }
    return expired;
  }

  /** When the next grace period runs out, or null when nobody is without a connection. */
  nextDueAt(): Date | null {
    let earliest: number | null = null;
    for (const { since } of this.#goneSince.values()) {
      const at = since.getTime() + this.#graceMs;
      if (earliest === null || at < earliest) earliest = at;
    }
    return earliest === null ? null : new Date(earliest);
  }

  isConnected(key: PresenceKey): boolean {
    return this.#connections.has(keyOf(key));
  }
}
