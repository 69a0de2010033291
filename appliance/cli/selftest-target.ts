import type { MikroORM } from '@mikro-orm/postgresql';
import type { ProcessLookup } from './listening-process.ts';

/**
 * The appliance a self-test runs against: one it started itself (embedded-selftest-target.ts) or
 * one already running on this host (remote-selftest-target.ts). The scenario reaches either only
 * through what is listed here and through the appliance's HTTP interfaces at `url`.
 */
export interface SelftestTarget {
  /** Where the appliance answers HTTP, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** What the report says was tested. */
  readonly label: string;
  /** The appliance's database, where the self-test registers its messenger server. */
  readonly orm: MikroORM;
  /** The appliance's data directory, where the self-test server's key is kept. */
  readonly dataDir: string;
  /** The process whose tree is the appliance, for the CPU figures. */
  applianceProcess(): ProcessLookup;
  close(): Promise<void>;
}
