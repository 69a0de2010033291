import PgBoss from 'pg-boss';
import type { PoolConfig } from 'pg';

export interface QueuedJob<T> {
  id: string;
  data: T;
  /** 0 on the first try. */
  retryCount: number;
  retryLimit: number;
}

export interface QueueSettings {
  /** `stately`: at most one job waiting and one running, so a slow run is not followed by a pile of runs. */
  policy?: 'standard' | 'stately';
  retryLimit?: number;
  /** First retry after this many seconds, then doubling (with jitter). */
  retryDelaySeconds?: number;
}

export const JOB_SCHEMA = 'pgboss';

/**
 * Durable jobs on the appliance's own database with pg-boss, in a schema of its own: a job that is
 * sent, scheduled or waiting for its retry survives a restart and is done by whichever appliance
 * process works its queue. pg-boss keeps its own connections, so nothing here may be called from
 * inside an ORM transaction (the embedded database runs one transaction at a time).
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #pollingSeconds: number;
  readonly #workers = new Map<string, string>();

  private constructor(boss: PgBoss, pollingSeconds: number) {
    this.#boss = boss;
    this.#pollingSeconds = pollingSeconds;
  }

  static async start(databaseUrl: string, options: { connections: number; pollingSeconds?: number; statementTimeoutSeconds: number }): Promise<JobQueue> {
    // pg-boss hands its options to pg's pool, which takes the statement timeout its types leave out.
    const settings: PgBoss.ConstructorOptions & Pick<PoolConfig, 'statement_timeout'> = {
      connectionString: databaseUrl,
      schema: JOB_SCHEMA,
      max: options.connections,
      application_name: 'appliance-jobs',
      statement_timeout: options.statementTimeoutSeconds * 1000,
    };
    const boss = new PgBoss(settings);
    boss.on('error', (error) => console.error(`job queue: ${error.message}`));
    await boss.start();
    return new JobQueue(boss, options.pollingSeconds ?? 2);
  }

  /** Creates the queue (or applies changed settings to it) and works its jobs in this process. */
  async work<T extends object>(queue: string, settings: QueueSettings, handler: (job: QueuedJob<T>) => Promise<void>): Promise<void> {
    const options = {
      name: queue,
      policy: settings.policy ?? 'standard',
      retryLimit: settings.retryLimit ?? 0,
      retryDelay: settings.retryDelaySeconds ?? 0,
      retryBackoff: settings.retryDelaySeconds !== undefined,
    };
    await this.#boss.createQueue(queue, options);
    await this.#boss.updateQueue(queue, options);
    const worker = await this.#boss.work<T>(queue, { includeMetadata: true, pollingIntervalSeconds: this.#pollingSeconds }, async (jobs) => {
      for (const job of jobs) await handler({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
    });
    this.#workers.set(queue, worker);
  }

  async send(queue: string, data: object): Promise<string | null> {
    const id = await this.#boss.send(queue, data);
    // A worker of this process takes it now rather than at its next poll.
    const worker = this.#workers.get(queue);
    if (worker) this.#boss.notifyWorker(worker);
    return id;
  }

  /** Kept in the database: one schedule per queue, whatever the number of appliance processes. */
  async schedule(queue: string, cron: string): Promise<void> {
    await this.#boss.schedule(queue, cron, {}, { tz: 'UTC' });
  }

  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
