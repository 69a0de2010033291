/**
 * One time limit shared by every step of a shutdown: a step that outlasts what is left is given
 * up on, so that the process exits on its own before systemd's stop timeout kills whatever is
 * still running, recording pipelines included.
 */
export class ShutdownDeadline {
  readonly #endsAt: number;

  constructor(ms: number, now = Date.now()) {
    this.#endsAt = now + ms;
  }

  get remainingMs(): number {
    return Math.max(0, this.#endsAt - Date.now());
  }

  /**
   * Waits for `work` until the deadline, keeping `reserveMs` of it for the steps after this one;
   * true when the work finished in time. Its failure is reported, not thrown: the shutdown goes on.
   */
  async wait(step: string, work: Promise<unknown>, reserveMs = 0): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const limit = Math.max(0, this.remainingMs - reserveMs);
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), limit)));
    const done = work.then(
      () => true as const,
      (error: unknown) => {
        console.error(`shutdown: ${step} failed:`, error);
        return true as const;
      },
    );
    const finished = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (!finished) console.error(`shutdown: ${step} did not finish within ${limit} ms; going on without it`);
    return finished;
  }
}
