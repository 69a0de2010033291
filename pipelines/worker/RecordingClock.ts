/** Recorded time: advances with the monotonic clock while recording, stands still while paused. */
export class RecordingClock {
  #accumulatedMs = 0;
  #runningSince: number | undefined;

  get nowMs(): number {
    return this.#accumulatedMs + (this.#runningSince === undefined ? 0 : performance.now() - this.#runningSince);
  }

  run(): void {
    this.#runningSince ??= performance.now();
  }

  hold(): void {
    this.#accumulatedMs = this.nowMs;
    this.#runningSince = undefined;
  }
}
