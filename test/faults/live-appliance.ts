import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openOrm } from '../../appliance/db/orm.ts';
import { registerSelftestServer, selftestSecret, selftestToken } from '../../appliance/auth/selftest-identity.ts';
import { recordingModeFor } from '../../appliance/cli/selftest-recording-mode.ts';
import { ApplianceClient } from '../../appliance/cli/appliance-client.ts';
import type { ConferenceEvents } from '../../appliance/cli/conference-events.ts';
import type { ChatLink } from '../../appliance/domain/index.ts';
import { sendSyntheticAudio, sendSyntheticVideo } from '../../pipelines/diagnostics/syntheticSenders.ts';
import { SENDER_PICTURE } from '../../appliance/cli/selftest-scenario.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { UNMETERED_DISK } from '../helpers/test-appliance.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The appliance as `npm start` runs it, in a process of its own that a fault test can signal,
 * kill and start again on the same database and data directory.
 */
export class LiveAppliance {
  readonly database: TestDatabase;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  child: ChildProcess | undefined;
  url = '';
  /** Everything the processes printed, for the test's failure messages. */
  output = '';

  private constructor(database: TestDatabase, dataDir: string, env: Record<string, string>) {
    this.database = database;
    this.dataDir = dataDir;
    this.env = env;
  }

  static async create(testFile: string, env: Record<string, string> = {}): Promise<LiveAppliance> {
    const database = await createTestDatabase(testFile);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-faults-'));
    return new LiveAppliance(database, dataDir, { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'false', ...UNMETERED_DISK, ...env });
  }

  get recordingsDir(): string {
    return this.env.RECORDINGS_DIR ?? path.join(this.dataDir, 'recordings');
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import=tsx', 'appliance/main.ts'], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const seen = this.output.length;
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the appliance did not start:\n${this.output.slice(seen)}`)), 120_000);
      const onData = (data: Buffer) => {
        this.output += data;
        const match = /listening on (http:\/\/\S+)/.exec(this.output.slice(seen));
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the appliance exited (${code}):\n${this.output.slice(seen)}`)));
    });
  }

  /** Sends `signal` and waits for the process to end: its exit code and how long it took. */
  async signal(signal: NodeJS.Signals, giveUpMs = 120_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const child = this.child!;
    const sent = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, by) => resolve({ code, signal: by })));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), giveUpMs);
    const result = await exited;
    clearTimeout(timer);
    this.child = undefined;
    return { ...result, ms: Date.now() - sent };
  }

  async close(): Promise<void> {
    if (this.child && this.child.exitCode === null) await this.signal('SIGKILL');
    await this.database.drop();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A conference of the self-test's synthetic participants on a live appliance, each feeding a
 * moving picture and a tone over plain RTP, as `npm run selftest` does.
 */
export class SyntheticConference {
  readonly conferenceId: string;
  readonly tokens: string[];
  clients: ApplianceClient[] = [];
  readonly #senders: ChildProcess[] = [];

  private constructor(tokens: string[], conferenceId: string) {
    this.tokens = tokens;
    this.conferenceId = conferenceId;
  }

  static async open(appliance: LiveAppliance, participants: number, modeKind: string): Promise<SyntheticConference> {
    const orm = await openOrm({ databaseUrl: appliance.database.url, poolSize: 1 });
    const secret = await selftestSecret(appliance.dataDir);
    try {
      await registerSelftestServer(orm, secret, (await recordingModeFor(orm, modeKind)).id);
    } finally {
      await orm.close();
    }
    const tokens = await Promise.all(Array.from({ length: participants }, (_, i) => selftestToken(secret, { sub: `fault-${i + 1}`, name: `Участник ${i + 1}` }, 3600)));
    const clients = tokens.map((token) => new ApplianceClient(appliance.url, token));
    const conferenceId = (await clients[0]!.post<{ id: string }>('/conferences', { title: 'Проверка сбоев' })).id;
    for (const client of clients.slice(1)) await client.post(`/conferences/${conferenceId}/join`);
    const conference = new SyntheticConference(tokens, conferenceId);
    // A test that times out never reaches its own clean-up; senders left behind would keep the
    // test runner's worker, and every test after it, waiting.
    process.once('exit', () => conference.stopSenders());
    await conference.feed(appliance.url);
    return conference;
  }

  get host(): ApplianceClient {
    return this.clients[0]!;
  }

  /** (Re)opens every participant's ingests on the appliance at `url` and starts the senders. */
  async feed(url: string): Promise<void> {
    this.stopSenders();
    this.clients = this.tokens.map((token) => new ApplianceClient(url, token));
    for (const [i, client] of this.clients.entries()) {
      const ingest = async (kind: 'video' | 'audio', source: 'camera' | 'microphone', ssrc: number) => {
        const opened = await client.post<{ port: number; payloadType: number }>(`/conferences/${this.conferenceId}/ingests`, { kind, source, ssrc, lifetimeSeconds: 3600 });
        return { port: opened.port, payloadType: opened.payloadType, ssrc };
      };
      this.#senders.push(
        sendSyntheticVideo(await ingest('video', 'camera', 0x7a000000 + 2 * i), { codec: 'VP8', pattern: 'ball', horizontalSpeed: 2, ...SENDER_PICTURE }),
        sendSyntheticAudio(await ingest('audio', 'microphone', 0x7a000001 + 2 * i), 330 + 110 * i),
      );
    }
    // A key frame a second: let every sender reach the SFU before a recording taps it.
    await sleep(1500);
  }

  command(name: 'start' | 'stop' | 'pause' | 'resume'): Promise<unknown> {
    return this.host.post(`/conferences/${this.conferenceId}/recording/${name}`);
  }

  /** The Recordings Bot's links of the next finished recording, or its failure. */
  async outcome(events: ConferenceEvents, timeoutMs = 90_000): Promise<{ links: ChatLink[] } | { failure: string } | undefined> {
    return events.first((event) => {
      if (event.conferenceId !== this.conferenceId) return undefined;
      if (event.type === 'chat.message' && event.message.bot && event.message.links.length > 0) return { links: event.message.links };
      if (event.type === 'recording.failed') return { failure: event.problem };
      return undefined;
    }, timeoutMs);
  }

  stopSenders(): void {
    for (const sender of this.#senders.splice(0)) sender.kill('SIGKILL');
  }
}

