import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ApplianceConfig } from './config.ts';
import { EmbeddedDatabase } from './db/embedded-database.ts';
import { migrate, openOrm } from './db/orm.ts';
import { seedRecordingModes } from './db/seed-recording-modes.ts';
import { Authenticator } from './auth/authenticator.ts';
import { demoSecret, seedDemoServers } from './auth/demo-identities.ts';
import { EventBus } from './events/event-bus.ts';
import { ConferenceService } from './conferences/conference-service.ts';
import type { Clock } from './conferences/conference-service.ts';
import { TimerTicker } from './conferences/timer-ticker.ts';
import { apiRouter } from './api/api-router.ts';
import { conferenceRoutes } from './api/conference-routes.ts';
import { demoRoutes } from './api/demo-routes.ts';
import { openApiDocument } from './api/openapi.ts';
import { errorResponder, sendError } from './api/error-response.ts';
import { WebSocketHub } from './ws/websocket-hub.ts';
import { HealthRegistry } from './http/health-registry.ts';
import { downloadRouter } from './http/download-route.ts';
import { demoSignInPage } from './http/demo-page.ts';
import { NoMediaBackend } from './recorder/recording-backend.ts';
import type { RecordingBackend } from './recorder/recording-backend.ts';
import { RecordingFinisher } from './recorder/recording-finisher.ts';
import { ApplianceMetrics } from './metrics/appliance-metrics.ts';

export interface ApplianceOptions {
  clock?: Clock;
  backend?: RecordingBackend;
  /** Period of the live timer pushes. */
  timerPeriodMs?: number;
}

const VERSION = '0.1.0';

/** The whole control plane in one process: database, rules, API, WebSocket, recorder, bot. */
export class Appliance {
  readonly config: ApplianceConfig;
  readonly orm: MikroORM;
  readonly bus: EventBus;
  readonly conferences: ConferenceService;
  readonly health: HealthRegistry;
  readonly finisher: RecordingFinisher;
  readonly metrics: ApplianceMetrics;
  readonly #server: http.Server;
  readonly #hub: WebSocketHub;
  readonly #ticker: TimerTicker;
  readonly #embedded: EmbeddedDatabase | undefined;
  #stopped = false;

  private constructor(parts: {
    config: ApplianceConfig;
    orm: MikroORM;
    bus: EventBus;
    conferences: ConferenceService;
    health: HealthRegistry;
    finisher: RecordingFinisher;
    metrics: ApplianceMetrics;
    server: http.Server;
    hub: WebSocketHub;
    ticker: TimerTicker;
    embedded: EmbeddedDatabase | undefined;
  }) {
    this.config = parts.config;
    this.orm = parts.orm;
    this.bus = parts.bus;
    this.conferences = parts.conferences;
    this.health = parts.health;
    this.finisher = parts.finisher;
    this.metrics = parts.metrics;
    this.#server = parts.server;
    this.#hub = parts.hub;
    this.#ticker = parts.ticker;
    this.#embedded = parts.embedded;
  }

  static async start(config: ApplianceConfig, options: ApplianceOptions = {}): Promise<Appliance> {
    const clock = options.clock ?? (() => new Date());
    await fs.mkdir(config.recordingsDir, { recursive: true });
    const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(`${config.dataDir}/pglite`);
    const orm = await openOrm({ databaseUrl: config.databaseUrl ?? embedded!.url, poolSize: embedded ? 1 : 10 });
    try {
      await migrate(orm);
      await seedRecordingModes(orm);
      const secret = config.demo ? await demoSecret(config.dataDir) : undefined;
      if (secret) await seedDemoServers(orm, secret);

      const bus = new EventBus();
      const conferences = new ConferenceService(orm, bus, clock);
      const authenticator = new Authenticator(orm);
      const health = new HealthRegistry();
      health.register('database', async () => {
        await orm.em.fork().getConnection().execute('select 1');
        return { ok: true, details: { kind: embedded ? 'embedded' : 'postgresql' } };
      });
      const backend = options.backend ?? new NoMediaBackend();
      health.register('recorder', async () => ({ ok: true, details: { backend: backend.name } }));
      const finisher = new RecordingFinisher({ orm, bus, backend, conferences, publicUrl: config.publicUrl });

      const metrics = new ApplianceMetrics({ orm, bus, recordingsDir: config.recordingsDir });

      const routes = [...conferenceRoutes(conferences), ...(secret ? demoRoutes(secret) : [])];
      const app = express();
      app.disable('x-powered-by');
      app.set('trust proxy', 'loopback');
      app.get('/healthz', async (_req, res) => {
        const report = await health.report();
        res.status(report.ok ? 200 : 503).json(report);
      });
      app.get('/metrics', async (_req, res, next) => {
        try {
          res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
        } catch (error) {
          next(error);
        }
      });
      app.get('/api/openapi.json', (_req, res) => res.json(openApiDocument(routes, VERSION)));
      app.use('/api', apiRouter(routes, authenticator));
      app.use(downloadRouter(orm, config.recordingsDir));
      if (secret) app.get('/demo', demoSignInPage);
      app.use((_req, res) => sendError(res, 404, 'not_found', 'no such page'));
      app.use(errorResponder);

      const server = http.createServer(app);
      const hub = new WebSocketHub({ httpServer: server, authenticator, orm, bus });
      health.register('websocket', async () => ({ ok: true, details: { connections: hub.connections } }));
      const ticker = new TimerTicker(orm, bus, clock);
      await finisher.start();
      ticker.start(options.timerPeriodMs);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      return new Appliance({ config, orm, bus, conferences, health, finisher, metrics, server, hub, ticker, embedded });
    } catch (error) {
      await orm.close();
      await embedded?.stop();
      throw error;
    }
  }

  /** Where this appliance listens, e.g. http://127.0.0.1:8080. */
  get url(): string {
    const address = this.#server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#ticker.stop();
    await this.#hub.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await this.finisher.stop();
    await this.orm.close();
    await this.#embedded?.stop();
  }
}
