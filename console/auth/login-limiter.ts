/**
 * Counts failed sign-ins per key (address and e-mail) in a sliding window and refuses further tries
 * once there were too many. Kept in memory: a restart forgets, which only helps the legitimate user.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #maxFailures: number;
  readonly #windowMs: number;

  constructor(options: { maxFailures: number; windowMs: number }) {
    this.#maxFailures = options.maxFailures;
    this.#windowMs = options.windowMs;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.#maxFailures) return 0;
    return recent[recent.length - this.#maxFailures]! + this.#windowMs - Date.now();
  }

  failed(key: string): void {
    if (this.#failures.size > 10_000) this.#forgetExpired();
    this.#failures.set(key, [...this.#recent(key), Date.now()]);
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string): number[] {
    const since = Date.now() - this.#windowMs;
    return (this.#failures.get(key) ?? []).filter((at) => at > since);
  }

  #forgetExpired(): void {
    for (const key of this.#failures.keys()) {
      if (this.#recent(key).length === 0) this.#failures.delete(key);
    }
  }
}
