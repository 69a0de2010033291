import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Appliance } from '../appliance.ts';
import { loadConfig } from '../config.ts';
import { RecordingMode } from '../db/entities/index.ts';
import type { ProcessLookup } from './listening-process.ts';
import { SENDER_PICTURE } from './selftest-scenario.ts';
import type { SelftestTarget } from './selftest-target.ts';

/** The senders' picture as they send it: a bitrate enough for test patterns at that size. */
const EMBEDDED_PICTURE = { ...SENDER_PICTURE, videoBitrateKbps: 600 };

/** An appliance of the self-test's own, in this process, on a temporary data directory and embedded database. */
export class EmbeddedSelftestTarget implements SelftestTarget {
  readonly label = 'embedded';
  readonly dataDir: string;
  readonly #appliance: Appliance;

  private constructor(appliance: Appliance, dataDir: string) {
    this.#appliance = appliance;
    this.dataDir = dataDir;
  }

  static async start(progress: (line: string) => void): Promise<EmbeddedSelftestTarget> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-selftest-'));
    // The appliance's own settings from the environment (RTC ports, encoder) apply; the database,
    // the data and the HTTP port are this run's own.
    const config = loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO: 'false', RECORDINGS_MIN_FREE_MB: '0', RECORDINGS_STOP_FREE_MB: '0' });
    progress(`starting an embedded appliance in ${dataDir}`);
    let appliance: Appliance | undefined;
    try {
      appliance = await Appliance.start(config);
      // A database of its own: every mode may record the small picture.
      const em = appliance.orm.em.fork();
      for (const mode of await em.find(RecordingMode, {})) em.assign(mode, EMBEDDED_PICTURE);
      await em.flush();
      return new EmbeddedSelftestTarget(appliance, dataDir);
    } catch (error) {
      await appliance?.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return this.#appliance.url;
  }

  get orm(): MikroORM {
    return this.#appliance.orm;
  }

  applianceProcess(): ProcessLookup {
    return { pid: process.pid };
  }

  async close(): Promise<void> {
    await this.#appliance.stop();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}
