/** Recorded time: advances with the monotonic clock while recording, stands still while paused. */
export class RecordingClock {
  #accumulatedMs = 0;
  #runningSince: number | undefined;
  #startedAt: number | undefined;

  /** When recorded time first advanced, on the wall clock (epoch ms): the files' time 0. */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  get nowMs(): number {
    return this.#accumulatedMs + (this.#runningSince === undefined ? 0 : performance.now() - this.#runningSince);
  }

  run(): void {
    this.#startedAt ??= Date.now();
    this.#runningSince ??= performance.now();
  }

  hold(): void {
    this.#accumulatedMs = this.nowMs;
    this.#runningSince = undefined;
  }
}
