import fs from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Recording } from '../db/entities/index.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { SfuCounts } from '../sfu/media-census.ts';

/** One running recording pipeline's latest progress. */
export interface PipelineProgress {
  recordingId: string;
  encoder: string;
  fps: number;
  realtimeFactor: number;
}

const RECORDING_STATES = ['recording', 'paused', 'processing', 'ready', 'failed'];

/**
 * The appliance's Prometheus metrics at `GET /metrics`. Gauges are read when scraped, from the
 * database and from whichever media parts are attached, so they are never stale.
 */
export class ApplianceMetrics {
  readonly registry = new Registry();
  readonly pipelineFailures: Counter;
  readonly pipelineRestarts: Counter;
  readonly stopToLink: Histogram;
  #sfu: (() => SfuCounts) | undefined;
  #pipelines: (() => PipelineProgress[]) | undefined;

  constructor(deps: { orm: MikroORM; bus: EventBus; recordingsDir: string }) {
    const { orm, recordingsDir } = deps;
    const registry = this.registry;
    collectDefaultMetrics({ register: registry });
    const query = <T>(sql: string): Promise<T[]> => orm.em.fork().getConnection().execute(sql) as Promise<T[]>;
    const count = async (sql: string) => (await query<{ n: number }>(sql))[0]?.n ?? 0;

    new Gauge({
      name: 'conferences_active',
      help: 'Conferences not yet ended',
      registers: [registry],
      async collect() {
        this.set(await count("select count(*)::int as n from conferences where state = 'active'"));
      },
    });
    new Gauge({
      name: 'participants_active',
      help: 'Participants present in active conferences',
      registers: [registry],
      async collect() {
        this.set(await count('select count(*)::int as n from participants where present'));
      },
    });
    new Gauge({
      name: 'recordings',
      help: 'Recordings by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const rows = await query<{ state: string; n: number }>('select state, count(*)::int as n from recordings group by state');
        for (const state of RECORDING_STATES) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
      },
    });
    new Gauge({
      name: 'recordings_disk_free_bytes',
      help: 'Free space where recordings are written',
      registers: [registry],
      async collect() {
        const stats = await fs.statfs(recordingsDir);
        this.set(stats.bavail * stats.bsize);
      },
    });
    const sfu = () => this.#sfu?.();
    new Gauge({ name: 'mediasoup_workers', help: 'Live mediasoup workers', registers: [registry], collect() { this.set(sfu()?.workers ?? 0); } });
    new Gauge({ name: 'mediasoup_routers', help: 'mediasoup routers (one per conference with media)', registers: [registry], collect() { this.set(sfu()?.routers ?? 0); } });
    for (const [name, key, label] of [
      ['mediasoup_transports', 'transports', 'type'],
      ['mediasoup_producers', 'producers', 'kind'],
      ['mediasoup_consumers', 'consumers', 'kind'],
    ] as const) {
      new Gauge({
        name,
        help: `mediasoup ${key} by ${label}`,
        labelNames: [label],
        registers: [registry],
        collect() {
          this.reset();
          for (const [value, count] of Object.entries(sfu()?.[key] ?? {})) this.set({ [label]: value }, count);
        },
      });
    }
    const pipelines = () => this.#pipelines?.() ?? [];
    new Gauge({
      name: 'recording_encoder_fps',
      help: 'Frames per second each recording pipeline encodes',
      labelNames: ['encoder'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of pipelines()) this.inc({ encoder: p.encoder }, p.fps);
      },
    });
    new Gauge({
      name: 'recording_realtime_factor',
      help: 'Lowest realtime factor among running pipelines (below 1 the encoder falls behind)',
      registers: [registry],
      collect() {
        const factors = pipelines().map((p) => p.realtimeFactor);
        this.set(factors.length ? Math.min(...factors) : 0);
      },
    });
    this.pipelineFailures = new Counter({ name: 'recording_pipeline_failures_total', help: 'Recording pipelines that failed', registers: [registry] });
    this.pipelineRestarts = new Counter({ name: 'recording_pipeline_restarts_total', help: 'Recording pipelines restarted after a failure', registers: [registry] });
    this.stopToLink = new Histogram({
      name: 'recording_stop_to_link_seconds',
      help: 'From stop to the Recordings Bot posting the links',
      buckets: [0.5, 1, 2, 3, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    deps.bus.subscribe((event) => {
      if (event.type !== 'recording.ready' && event.type !== 'recording.failed') return;
      void orm.em
        .fork()
        .findOne(Recording, event.recordingId)
        .then((recording) => {
          if (recording?.stoppedAt) this.stopToLink.observe((Date.now() - recording.stoppedAt.getTime()) / 1000);
        })
        .catch(() => undefined);
    });
  }

  attachSfu(counts: () => SfuCounts): void {
    this.#sfu = counts;
  }

  attachPipelines(progress: () => PipelineProgress[]): void {
    this.#pipelines = progress;
  }
}
