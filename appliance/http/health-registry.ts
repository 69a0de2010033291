export interface ComponentHealth {
  ok: boolean;
  /** Anything worth showing: counts, the encoder in use, the error when down. */
  details?: Record<string, unknown>;
}

export type HealthCheck = () => Promise<ComponentHealth>;

const CHECK_TIMEOUT_MS = 3000;

/** Components report their own state; /healthz asks them all and is 503 when one is down. */
export class HealthRegistry {
  readonly #checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    if (this.#checks.has(name)) throw new Error(`a health check named ${name} is already registered`);
    this.#checks.set(name, check);
  }

  async report(): Promise<{ ok: boolean; components: Record<string, ComponentHealth> }> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ComponentHealth>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, details: { error: `no answer within ${CHECK_TIMEOUT_MS} ms` } }), CHECK_TIMEOUT_MS);
        });
        try {
          return [name, await Promise.race([check(), timeout])] as const;
        } catch (error) {
          return [name, { ok: false, details: { error: error instanceof Error ? error.message : String(error) } }] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const components = Object.fromEntries(entries);
    return { ok: entries.every(([, health]) => health.ok), components };
  }
}
