import dns from 'node:dns/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config.ts';
import { openOrm } from '../db/orm.ts';
import { isThisHostAddress } from '../http/this-host.ts';
import { processListeningOn } from './listening-process.ts';
import type { ProcessLookup } from './listening-process.ts';
import { SelftestError } from './selftest-error.ts';
import type { SelftestTarget } from './selftest-target.ts';

/**
 * An appliance already running on this host, reached at `--url` straight on its own port (nginx
 * is refused: synthetic media is accepted only from the host itself). The self-test needs what its
 * service has: DATABASE_URL to register the self-test server, DATA_DIR for that server's key. Run
 * it as the service's user with the service's environment file sourced.
 */
export class RemoteSelftestTarget implements SelftestTarget {
  readonly url: string;
  readonly label: string;
  readonly orm: MikroORM;
  readonly dataDir: string;
  readonly #port: number;

  private constructor(url: URL, orm: MikroORM, dataDir: string) {
    this.url = url.origin;
    this.label = url.origin;
    this.#port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    this.orm = orm;
    this.dataDir = dataDir;
  }

  static async connect(address: string, progress: (line: string) => void): Promise<RemoteSelftestTarget> {
    const url = parseUrl(address);
    const addresses = await dns.lookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true }).catch(() => []);
    if (!addresses.some((entry) => isThisHostAddress(entry.address))) {
      throw new SelftestError(`--url ${address} is not an address of this host: the self-test feeds its media to the appliance's loopback ports, so it runs on the appliance's own host`);
    }
    const health = await fetch(`${url.origin}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch((error: Error) => {
      throw new SelftestError(`no appliance answers at ${url.origin}: ${error.cause instanceof Error ? error.cause.message : error.message}`);
    });
    const report = (await health.json().catch(() => undefined)) as { ok?: boolean; components?: Record<string, { ok: boolean }> } | undefined;
    if (!report?.components) throw new SelftestError(`${url.origin}/healthz did not answer as an appliance does (${health.status})`);
    if (!report.ok) {
      const down = Object.entries(report.components).filter(([, component]) => !component.ok).map(([name]) => name);
      throw new SelftestError(`the appliance at ${url.origin} reports itself unhealthy: ${down.join(', ')}`);
    }
    const config = loadConfig();
    if (!config.databaseUrl) {
      throw new SelftestError('--url needs the running appliance\'s DATABASE_URL and DATA_DIR (source its environment file): the self-test registers its messenger server in that database. An appliance on the embedded database cannot be checked from another process: run the self-test without --url instead');
    }
    progress(`checking the appliance running at ${url.origin} (data in ${config.dataDir})`);
    const orm = await openOrm({ databaseUrl: config.databaseUrl, poolSize: 1 });
    return new RemoteSelftestTarget(url, orm, config.dataDir);
  }

  applianceProcess(): ProcessLookup {
    return processListeningOn(this.#port);
  }

  async close(): Promise<void> {
    await this.orm.close();
  }
}

function parseUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new SelftestError(`--url "${address}" is not a URL: give the appliance's own address, e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SelftestError(`--url "${address}" is not an http:// or https:// address`);
  if (url.pathname !== '/' || url.search || url.hash) throw new SelftestError(`--url "${address}" has a path: give only the appliance's origin, e.g. http://127.0.0.1:8080`);
  return url;
}
