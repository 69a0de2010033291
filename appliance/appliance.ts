import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import path from 'node:path';
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
import { PresenceWatch } from './conferences/presence-watch.ts';
import { apiRouter } from './api/api-router.ts';
import { conferenceRoutes } from './api/conference-routes.ts';
import { demoRoutes } from './api/demo-routes.ts';
import { openApiDocument } from './api/openapi.ts';
import { errorResponder, sendError } from './api/error-response.ts';
import { WebSocketHub } from './ws/websocket-hub.ts';
import { Sfu } from './sfu/sfu.ts';
import { MediaSignalling } from './sfu/media-signalling.ts';
import { ingestRoutes } from './sfu/ingest-routes.ts';
import { SyntheticIngests } from './sfu/synthetic-ingests.ts';
import { HealthRegistry } from './http/health-registry.ts';
import { downloadRouter } from './http/download-route.ts';
import { trustsLocalProxy } from './http/this-host.ts';
import { bundleWebClient } from './web/bundle.ts';
import { webClientRoutes } from './web/web-client-routes.ts';
import type { RecordingBackend } from './recorder/recording-backend.ts';
import { MediaRecordingBackend, type RestartLimit } from './recorder/media-recording-backend.ts';
import { probeEncoders } from '../pipelines/index.ts';
import { RecordingFinisher } from './recorder/recording-finisher.ts';
import { accessRoutes } from './access/access-routes.ts';
import { DownloadGate } from './access/download-gate.ts';
import { DownloadLinks } from './access/download-links.ts';
import { secretFromFile } from './access/secret-file.ts';
import { BotApiKeys } from './bot/bot-api-keys.ts';
import { Botx } from './bot/botx.ts';
import { botxCallbackRouter } from './bot/botx-callback-route.ts';
import { RecordingStatusReader } from './bot/recording-status.ts';
import { BuiltInChat, RecordingsBot } from './bot/recordings-bot.ts';
import { botStatusRoutes } from './bot/status-routes.ts';
import { JobQueue } from './jobs/job-queue.ts';
import { Outbox } from './jobs/outbox.ts';
import { DiskGuard, recordingsDiskSpace, statfsProbe } from './retention/disk-guard.ts';
import type { DiskSpaceProbe } from './retention/disk-guard.ts';
import { RetentionSweeper } from './retention/retention-sweeper.ts';
import { WebhookChannel } from './webhooks/webhook-channel.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { CONSOLE_PATH, buildConsole } from '../console/console.ts';
import { ApplianceMetrics } from './metrics/appliance-metrics.ts';
import { ShutdownDeadline } from './lifecycle/shutdown-deadline.ts';

export interface ApplianceOptions {
  clock?: Clock;
  backend?: RecordingBackend;
  /** Period of the live timer pushes. */
  timerPeriodMs?: number;
  /** Free space of the recordings folder; statfs unless given. */
  diskSpace?: DiskSpaceProbe;
  /** How often idle job workers look for work (retries wake up no sooner). */
  jobPollingSeconds?: number;
  /** How often a failing recording pipeline is restarted before the recording ends. */
  pipelineRestartLimit?: RestartLimit;
}

const VERSION = '0.1.0';
/** Kept back from each waiting step of a shutdown for closing the job queue, the SFU and the database. */
const CLOSING_RESERVE_MS = 5000;

