import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JOB_SCHEMA } from '../../appliance/jobs/job-queue.ts';
import type { TestAppliance } from '../helpers/test-appliance.ts';

/**
 * Retries as in production (pg-boss, exponential backoff) but from 1 s instead of the configured
 * 10 s, and at most `limit` of them: new jobs take their retry settings from their queue's row.
 */
export async function shortenRetries(a: TestAppliance, limit: number): Promise<void> {
  await a.appliance.orm.em.fork().getConnection().execute(`update ${JOB_SCHEMA}.queue set retry_delay = 1, retry_limit = ? where name like 'deliver-%'`, [limit]);
}

export interface ReceivedRequest {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP server on 127.0.0.1 that records what it receives and answers with `respond`. */
export class LocalServer {
  readonly requests: ReceivedRequest[] = [];
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(respond: (request: ReceivedRequest) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>): Promise<LocalServer> {
    const holder: { server?: LocalServer } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const received = { at: Date.now(), method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        holder.server!.requests.push(received);
        const answer = await respond(received);
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    holder.server = new LocalServer(server);
    return holder.server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
