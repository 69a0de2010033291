import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import request from 'supertest';
import { WebSocket } from 'ws';
import { Appliance } from '../../appliance/appliance.ts';
import type { ApplianceOptions } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { signUserToken } from '../../appliance/auth/user-token.ts';
import { websocketProtocols } from '../../appliance/ws/websocket-protocol.ts';
import { NoMediaBackend } from '../../appliance/recorder/recording-backend.ts';
import { MessengerServer } from '../../appliance/db/entities/index.ts';
import { createTestDatabase } from './test-database.ts';
import type { TestDatabase } from './test-database.ts';

/**
 * Tests must not depend on how full the machine's disk happens to be; the disk rules have tests of
 * their own with a controlled free-space probe.
 */
export const UNMETERED_DISK = { RECORDINGS_MIN_FREE_MB: '0', RECORDINGS_STOP_FREE_MB: '0' };

/** `environment` adds settings as the environment would give them (e.g. a short PRESENCE_GRACE_SECONDS). */
export type TestApplianceOptions = ApplianceOptions & { media?: boolean; environment?: Record<string, string> };

export interface TestServer {
  id: string;
  name: string;
  secret: string;
}

/** A clock the test moves by hand, so timers are checked to the millisecond. */
export class ManualClock {
  #now: number;

  constructor(start = Date.parse('2026-11-20T09:00:00Z')) {
    this.#now = start;
  }

  now = (): Date => new Date(this.#now);

  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface TestUser {
  name: string;
  token: string;
  server: TestServer;
}

/**
 * A running appliance on a database of its own, with three messenger servers registered: two
 * corporate ones and a regional one (default rules for each kind).
 */
export class TestAppliance {
  readonly appliance: Appliance;
  readonly database: TestDatabase;
  readonly dataDir: string;
  readonly servers: { corporate: TestServer; otherCorporate: TestServer; regional: TestServer };

  private constructor(appliance: Appliance, database: TestDatabase, dataDir: string, servers: TestAppliance['servers']) {
    this.appliance = appliance;
    this.database = database;
    this.dataDir = dataDir;
    this.servers = servers;
  }

  /**
   * `media: true` records with the GStreamer pipelines; otherwise recordings carry no files, which
   * keeps the control-plane tests from encoding video on every start.
   */
  static async start(testFile: string, options: TestApplianceOptions = {}): Promise<TestAppliance> {
    const database = await createTestDatabase(testFile);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-test-'));
    // A test that brings its own free-space probe checks the disk rules with the default floors.
    const disk = options.diskSpace ? {} : UNMETERED_DISK;
    const { media, environment, ...applianceOptions } = options;
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'false', ...disk, ...environment });
    const appliance = await Appliance.start(config, { timerPeriodMs: 200, backend: media ? undefined : new NoMediaBackend(), ...applianceOptions });
    const em = appliance.orm.em.fork();
    const make = (name: string, kind: 'corporate' | 'regional'): TestServer => {
      const server = { id: crypto.randomUUID(), name, secret: crypto.randomBytes(24).toString('hex') };
      em.create(MessengerServer, { id: server.id, name, kind, tokenKey: server.secret, mayControlRecording: kind === 'corporate', createdAt: new Date() });
      return server;
    };
    const servers = { corporate: make('Головной офис', 'corporate'), otherCorporate: make('Партнёр', 'corporate'), regional: make('Региональный сервер', 'regional') };
    await em.flush();
    return new TestAppliance(appliance, database, dataDir, servers);
  }

  get url(): string {
    return this.appliance.url;
  }

  async user(server: TestServer, sub: string, name = sub): Promise<TestUser> {
    return { name, server, token: await signUserToken({ sub, name, server: server.id }, server.secret) };
  }

  /** supertest bound to this appliance, authenticated as `user` when given. */
  as(user?: TestUser) {
    const agent = request(this.url);
    const auth = <T extends request.Test>(test: T): T => (user ? (test.set('Authorization', `Bearer ${user.token}`) as T) : test);
    return {
      get: (url: string) => auth(agent.get(url)),
      post: (url: string, body: object = {}) => auth(agent.post(url).send(body)),
    };
  }

  /** A WebSocket of `user` that keeps every event it receives. */
  async socket(user: TestUser, options: { autoPong?: boolean } = {}): Promise<EventSocket> {
    const socket = new WebSocket(`${this.url.replace('http', 'ws')}/ws`, websocketProtocols(user.token), options);
    const events: Array<Record<string, unknown>> = [];
    socket.on('message', (data) => events.push(JSON.parse(String(data))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new EventSocket(socket, events);
  }

  async stop(): Promise<void> {
    await this.appliance.stop();
    await this.database.drop();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }

  /** Starts one appliance for a test file and stops it when the file's tests are done. */
  static forFile(test: { before: (fn: (t: ExecutionContext) => Promise<void>) => void; after: { always: (fn: () => Promise<void>) => void } }, testFile: string, options: TestApplianceOptions = {}) {
    const holder: { current?: TestAppliance } = {};
    test.before(async () => {
      holder.current = await TestAppliance.start(testFile, options);
    });
    test.after.always(async () => {
      await holder.current?.stop();
    });
    return () => {
      if (!holder.current) throw new Error('the test appliance did not start');
      return holder.current;
    };
  }
}

export class EventSocket {
  readonly socket: WebSocket;
  readonly events: Array<Record<string, unknown>>;

  constructor(socket: WebSocket, events: Array<Record<string, unknown>>) {
    this.socket = socket;
    this.events = events;
  }

  /** Waits for the first event (not yet consumed) that matches. */
  async next(match: (event: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(match);
      if (index >= 0) return this.events.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got: ${this.events.map((e) => e.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.close();
  }

  /** Keeps `userId` present in the conference for as long as this socket lives. */
  attend(conferenceId: string): void {
    this.socket.send(JSON.stringify({ type: 'presence', conferenceId }));
  }
}