/** The whole control plane in one process: database, rules, API, WebSocket, recorder, bot. */
export class Appliance {
  readonly config: ApplianceConfig;
  readonly orm: MikroORM;
  readonly bus: EventBus;
  readonly conferences: ConferenceService;
  readonly health: HealthRegistry;
  readonly finisher: RecordingFinisher;
  readonly metrics: ApplianceMetrics;
  /** The media plane; the recording backend taps it (see sfu/sfu.ts). */
  readonly sfu: Sfu;
  readonly #mediaBackend: MediaRecordingBackend | undefined;
  readonly retention: RetentionSweeper;
  readonly diskGuard: DiskGuard;
  readonly webhooks: WebhookDispatcher;
  readonly #jobs: JobQueue;
  readonly #server: http.Server;
  readonly #hub: WebSocketHub;
  readonly #signalling: MediaSignalling;
  readonly #ticker: TimerTicker;
  readonly #presence: PresenceWatch;
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
    sfu: Sfu;
    mediaBackend: MediaRecordingBackend | undefined;
    signalling: MediaSignalling;
    retention: RetentionSweeper;
    diskGuard: DiskGuard;
    webhooks: WebhookDispatcher;
    jobs: JobQueue;
    server: http.Server;
    hub: WebSocketHub;
    ticker: TimerTicker;
    presence: PresenceWatch;
    embedded: EmbeddedDatabase | undefined;
  }) {
    this.config = parts.config;
    this.orm = parts.orm;
    this.bus = parts.bus;
    this.conferences = parts.conferences;
    this.health = parts.health;
    this.finisher = parts.finisher;
    this.metrics = parts.metrics;
    this.sfu = parts.sfu;
    this.#mediaBackend = parts.mediaBackend;
    this.#signalling = parts.signalling;
    this.retention = parts.retention;
    this.diskGuard = parts.diskGuard;
    this.webhooks = parts.webhooks;
    this.#jobs = parts.jobs;
    this.#server = parts.server;
    this.#hub = parts.hub;
    this.#ticker = parts.ticker;
    this.#presence = parts.presence;
    this.#embedded = parts.embedded;
  }

  static async start(config: ApplianceConfig, options: ApplianceOptions = {}): Promise<Appliance> {
    const clock = options.clock ?? (() => new Date());
    await fs.mkdir(config.recordingsDir, { recursive: true });
    const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.start(`${config.dataDir}/pglite`);
    const orm = await openOrm({ databaseUrl: config.databaseUrl ?? embedded!.url, poolSize: embedded ? 1 : 10, statementTimeoutSeconds: config.databaseStatementTimeoutSeconds });
    let jobs: JobQueue | undefined;
    let sfu: Sfu | undefined;
    let mediaBackend: MediaRecordingBackend | undefined;
    try {
      await migrate(orm);
      await seedRecordingModes(orm);
      const secret = config.demo ? await demoSecret(config.dataDir) : undefined;
      if (secret) await seedDemoServers(orm, secret);

      const bus = new EventBus();
      const media = await Sfu.start({ rtc: config.rtc, bus, limits: config.limits });
      sfu = media;
      const disk = recordingsDiskSpace(config.recordingsDir, options.diskSpace ?? statfsProbe, config.disk);
      const conferences = new ConferenceService(orm, bus, clock, disk, config.limits);
      const authenticator = new Authenticator(orm);
      const health = new HealthRegistry();
      health.register('database', async () => {
        await orm.em.fork().getConnection().execute('select 1');
        return { ok: true, details: { kind: embedded ? 'embedded' : 'postgresql' } };
      });
      const metrics = new ApplianceMetrics({ orm, bus, recordingsDir: config.recordingsDir });
      let backend = options.backend;
      if (!backend) {
        const encoders = await probeEncoders(config.encoder);
        const media = new MediaRecordingBackend({
          orm,
          sfu: sfu!,
          bus,
          recordingsDir: config.recordingsDir,
          encoder: encoders.chosen,
          restartLimit: options.pipelineRestartLimit,
          onStarted: (target, at) => {
            void conferences.recordingPipelineStarted(target.conferenceId, target.recordingId, at).catch((error) => console.error(`recording ${target.recordingId}: could not set the timer to the pipeline's start:`, error));
          },
          onRestart: (target, reason) => {
            metrics.pipelineFailures.inc();
            metrics.pipelineRestarts.inc();
            console.error(`recording ${target.recordingId}: pipeline failed (${reason}); it goes on in a new part`);
          },
          onFailure: (target, reason) => {
            metrics.pipelineFailures.inc();
            console.error(`recording ${target.recordingId}: pipeline failed: ${reason}`);
            void conferences.stopForPipelineFailure(target.conferenceId, target.recordingId, reason).catch((error) => console.error('could not end a failed recording:', error));
          },
        });
        mediaBackend = media;
        health.register('recorder', async () => ({ ok: true, details: { backend: media.name, encoder: encoders.chosen, hardware: encoders.hardware, available: encoders.available } }));
        backend = media;
      } else {
        const name = backend.name;
        health.register('recorder', async () => ({ ok: true, details: { backend: name } }));
      }
      jobs = await JobQueue.start(config.databaseUrl ?? embedded!.url, { connections: embedded ? 2 : 4, pollingSeconds: options.jobPollingSeconds, statementTimeoutSeconds: config.databaseStatementTimeoutSeconds });
      const linkKey = config.downloads.linkSecret ?? (await secretFromFile(path.join(config.dataDir, 'download-link-secret')));
      const links = new DownloadLinks({ key: linkKey, publicUrl: config.publicUrl, ttlHours: config.downloads.linkTtlHours, clock });
      const gate = new DownloadGate({ orm, links, authenticator, clock });
      const status = new RecordingStatusReader({ orm, gate, clock });
      const outbox = new Outbox({ orm, jobs, clock, retry: config.delivery });
      const botx = new Botx({ orm, outbox });
      const webhooks = new WebhookDispatcher({ orm, bus, outbox, status, clock });
      const finisher = new RecordingFinisher({ orm, bus, backend, bot: new RecordingsBot([new BuiltInChat(conferences), botx]), links, recordingsDir: config.recordingsDir });
      const retention = new RetentionSweeper({ orm, jobs, clock, recordingsDir: config.recordingsDir });
      const diskGuard = new DiskGuard({ orm, conferences, disk });

      metrics.attachSfu(() => media.counts());
      const pipelines = mediaBackend;
      if (pipelines) metrics.attachPipelines(() => pipelines.progress());

      const botApiKeys = new BotApiKeys(orm, clock);
      const routes = [
        ...conferenceRoutes(conferences, gate),
        ...accessRoutes(gate),
        ...botStatusRoutes(botApiKeys, status),
        ...ingestRoutes(new SyntheticIngests(media), conferences),
        ...(secret ? demoRoutes(secret) : []),
      ];
      const app = express();
      app.disable('x-powered-by');
      app.set('trust proxy', trustsLocalProxy);
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
      app.use(CONSOLE_PATH, await buildConsole({ orm, config, health, finisher, botApiKeys }));
      app.get('/api/openapi.json', (_req, res) => res.json(openApiDocument(routes, VERSION)));
      app.use('/api', apiRouter(routes, authenticator));
      app.use(downloadRouter(gate, config.recordingsDir));
      app.use(botxCallbackRouter(botx));
      app.use(webClientRoutes(await bundleWebClient()));
      // The demo sign-in is the client's own sign-in screen, which lists the demo users.
      if (secret) app.get('/demo', (_req, res) => res.redirect('/#/sign-in'));
      app.use((_req, res) => sendError(res, 404, 'not_found', 'no such page'));
      app.use(errorResponder);

      const server = http.createServer(app);
      const presence = new PresenceWatch({ graceMs: config.presence.graceSeconds * 1000, conferences, bus });
      const hub = new WebSocketHub({ httpServer: server, authenticator, orm, bus, presence, heartbeatMs: config.presence.heartbeatSeconds * 1000 });
      health.register('websocket', async () => ({ ok: true, details: { connections: hub.connections, conferenceAudiences: hub.conferenceAudiences } }));
      const signalling = new MediaSignalling({ sfu: media, hub, orm, bus });
      health.register('sfu', async () => media.health());
      const ticker = new TimerTicker(orm, bus, clock);
      await finisher.start();
      await outbox.start([new WebhookChannel(), botx]);
      await retention.start(config.retentionCron);
      diskGuard.start(config.disk.checkSeconds * 1000);
      ticker.start(options.timerPeriodMs);
      await presence.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      return new Appliance({ config, orm, bus, conferences, health, finisher, metrics, sfu: media, mediaBackend, signalling, retention, diskGuard, webhooks, jobs, server, hub, ticker, presence, embedded });
    } catch (error) {
      await mediaBackend?.close();
      await jobs?.stop();
      await sfu?.close();
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

  /**
   * Ends live pipelines first, so that their files are complete whatever comes after; only then
   * waits for open requests (a long download may take minutes) and finishing recordings, each for
   * what is left of `shutdownSeconds`. A restarted appliance continues every live recording in a
   * new part, and finishes what was left «processing».
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const deadline = new ShutdownDeadline(this.config.shutdownSeconds * 1000);
    this.#ticker.stop();
    // Sockets closing as the appliance stops are no one's leave: the next start gives everyone the grace period.
    this.#presence.stop();
    this.diskGuard.stop();
    const requestsDone = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Unsubscribes at once: no event starts a pipeline from here on.
    const finishing = this.finisher.stop();
    await deadline.wait('ending the recording pipelines', this.#mediaBackend?.close() ?? Promise.resolve(), CLOSING_RESERVE_MS);
    await deadline.wait('closing WebSockets', this.#hub.close(), CLOSING_RESERVE_MS);
    await deadline.wait('open HTTP requests', requestsDone, CLOSING_RESERVE_MS);
    this.#server.closeAllConnections();
    await deadline.wait('finishing stopped recordings', finishing, CLOSING_RESERVE_MS);
    await deadline.wait('webhook events', this.webhooks.stop(), CLOSING_RESERVE_MS);
    await deadline.wait('the job queue', this.#jobs.stop());
    this.#signalling.close();
    await deadline.wait('the SFU', this.sfu.close());
    await deadline.wait('the database connections', this.orm.close());
    await deadline.wait('the embedded database', this.#embedded?.stop() ?? Promise.resolve());
  }
}
